"""The EntityRegistry seam: one contract, run against both implementations (in-memory; entities over GraphQL)."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from kernel.machine_client import ClientCredentials, GraphClient
from kernel.settings import Secret
from subgraphs.common.rules import default_rules
from subgraphs.entities.models import PersonRestrictionRow
from subgraphs.entities.persons import id_check_character
from subgraphs.entities.vocabulary import RestrictionKind
from subgraphs.permits.registry import EntityRegistry, InMemoryEntityRegistry, RegistryFacts, RegistryUnavailable
from subgraphs.permits.registry_graphql import GraphQLEntityRegistry
from tests.subgraphs.permits.conftest import registered, uscc
from tests.subgraphs.permits.operations import SUBMIT, catering
from tests.support.hub import RunningHub, running_hub

AT = dt.datetime(2025, 9, 26, 2, tzinfo=dt.UTC)
REGISTER = """
mutation($input: RegisterEntityInput!) { registerEntity(input: $input) { outcome } }
"""
LIST_ABNORMAL = """
mutation($uscc: String!) {
  addToAbnormalList(input: {uscc: $uscc, reason: ANNUAL_REPORT_NOT_FILED, listedOn: "2025-07-01"}) { listing { id } }
}
"""


def registration(serial: int) -> dict[str, Any]:
    first17 = f"44030419900101{serial:03d}"
    return {
        "uscc": uscc(serial),
        "name": f"深圳市测试餐饮有限公司{serial}",
        "entityType": "COMPANY",
        "establishedOn": "2020-01-01",
        "legalRepresentative": {
            "name": "张三",
            "idNumber": first17 + id_check_character(first17),
            "phone": "13800138000",
        },
        "domicile": "广东省深圳市福田区华强北街道振兴路1号",
        "premises": "广东省深圳市福田区华强北街道振兴路1号",
        "businessScope": "餐饮服务",
    }


@dataclass
class Registries:
    """A clean entity 1, an abnormally listed entity 2, nobody else — in the implementation under test."""

    registry: EntityRegistry
    source: str


@pytest.fixture
async def hub(sqlite_database_url: str, tmp_path: Path) -> AsyncIterator[RunningHub]:
    """The embedded hub: the permits subgraph asks the entities subgraph through the gateway, as its machine client."""
    async with running_hub(sqlite_database_url, tmp_path) as running:
        yield running


async def entities_officer(hub: RunningHub) -> str:
    """A city-wide client that may register and list entities (an adapter of the registration system)."""
    return await hub.machine_client("entities:write", "jurisdiction:city", roles=("registry_feed",))


async def registered_in(hub: RunningHub, *serials: int) -> None:
    token = await entities_officer(hub)
    for serial in serials:
        assert "errors" not in await hub.graphql(token, REGISTER, input=registration(serial))


@pytest.fixture(params=["in-memory", "graphql"])
async def registries(request: pytest.FixtureRequest, hub: RunningHub) -> Registries:
    if request.param == "in-memory":
        return Registries(InMemoryEntityRegistry([registered(1), registered(2, abnormal_listed=True)]), "in-memory")
    await registered_in(hub, 1, 2)
    assert "errors" not in await hub.graphql(await entities_officer(hub), LIST_ABNORMAL, uscc=uscc(2))
    return Registries(hub.hub.jobs.services["permits"].registry, "entities-subgraph")


def essentials(facts: RegistryFacts) -> tuple[Any, ...]:
    return (facts.uscc, facts.found, facts.name, facts.status, facts.legal_representative)


async def test_a_registered_entity_is_reported_with_its_facts(registries: Registries) -> None:
    facts = await registries.registry.facts(uscc(1), at=AT)
    assert essentials(facts) == (uscc(1), True, "深圳市测试餐饮有限公司1", "EXISTING", "张三")
    assert (facts.source, facts.fetched_at) == (registries.source, AT)
    assert (facts.abnormal_listed, facts.serious_listed, facts.food_permit_ban) == (False, False, False)


async def test_list_flags_come_through(registries: Registries) -> None:
    facts = await registries.registry.facts(uscc(2), at=AT)
    assert facts.abnormal_listed and not facts.serious_listed


async def test_an_unknown_entity_is_not_found(registries: Registries) -> None:
    facts = await registries.registry.facts(uscc(3), at=AT)
    assert essentials(facts) == (uscc(3), False, None, None, None)


async def test_an_unreachable_registry_is_an_upstream_error() -> None:
    async with httpx.AsyncClient(base_url="http://127.0.0.1:9") as client:
        credentials = ClientCredentials(client, "/token", "zhijian-permits", Secret("x" * 32), ("entities:read",))
        with pytest.raises(RegistryUnavailable) as caught:
            await GraphQLEntityRegistry(GraphClient(client, credentials)).facts(uscc(1), at=AT)
    assert caught.value.code == "REGISTRY_UNAVAILABLE"


async def test_auto_approval_through_the_gateway_records_its_snapshot(hub: RunningHub) -> None:
    await registered_in(hub, 1)
    permits_officer = await hub.machine_client("permits:write", "jurisdiction:city", roles=("service_portal",))
    variables = {"input": catering(1, route="COMMITMENT", commitmentSigned=True), "auto": True}
    body = await hub.graphql(permits_officer, SUBMIT, **variables)
    assert "errors" not in body, body
    application = body["data"]["submitPermitApplication"]["application"]
    check = application["autoCheck"]
    assert check["snapshot"]["source"] == "entities-subgraph" and check["snapshot"]["status"] == "EXISTING"
    failed = [(r["rule"], r["reason"]) for r in check["results"] if not r["passed"]]
    # Penalty publicity comes from the enforcement subgraph, which shows none for this entity: 秒批 approves.
    assert failed == []
    assert check["snapshot"]["foodPenaltyPublicity"] is False
    assert application["state"] == "CERT_ISSUED"


async def test_art_135_a_ban_recorded_after_registration_reaches_the_permits_registry(hub: RunningHub) -> None:
    """The registry reads the entities subgraph's live ``foodSafetyBans``, not its registration-day holds: a 食品安全法
    Art. 135 ¶2 sentence recorded on the legal representative after the registration bars the applicant for life."""
    await registered_in(hub, 1)
    registry = hub.hub.jobs.services["permits"].registry
    assert (await registry.facts(uscc(1), at=AT)).food_permit_ban is False
    async with hub.hub.database.transaction() as session:
        session.add(
            PersonRestrictionRow(
                person_id_number=registration(1)["legalRepresentative"]["idNumber"],
                kind=RestrictionKind.FOOD_SAFETY_CRIME,
                source_uscc=uscc(9),
                decided_on=dt.date(2020, 6, 1),
            )
        )
    facts = await registry.facts(uscc(1), at=AT)
    assert facts.food_permit_ban
    assert facts.food_safety_bans == (
        "LEGAL_REPRESENTATIVE: FOOD_SAFETY_CRIME decided 2020-06-01, barred for life ("
        + default_rules().get("entities.food_safety_crime_ban", dt.date(2020, 6, 1)).basis
        + ")",
    )

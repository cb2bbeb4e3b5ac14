"""The EntityRegistry seam: one contract, run against both implementations (in-memory; entities over GraphQL)."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from subgraphs.entities.app import create_app as create_entities_app
from subgraphs.permits.app import create_app

from kernel.db import Database
from kernel.forwarding import IdentitySigner
from kernel.migrations import upgrade
from subgraphs.entities.persons import id_check_character
from subgraphs.permits.registry import EntityRegistry, InMemoryEntityRegistry, RegistryFacts
from subgraphs.permits.registry_graphql import GraphQLEntityRegistry, RegistryUnavailable
from tests.subgraphs.permits.conftest import Clock, registered, uscc
from tests.subgraphs.permits.operations import SUBMIT, catering
from tests.support.identities import CITY, CITY_OFFICER, TEST_SECRET, officer, signed, verifier

SIGNER = IdentitySigner.from_secret(TEST_SECRET)

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


async def post(client: httpx.AsyncClient, query: str, **variables: Any) -> dict[str, Any]:
    body: dict[str, Any] = (await client.post("/graphql", json={"query": query, "variables": variables})).json()
    assert not body.get("errors"), body
    return body


@dataclass
class Registries:
    """A clean entity 1, an abnormally listed entity 2, nobody else — in the implementation under test."""

    registry: EntityRegistry
    source: str


@pytest.fixture
async def entities_client(sqlite_database_url: str) -> AsyncIterator[httpx.AsyncClient]:
    database = Database.from_url(sqlite_database_url)
    await upgrade(database, ["entities"])
    transport = httpx.ASGITransport(app=create_entities_app(database, verifier()))
    async with httpx.AsyncClient(
        transport=transport, base_url="http://entities.test", headers=signed(officer(CITY, "entities:write"))
    ) as client:
        yield client
    await database.dispose()


@pytest.fixture(params=["in-memory", "graphql"])
async def registries(request: pytest.FixtureRequest, entities_client: httpx.AsyncClient) -> Registries:
    if request.param == "in-memory":
        return Registries(InMemoryEntityRegistry([registered(1), registered(2, abnormal_listed=True)]), "in-memory")
    for serial in (1, 2):
        await post(entities_client, REGISTER, input=registration(serial))
    await post(entities_client, LIST_ABNORMAL, uscc=uscc(2))
    return Registries(GraphQLEntityRegistry(entities_client, SIGNER), "entities-subgraph")


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
        with pytest.raises(RegistryUnavailable) as caught:
            await GraphQLEntityRegistry(client, SIGNER).facts(uscc(1), at=AT)
    assert caught.value.code == "REGISTRY_UNAVAILABLE"


async def test_auto_approval_against_the_entities_subgraph_records_its_snapshot(
    entities_client: httpx.AsyncClient, database: Database
) -> None:
    await post(entities_client, REGISTER, input=registration(1))
    clock = Clock()
    app = create_app(database, GraphQLEntityRegistry(entities_client, SIGNER), verifier(), now=clock)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://permits.test", headers=signed(CITY_OFFICER)
    ) as permits:
        variables = {"input": catering(1, route="COMMITMENT", commitmentSigned=True), "auto": True}
        application = (await post(permits, SUBMIT, **variables))["data"]["submitPermitApplication"]
    check = application["autoCheck"]
    assert check["snapshot"]["source"] == "entities-subgraph" and check["snapshot"]["status"] == "EXISTING"
    failed = [(r["rule"], r["reason"]) for r in check["results"] if not r["passed"]]
    # Penalty publicity is enforcement's data and not published yet: unknown is not clean, so no 秒批.
    assert failed == [
        ("clean_credit", "credit flags: food penalty publicity unknown (entities-subgraph does not publish it)")
    ]
    assert application["state"] == "ACCEPTED"

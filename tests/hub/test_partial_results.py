"""Partial results by design: every field whose value another subgraph supplies is nullable (a composition hint names
any that is not), so a subgraph that is down or a holder outside the caller's jurisdiction nulls one field, with an
error that has a code and names the subgraph — not the whole page."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from graphql import GraphQLNonNull, build_schema

from gateway.composition import SubgraphSource, compose
from gateway.composition.nullability import HINT
from gateway.execution import HttpSubgraphClient
from hub.components import SUBGRAPHS
from kernel.roles import Role
from tests.subgraphs.test_enterprise_scope import PREMISES, RECORD, REGISTER, THEIRS, permit, registration
from tests.subgraphs.test_roles import token_for
from tests.support.hub import RunningHub, running_hub
from tests.support.identities import CITY, FUTIAN, officer

SCHEMA = Path(__file__).resolve().parents[2] / "schema"
ACROSS = {
    "MarketEntity": ("permits", "inspections", "openTasks", "cases", "penaltyPublicity", "kitchenAlerts"),
    "Permit": ("holder",),
    "PermitApplication": ("applicant",),
    "InspectionTask": ("entity",),
    "Case": ("party",),
}

ENTITIES_SUBGRAPH = """
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Query { entity(uscc: ID!): MarketEntity }
type MarketEntity @key(fields: "uscc") { uscc: ID! name: String! }
"""
PERMITS_SUBGRAPH = """
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Query { permit(number: ID!): Permit }
type Permit @key(fields: "number") { number: ID! holder: MarketEntity%s }
type MarketEntity @key(fields: "uscc") { uscc: ID! permits: [Permit!]%s }
"""


def hinted(non_null: str) -> list[str]:
    result = compose(
        [
            SubgraphSource("entities", "http://e/graphql", ENTITIES_SUBGRAPH),
            SubgraphSource("permits", "http://p/graphql", PERMITS_SUBGRAPH % (non_null, non_null)),
        ]
    )
    assert result.ok, result.errors
    return [hint.message.split('"')[1] for hint in result.hints if hint.code == HINT]


def test_the_composer_names_non_null_fields_that_another_subgraph_supplies() -> None:
    assert hinted("!") == ["Permit.holder", "MarketEntity.permits"]
    assert hinted("") == []


def test_our_subgraphs_compose_without_such_a_hint_and_those_fields_are_nullable() -> None:
    sources = [
        SubgraphSource(c.name, "http://x/graphql", (SCHEMA / f"{c.name}.graphql").read_text(encoding="utf-8"))
        for c in SUBGRAPHS
    ]
    result = compose(sources)
    assert [hint.message for hint in result.hints if hint.code == HINT] == []
    supergraph = build_schema(result.unwrap())
    for type_name, fields in ACROSS.items():
        for name in fields:
            field = supergraph.type_map[type_name].fields[name]  # type: ignore[attr-defined]
            assert not isinstance(field.type, GraphQLNonNull), f"{type_name}.{name}"


@pytest.fixture(scope="module")
async def hub(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[RunningHub]:
    folder = tmp_path_factory.mktemp("partial-hub")
    async with running_hub(f"sqlite+aiosqlite:///{folder / 'hub.db'}", folder) as running:
        admin = officer(CITY, roles=("admin",))
        city = await token_for(running, Role.ADMIN, admin, "openid entities:write permits:write")
        registered = await running.graphql(city, REGISTER, input=registration(THEIRS))  # registered in 南山
        assert "errors" not in registered, registered
        trading = {**permit(THEIRS, 1), "premisesAddress": PREMISES[next(iter(PREMISES))], "premisesRegion": "440304"}
        recorded = await running.graphql(city, RECORD, input=trading)  # its shop in 福田
        assert "errors" not in recorded, recorded
        yield running


async def test_a_holder_outside_the_callers_jurisdiction_nulls_the_holder_not_the_permit(hub: RunningHub) -> None:
    futian = await token_for(hub, Role.CASE_OFFICER, officer(FUTIAN, roles=("case_officer",)), "openid permits:read")
    number = permit(THEIRS, 1)["number"]
    answer = await hub.graphql(
        futian, "query($n: String!) { permitByNumber(number: $n) { number holder { name } } }", n=number
    )
    assert answer["data"] == {"permitByNumber": {"number": number, "holder": None}}


async def test_with_the_permits_subgraph_down_entities_come_back_with_permits_null(hub: RunningHub) -> None:
    city = await token_for(hub, Role.ADMIN, officer(CITY, roles=("admin",)), "openid entities:read permits:read")
    executor = hub.hub.gateway.gateway.executor
    working = executor.clients["permits"]
    executor.clients["permits"] = HttpSubgraphClient("permits", "http://127.0.0.1:9/graphql")
    try:
        answer = await hub.graphql(city, "{ entities(first: 5) { edges { node { uscc name permits { number } } } } }")
    finally:
        executor.clients["permits"] = working
    [node] = [edge["node"] for edge in answer["data"]["entities"]["edges"]]
    assert node == {"uscc": THEIRS, "name": registration(THEIRS)["name"], "permits": None}
    assert {(e["extensions"]["code"], e["extensions"]["serviceName"]) for e in answer["errors"]} == {
        ("SUBGRAPH_UNAVAILABLE", "permits")
    }

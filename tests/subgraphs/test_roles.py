"""The role walk: every mutation of every subgraph, called as every role, is allowed or refused exactly as
``schema/roles.md`` (the documentation) says — through the gateway with tokens as the provider mints them, and
directly at each subgraph with gateway-signed identities. Officer roles are tried at a station and at a district
bureau, so that the "bureau" cells are checked too."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
    GraphQLSchema,
    Undefined,
)

from hub.components import SUBGRAPHS
from hub.roles_doc import ANY_LEVEL, BUREAU_LEVEL, NOBODY, mutation_grants, roles_markdown
from identity.records import Account, Client, Level, SignedIn
from kernel.principal import Principal
from kernel.roles import ROLE_POPULATIONS, Population, Role
from subgraphs.common.component import Wiring
from tests.support.components import app_of, migrated
from tests.support.graphql import post_as
from tests.support.hub import RunningHub, running_hub
from tests.support.identities import FUTIAN, HUAQIANGBEI, enterprise_user, machine, officer

ROLES_MD = Path(__file__).resolve().parents[2] / "schema" / "roles.md"
USCC = "91440300MA5H7K2P12"
WRITE_SCOPES = tuple(component.scopes.write for component in SUBGRAPHS)
SCALARS = {
    "String": "x",
    "ID": "x",
    "Int": 0,
    "Float": 0.0,
    "Boolean": False,
    "Date": "2025-01-01",
    "DateTime": "2025-01-01T00:00:00+08:00",
    "Decimal": "1",
    "Time": "08:00:00",
}
MUTATIONS = [(m.component, m.field, m.grant.action) for m in mutation_grants()]
IDS = [f"{component}.{field}" for component, field, _ in MUTATIONS]


def documented() -> dict[str, dict[str, str]]:
    """``schema/roles.md``'s mutation table: ``component.field`` → role → cell."""
    text = ROLES_MD.read_text(encoding="utf-8")
    section = text.split("## Mutations", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ")]
    header = [cell.strip().strip("`") for cell in rows[0].strip("|").split("|")]
    table = {}
    for row in rows[2:]:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        table[cells[0].strip("`")] = dict(zip(header[2:], cells[2:], strict=True))
    return table


def callers(role: Role) -> list[tuple[str, Principal, bool]]:
    """(where, caller with only ``role``, whether a bureau-level cell admits it) for one role."""
    population = ROLE_POPULATIONS[role]
    if population is Population.OFFICER:
        return [
            ("station", officer(HUAQIANGBEI, roles=(role,), subject=f"{role}-station"), False),
            ("district", officer(FUTIAN, roles=(role,), subject=f"{role}-district"), True),
        ]
    if population is Population.MACHINE:
        return [("city-wide", machine(f"walk-{role}", *WRITE_SCOPES, "jurisdiction:city", roles=(role,)), True)]
    return [("enterprise", enterprise_user(USCC, roles=(role,), subject=f"{role}-user"), True)]


def expected(cell: str, bureau_admitted: bool) -> bool:
    assert cell in (ANY_LEVEL, BUREAU_LEVEL, NOBODY), f"unknown cell {cell!r} in schema/roles.md"
    return cell == ANY_LEVEL or (cell == BUREAU_LEVEL and bureau_admitted)


def dummy(kind: GraphQLInputType) -> Any:
    """A value of an input type that passes GraphQL validation (the guard runs before any domain check)."""
    if isinstance(kind, GraphQLNonNull):
        return dummy(kind.of_type)
    if isinstance(kind, GraphQLList):
        return []
    if isinstance(kind, GraphQLEnumType):
        return next(iter(kind.values))
    if isinstance(kind, GraphQLInputObjectType):
        return {
            name: dummy(field.type)
            for name, field in kind.fields.items()
            if isinstance(field.type, GraphQLNonNull) and field.default_value is Undefined
        }
    assert isinstance(kind, GraphQLScalarType)
    return SCALARS[kind.name]


def operation(schema: GraphQLSchema, field_name: str) -> tuple[str, dict[str, Any]]:
    """A document calling one mutation with every required argument as a variable, and the variables."""
    assert schema.mutation_type is not None
    field = schema.mutation_type.fields[field_name]
    required = {name: arg for name, arg in field.args.items() if isinstance(arg.type, GraphQLNonNull)}
    declared = ", ".join(f"${name}: {arg.type}" for name, arg in required.items())
    passed = ", ".join(f"{name}: ${name}" for name in required)
    head = f"mutation({declared})" if declared else "mutation"
    call = f"{field_name}({passed})" if passed else field_name
    document = f"{head} {{ {call} {{ __typename }} }}"
    return document, {name: dummy(arg.type) for name, arg in required.items()}


def refused_by_role(body: dict[str, Any], action: str) -> bool:
    return any(
        (e.get("extensions") or {}).get("code") == "FORBIDDEN" and e["extensions"].get("action") == action
        for e in body.get("errors") or ()
    )


def refused_at_gateway(body: dict[str, Any]) -> bool:
    errors = body.get("errors") or ()
    return any((e.get("extensions") or {}).get("code") == "UNAUTHORIZED_FIELD_OR_TYPE" for e in errors)


def test_the_table_names_every_mutation_and_every_role_and_is_up_to_date() -> None:
    table = documented()
    assert set(table) == set(IDS), "schema/roles.md and the subgraphs' mutations differ: run `zhijian schema export`"
    assert all(set(row) == {role.value for role in Role} for row in table.values())
    assert ROLES_MD.read_text(encoding="utf-8") == roles_markdown(), "schema/roles.md is stale: `zhijian schema export`"


@pytest.fixture(scope="module")
async def subgraphs(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[dict[str, httpx.AsyncClient]]:
    """Every registered subgraph over one SQLite database, served in process."""
    path = tmp_path_factory.mktemp("roles") / "walk.db"
    database = await migrated(f"sqlite+aiosqlite:///{path}", *SUBGRAPHS)
    clients = {}
    for component in SUBGRAPHS:
        app = app_of(component, database, component.services(Wiring()))
        clients[component.name] = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sub")
    yield clients
    for client in clients.values():
        await client.aclose()
    await database.dispose()


@pytest.mark.parametrize(("component", "field", "action"), MUTATIONS, ids=IDS)
async def test_each_subgraph_lets_exactly_the_documented_roles_call_each_mutation(
    subgraphs: dict[str, httpx.AsyncClient], component: str, field: str, action: str
) -> None:
    row = documented()[f"{component}.{field}"]
    schema = next(c for c in SUBGRAPHS if c.name == component).schema._schema
    document, variables = operation(schema, field)
    observed, wanted = {}, {}
    for role in Role:
        for where, caller, bureau in callers(role):
            body = await post_as(subgraphs[component], caller, document, variables)
            observed[(role.value, where)] = not refused_by_role(body, action)
            wanted[(role.value, where)] = expected(row[role.value], bureau)
    assert observed == wanted


def _account(caller: Principal, role: Role) -> Account:
    population = ROLE_POPULATIONS[role]
    levels = {1: Level.CITY, 2: Level.DISTRICT, 3: Level.STATION}
    level = levels[len(caller.org_path.split("/"))] if caller.org_path else None
    return Account(
        id=caller.subject, username=caller.subject, display_name=caller.subject, roles=(role,), population=population,
        disabled=False, level=level, org_path=caller.org_path, usccs=tuple(sorted(caller.usccs)),
    )  # fmt: skip


def _client(role: Role, scopes: tuple[str, ...]) -> Client:
    machine_role = ROLE_POPULATIONS[role] is Population.MACHINE
    return Client(
        client_id=f"walk-{role}", name="walk", token_endpoint_auth_method="none", secret_hash=None, jwks=None,
        redirect_uris=(), post_logout_redirect_uris=(), grant_types=(), scopes=scopes, org_path=None,
        first_party=True, disabled=False, roles=(role,) if machine_role else (),
    )  # fmt: skip


async def token_for(hub: RunningHub, role: Role, caller: Principal, scope: str) -> str:
    """An access token as the hub's provider mints it for ``caller`` (with ``role`` only) through an app."""
    minter = hub.hub.identity.state.identity.provider.minter
    client = _client(role, tuple(scope.split()))
    if ROLE_POPULATIONS[role] is Population.MACHINE:
        return str(minter("client_credentials", client, scope=scope)["access_token"])
    user = SignedIn(_account(caller, role), f"sid-{caller.subject}", int(time.time()))
    return str(minter("authorization_code", client, user=user, scope=scope)["access_token"])


@pytest.fixture(scope="module")
async def hub(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[RunningHub]:
    folder = tmp_path_factory.mktemp("roles-hub")
    async with running_hub(f"sqlite+aiosqlite:///{folder / 'hub.db'}", folder) as running:
        yield running


@pytest.mark.parametrize(("component", "field", "action"), MUTATIONS, ids=IDS)
async def test_through_the_gateway_exactly_the_documented_roles_reach_each_mutation(
    hub: RunningHub, component: str, field: str, action: str
) -> None:
    """The gateway refuses roles the table does not list (``@policy``, before planning); officers of the wrong
    level pass it and are refused by the subgraph; the listed roles get through both."""
    row = documented()[f"{component}.{field}"]
    schema = next(c for c in SUBGRAPHS if c.name == component).schema._schema
    document, variables = operation(schema, field)
    observed, wanted = {}, {}
    for role in Role:
        for where, caller, bureau in callers(role):
            scope = " ".join(("openid", *WRITE_SCOPES, *(["jurisdiction:city"] if where == "city-wide" else [])))
            body = await hub.graphql(await token_for(hub, role, caller, scope), document, **variables)
            listed = row[role.value] != NOBODY
            assert refused_at_gateway(body) is not listed, (role, where, body)
            observed[(role.value, where)] = not refused_at_gateway(body) and not refused_by_role(body, action)
            wanted[(role.value, where)] = expected(row[role.value], bureau)
    assert observed == wanted


async def test_the_gateway_also_needs_the_write_scope_delegated_to_the_app(hub: RunningHub) -> None:
    head = officer(FUTIAN, roles=("agency_head",), subject="head")
    document, variables = operation(SUBGRAPHS[0].schema._schema, "addToAbnormalList")
    without = await hub.graphql(await token_for(hub, Role.AGENCY_HEAD, head, "openid profile"), document, **variables)
    assert refused_at_gateway(without)
    with_scope = await hub.graphql(await token_for(hub, Role.AGENCY_HEAD, head, "openid entities:write"), document,
                                   **variables)  # fmt: skip
    assert not refused_at_gateway(with_scope) and not refused_by_role(with_scope, "entities.add_to_abnormal_list")


def test_a_station_inspector_cannot_put_an_entity_on_the_abnormal_list() -> None:
    """The defect this table was made for: a station decided what only a bureau may (暂行办法 Art. 4)."""
    row = documented()["entities.addToAbnormalList"]
    assert row["inspector"] == NOBODY and row["agency_head"] == BUREAU_LEVEL

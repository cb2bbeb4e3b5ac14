"""Read replica routing (``ZHIJIAN_DATABASE_READ_URL``): a subgraph's GraphQL queries read on the replica,
mutations and everything a request does after its first write on the primary.

The replica here is a second real PostgreSQL database holding the same entity under another name, so where an
answer was read is told by its content; writes are found in the primary and not in the replica."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update

from kernel.db import Database
from kernel.orgtree import default_org_tree
from subgraphs.common.jurisdiction import Jurisdiction, open_request_session, request_sessions
from subgraphs.entities.component import component
from subgraphs.entities.models import MarketEntityRow
from subgraphs.entities.services import EntityServices
from tests.conftest import _drop_postgres_database, _fresh_postgres_database
from tests.subgraphs.entities.harness import REGISTER, Subgraph, application
from tests.support.clock import Clock
from tests.support.components import app_of, migrated
from tests.support.identities import CITY_OFFICER

USCC = "91440300MA5H7K2P12"
ON_PRIMARY = "深圳市华强食品有限公司"
ON_REPLICA = "深圳市振华食品有限公司"
NAME = "query($u: String!) { entity(uscc: $u) { name suspensions { startsOn } } }"
LIST = "query($filter: EntityFilter) { entities(filter: $filter, first: 5) { edges { node { name } } } }"
SUSPEND = """
mutation($input: SuspendEntityInput!) {
  suspendEntity(input: $input) { entity { name suspensions { startsOn } } }
}"""
STARTS = "2025-10-01"
"""After the test clock's today: a suspension is filed before it starts."""


async def holding(url: str, name: str) -> Database:
    """A migrated database at ``url`` with the entity ``USCC`` registered under ``name``."""
    database = await migrated(url, component)
    transport = httpx.ASGITransport(app=app_of(component, database, EntityServices(clock=Clock())))
    async with httpx.AsyncClient(transport=transport, base_url="http://entities.test") as client:
        await Subgraph(client).data(REGISTER, {"input": application(name=name)})
    return database


@pytest.fixture
async def pair(postgres_server_url: str, postgres_database_url: str) -> AsyncIterator[tuple[Database, Database]]:
    replica_url, replica_name = await _fresh_postgres_database(postgres_server_url)
    primary, replica = await holding(postgres_database_url, ON_PRIMARY), await holding(replica_url, ON_REPLICA)
    try:
        yield primary, replica
    finally:
        await primary.dispose()
        await replica.dispose()
        await _drop_postgres_database(postgres_server_url, replica_name)


async def ask(database: Database, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    transport = httpx.ASGITransport(app=app_of(component, database, EntityServices(clock=Clock())))
    async with httpx.AsyncClient(transport=transport, base_url="http://entities.test") as client:
        return await Subgraph(client).data(query, variables)


async def test_queries_read_the_replica_and_mutations_the_primary(pair: tuple[Database, Database]) -> None:
    primary, replica = pair
    routed = dataclasses.replace(primary, replica=replica.engine)

    assert await ask(routed, NAME, {"u": USCC}) == {"entity": {"name": ON_REPLICA, "suspensions": []}}

    suspension = {"input": {"uscc": USCC, "startsOn": STARTS, "until": "2026-09-30"}}
    changed = await ask(routed, SUSPEND, suspension)
    filed = {"name": ON_PRIMARY, "suspensions": [{"startsOn": STARTS}]}
    assert changed == {"suspendEntity": {"entity": filed}}, "a mutation reads and writes on the primary"
    assert (await ask(primary, NAME, {"u": USCC}))["entity"] == filed
    assert (await ask(replica, NAME, {"u": USCC}))["entity"] == {"name": ON_REPLICA, "suspensions": []}


async def test_a_list_and_its_filters_read_the_replica(pair: tuple[Database, Database]) -> None:
    """A resolver that asks its session's dialect (the entity list's SQLite filters) does not count as a write."""
    routed = dataclasses.replace(pair[0], replica=pair[1].engine)
    for filter in ({}, {"filter": {"nameContains": "食品"}}):
        listed = await ask(routed, LIST, filter)
        assert [edge["node"]["name"] for edge in listed["entities"]["edges"]] == [ON_REPLICA], filter


async def test_a_request_reads_its_own_write_on_the_primary(pair: tuple[Database, Database]) -> None:
    primary, replica = pair
    jurisdiction = Jurisdiction.of(CITY_OFFICER, default_org_tree(), component.scopes)
    name = select(MarketEntityRow.name).where(MarketEntityRow.uscc == USCC)
    session = open_request_session(request_sessions(primary.engine), jurisdiction, replica.engine)
    try:
        assert await session.scalar(name) == ON_REPLICA
        renamed = "深圳市华强北食品有限公司"
        await session.execute(update(MarketEntityRow).where(MarketEntityRow.uscc == USCC).values(name=renamed))
        assert await session.scalar(name) == renamed, "after a write, the request reads the primary"
        await session.commit()
    finally:
        await session.close()
    assert (await ask(primary, NAME, {"u": USCC}))["entity"]["name"] == renamed
    assert (await ask(replica, NAME, {"u": USCC}))["entity"]["name"] == ON_REPLICA


async def test_without_a_replica_everything_is_on_the_primary(pair: tuple[Database, Database]) -> None:
    primary, _replica = pair
    assert (await ask(primary, NAME, {"u": USCC}))["entity"]["name"] == ON_PRIMARY

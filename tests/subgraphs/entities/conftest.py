"""A migrated database and an HTTP client of the entities subgraph, on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from kernel.db import Database
from subgraphs.entities.component import component
from subgraphs.entities.services import EntityServices
from tests.subgraphs.entities.harness import Subgraph
from tests.support.clock import Clock
from tests.support.components import app_of, migrated


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    db = await migrated(database_url, component)
    yield db
    await db.dispose()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def subgraph(database: Database, clock: Clock) -> AsyncIterator[Subgraph]:
    transport = httpx.ASGITransport(app=app_of(component, database, EntityServices(clock=clock)))
    async with httpx.AsyncClient(transport=transport, base_url="http://entities.test") as client:
        yield Subgraph(client)

"""A migrated database and an HTTP client of the entities subgraph, on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from subgraphs.entities.app import create_app

from kernel.db import Database
from kernel.migrations import upgrade
from subgraphs.entities.models import SCHEMA
from tests.subgraphs.entities.harness import Subgraph
from tests.support.identities import verifier


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    db = Database.from_url(database_url)
    await upgrade(db, [SCHEMA])
    yield db
    await db.dispose()


@pytest.fixture
async def subgraph(database: Database) -> AsyncIterator[Subgraph]:
    transport = httpx.ASGITransport(app=create_app(database, verifier()))
    async with httpx.AsyncClient(transport=transport, base_url="http://entities.test") as client:
        yield Subgraph(client)

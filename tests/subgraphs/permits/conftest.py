"""A real permits subgraph per test: migrated database (SQLite and PostgreSQL), ASGI app, settable clock, registry."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from kernel.db import Database
from kernel.principal import Principal
from kernel.uscc import complete_uscc
from subgraphs.permits.component import component
from subgraphs.permits.registry import InMemoryEntityRegistry, RegistryFacts
from subgraphs.permits.services import PermitServices
from tests.support.clock import Clock
from tests.support.components import app_of, migrated
from tests.support.graphql import data_of, only_error, post_as
from tests.support.identities import CITY_OFFICER


def uscc(serial: int) -> str:
    """A valid enterprise USCC registered in Shenzhen, distinct per ``serial``."""
    return complete_uscc(f"91440300MA5F{serial:05d}")


@dataclass
class GraphQLError(Exception):
    message: str
    extensions: dict[str, Any]


@dataclass
class Subgraph:
    """The permits subgraph behind an in-process HTTP client."""

    http: httpx.AsyncClient
    database: Database
    clock: Clock
    registry: InMemoryEntityRegistry
    caller: Principal = CITY_OFFICER
    """Who calls, signed by a test gateway; a city-bureau officer unless a test says otherwise."""

    def as_(self, caller: Principal) -> Subgraph:
        """The same subgraph, called by someone else."""
        return Subgraph(self.http, self.database, self.clock, self.registry, caller=caller)

    async def execute(self, query: str, **variables: Any) -> dict[str, Any]:
        return await post_as(self.http, self.caller, query, variables)

    async def data(self, query: str, **variables: Any) -> dict[str, Any]:
        return data_of(await self.execute(query, **variables))

    async def error(self, query: str, **variables: Any) -> GraphQLError:
        error = only_error(await self.execute(query, **variables))
        return GraphQLError(error["message"], error.get("extensions") or {})

    async def count(self, table: str) -> int:
        async with self.database.engine.connect() as connection:
            from sqlalchemy import text

            prefix = "" if self.database.is_sqlite else "permits."
            value = (await connection.execute(text(f"SELECT count(*) FROM {prefix}{table}"))).scalar_one()
            return int(value)

    async def scalar(self, sql: str) -> Any:
        """One value of ``sql``, whose ``{schema}`` names the permits schema's prefix on this database."""
        async with self.database.engine.connect() as connection:
            from sqlalchemy import text

            prefix = "" if self.database.is_sqlite else "permits."
            return (await connection.execute(text(sql.format(schema=prefix)))).scalar_one()


def registered(serial: int, **overrides: Any) -> RegistryFacts:
    """Registry facts of a clean, operating entity (override to make one rule fail)."""
    values: dict[str, Any] = {
        "uscc": uscc(serial),
        "found": True,
        "source": "in-memory",
        "fetched_at": dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
        "name": f"深圳市测试餐饮有限公司{serial}",
        "status": "EXISTING",
        "legal_representative": "张三",
    }
    values.update(overrides)
    return RegistryFacts(**values)


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    database = await migrated(database_url, component)
    yield database
    await database.dispose()


@pytest.fixture
async def subgraph(database: Database) -> AsyncIterator[Subgraph]:
    clock = Clock()
    registry = InMemoryEntityRegistry()
    app = app_of(component, database, PermitServices(clock=clock, registry=registry))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://permits.test") as http:
        yield Subgraph(http=http, database=database, clock=clock, registry=registry)

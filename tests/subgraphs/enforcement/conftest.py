"""A real enforcement subgraph per test: migrated database (SQLite and PostgreSQL), ASGI app, settable clock,
evidence files in a directory of the test's own."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from kernel.db import Database
from kernel.principal import Principal
from subgraphs.enforcement.component import component
from subgraphs.enforcement.services import EnforcementServices
from subgraphs.enforcement.store import DirectoryEvidenceStore
from tests.support.clock import Clock
from tests.support.components import app_of, migrated
from tests.support.graphql import data_of, only_error, post_as
from tests.support.identities import FUTIAN, officer

OFFICER = officer(FUTIAN, subject="officer-wang", roles=("case_officer",))
REVIEWER = officer(FUTIAN, subject="reviewer-li", roles=("legal_reviewer",))
HEAD = officer(FUTIAN, subject="head-zhao", roles=("agency_head",))


@dataclass
class GraphQLError(Exception):
    message: str
    extensions: dict[str, Any]

    @property
    def code(self) -> str:
        return str(self.extensions.get("code"))


@dataclass
class Subgraph:
    """The enforcement subgraph behind an in-process HTTP client."""

    http: httpx.AsyncClient
    database: Database
    clock: Clock
    services: EnforcementServices
    caller: Principal = OFFICER

    def as_(self, caller: Principal) -> Subgraph:
        return replace(self, caller=caller)

    async def execute(self, query: str, **variables: Any) -> dict[str, Any]:
        return await post_as(self.http, self.caller, query, variables)

    async def data(self, query: str, **variables: Any) -> dict[str, Any]:
        return data_of(await self.execute(query, **variables))

    async def error(self, query: str, **variables: Any) -> GraphQLError:
        error = only_error(await self.execute(query, **variables))
        return GraphQLError(error["message"], error.get("extensions") or {})

    async def sql(self, statement: str, **values: Any) -> Any:
        prefix = "" if self.database.is_sqlite else "enforcement."
        async with self.database.engine.begin() as connection:
            result = await connection.execute(text(statement.replace("E.", prefix)), values)
            return result.all() if result.returns_rows else None


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    database = await migrated(database_url, component)
    yield database
    await database.dispose()


@pytest.fixture
def services(tmp_path: Path) -> EnforcementServices:
    return EnforcementServices(clock=Clock(), evidence=DirectoryEvidenceStore(tmp_path / "evidence"))


@pytest.fixture
async def subgraph(database: Database, services: EnforcementServices) -> AsyncIterator[Subgraph]:
    app = app_of(component, database, services)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://enforcement.test") as http:
        clock = services.clock
        assert isinstance(clock, Clock)
        yield Subgraph(http=http, database=database, clock=clock, services=services)

"""A real supervision subgraph per test: migrated database (SQLite and PostgreSQL), ASGI app, settable clock,
and the directories (targets, inspectors) a test's story needs, written as the seed writes them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from kernel.db import Database
from kernel.principal import Principal
from kernel.uscc import complete_uscc
from subgraphs.supervision.component import component
from subgraphs.supervision.models import InspectionTargetRow, InspectorConflictRow, InspectorRow
from subgraphs.supervision.services import SupervisionServices
from tests.support.clock import Clock
from tests.support.components import app_of, migrated
from tests.support.graphql import data_of, only_error, post_as
from tests.support.identities import CITY_OFFICER, officer

FUTIAN = "440304"
HUAQIANGBEI = "440304009"
YUANLING = "440304002"
HEAD = officer("440300/440304", subject="futian.head", roles=("agency_head",))
"""The 福田 district bureau's head: assigns, cancels, draws."""


def inspector(subject: str, station: str = HUAQIANGBEI) -> Principal:
    return officer(f"440300/{FUTIAN}/{station}", subject=subject, roles=("inspector",))


def uscc(serial: int) -> str:
    return complete_uscc(f"91440300MA5F{serial:05d}")


@dataclass
class GraphQLError(Exception):
    message: str
    extensions: dict[str, Any]


@dataclass
class Subgraph:
    http: httpx.AsyncClient
    database: Database
    clock: Clock
    caller: Principal = CITY_OFFICER

    def as_(self, caller: Principal) -> Subgraph:
        return Subgraph(self.http, self.database, self.clock, caller=caller)

    async def execute(self, query: str, **variables: Any) -> dict[str, Any]:
        return await post_as(self.http, self.caller, query, variables)

    async def data(self, query: str, **variables: Any) -> dict[str, Any]:
        return data_of(await self.execute(query, **variables))

    async def error(self, query: str, **variables: Any) -> GraphQLError:
        error = only_error(await self.execute(query, **variables))
        return GraphQLError(error["message"], error.get("extensions") or {})

    async def count(self, model: type[Any], *where: Any) -> int:
        async with self.database.transaction() as session:
            return int(await session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


async def add_targets(database: Database, *targets: tuple[str, str | None, str | None, bool]) -> None:
    """Directory entries (uscc, station, grade, bad credit) in 福田."""
    async with database.transaction() as session:
        for serial_uscc, station, grade, bad in targets:
            session.add(
                InspectionTargetRow(
                    uscc=serial_uscc,
                    name=f"测试餐饮 {serial_uscc[-4:]}",
                    district_code=FUTIAN,
                    station_code=station,
                    risk_grade=grade,
                    bad_credit=bad,
                    updated_at=Clock().at,
                )
            )


async def add_inspectors(database: Database, *subjects: str, station: str = HUAQIANGBEI) -> None:
    async with database.transaction() as session:
        for subject in subjects:
            session.add(InspectorRow(subject=subject, name=subject, district_code=FUTIAN, station_code=station))


async def add_conflict(database: Database, subject: str, entity: str) -> None:
    async with database.transaction() as session:
        session.add(InspectorConflictRow(inspector=subject, uscc=entity, kind="kinship"))


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    database = await migrated(database_url, component)
    yield database
    await database.dispose()


@pytest.fixture
async def subgraph(database: Database) -> AsyncIterator[Subgraph]:
    clock = Clock()
    app = app_of(component, database, SupervisionServices(clock=clock))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://supervision.test") as http:
        yield Subgraph(http=http, database=database, clock=clock)

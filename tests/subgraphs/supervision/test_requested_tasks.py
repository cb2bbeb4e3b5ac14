"""Other domains open tasks only through the outbox (``task.requested``): one task per idempotency key, whatever
the duplicates, retries and concurrent deliveries."""

from __future__ import annotations

import asyncio
import datetime as dt

from sqlalchemy import select

from hub.outbox import Deliveries, Drainer
from kernel.db import Database
from kernel.jobs.events import emit
from subgraphs.common.events import TASK_REQUESTED, TaskRequested
from subgraphs.supervision.component import component
from subgraphs.supervision.models import InspectionTaskRow
from subgraphs.supervision.services import SupervisionServices
from tests.subgraphs.supervision.conftest import FUTIAN, HUAQIANGBEI, uscc
from tests.support.clock import Clock


def requested(key: str, source: str = "FAILED_SAMPLE") -> TaskRequested:
    return TaskRequested(
        idempotency_key=key,
        source=source,
        uscc=uscc(7),
        reason="抽检不合格：菌落总数超标",
        reference=f"Sample:{key}",
        district_code=FUTIAN,
        station_code=HUAQIANGBEI,
        requested_by="detection",
    )


async def send(database: Database, *payloads: tuple[str, TaskRequested]) -> None:
    async with database.transaction() as session:
        for aggregate, payload in payloads:
            await emit(session, TASK_REQUESTED, aggregate, payload, Clock().at)


def drainer(database: Database, name: str) -> Drainer:
    clock = Clock()
    deliveries = Deliveries.of([component], {"supervision": SupervisionServices(clock=clock)}, clock)
    return Drainer(database, deliveries, clock=clock, name=name)


async def tasks(database: Database) -> list[InspectionTaskRow]:
    async with database.transaction() as session:
        return list(await session.scalars(select(InspectionTaskRow).order_by(InspectionTaskRow.reference)))


async def test_a_duplicated_request_opens_one_task_and_another_key_another(database: Database) -> None:
    await send(database, ("Sample:1", requested("detection:sample:1")), ("Sample:1", requested("detection:sample:1")))
    await drainer(database, "d1").drain()
    await send(database, ("Sample:1", requested("detection:sample:1")), ("Sample:2", requested("detection:sample:2")))
    await drainer(database, "d1").drain()
    opened = await tasks(database)
    assert [task.request_key for task in opened] == ["detection:sample:1", "detection:sample:2"]
    task = opened[0]
    assert (task.source, task.status, task.station_code) == ("FAILED_SAMPLE", "UNASSIGNED", HUAQIANGBEI)
    assert task.due_on > Clock().today > dt.date(2025, 1, 1)


async def test_concurrent_deliveries_of_one_request_open_one_task(database: Database) -> None:
    await send(database, *((f"Sample:copy-{i}", requested("detection:sample:9")) for i in range(6)))
    await asyncio.gather(*(drainer(database, f"d{i}").drain() for i in range(3)))
    assert [task.request_key for task in await tasks(database)] == ["detection:sample:9"]

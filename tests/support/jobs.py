"""A small real component for job-layer tests: a ledger table, jobs that write it, and a consumer of a test event.

It stands in for a domain (the job layer knows none), with effects a test can count by reading the table: each
job run or event delivery that took effect is one ledger row, so "0 lost, 0 twice" is a query.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Column, Integer, MetaData, String, Table, func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from kernel.db import Database
from kernel.jobs import MIGRATIONS
from kernel.jobs.events import Event, EventType
from kernel.jobs.receipts import first_time
from kernel.jobs.retry import RetryPolicy, TransientError
from kernel.migrations import upgrade
from subgraphs.common.component import Consumer, Job, Queue, SubgraphComponent, Wiring
from tests.support.clock import Clock

ledger_metadata = MetaData()
ledger = Table(
    "test_ledger",
    ledger_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", String(60), nullable=False),
    Column("aggregate", String(60), nullable=False),
    Column("seq", Integer, nullable=False),
)


@dataclass(frozen=True, slots=True)
class Tick:
    """Payload of ``test.ticked``: the ``seq``-th change of ``aggregate``."""

    aggregate: str
    seq: int
    poison: bool = False


TICKED = EventType("test.ticked", Tick)


@dataclass
class LedgerServices:
    """What the test component's jobs and consumers run with; tests set the failure knobs."""

    clock: Clock = field(default_factory=Clock)
    flaky: int = 0
    """Fail this many more tries with a transient error."""
    slow: float = 0.0
    """Seconds each ``ledger.write`` takes (for shutdown tests)."""
    started: asyncio.Event = field(default_factory=asyncio.Event)
    fixed: bool = False
    """The fix for poison records has shipped: they apply."""

    def now(self) -> dt.datetime:
        return self.clock()


async def write(database: Database, services: LedgerServices, *, key: str) -> int:
    """Job ``ledger.write``: one ledger row per key, however often it runs (a receipt in the same transaction)."""
    services.started.set()
    if services.slow:
        await asyncio.sleep(services.slow)
    if services.flaky > 0:
        services.flaky -= 1
        raise TransientError("the ledger is busy")
    if key.startswith("poison") and not services.fixed:
        raise ValueError(f"cannot write {key}")
    async with database.transaction() as session:
        if not await first_time(session, "ledger.write", key, services.now()):
            return 0
        await session.execute(insert(ledger).values(source="job", aggregate=key, seq=0))
    return 1


async def record_tick(session: AsyncSession, services: LedgerServices, tick: Tick, event: Event) -> None:
    """Consumer ``ledger.record_tick``: one ledger row per delivered tick."""
    if tick.poison and not services.fixed:
        raise ValueError(f"tick {tick.seq} of {tick.aggregate} is poison")
    if services.flaky > 0:
        services.flaky -= 1
        raise TransientError("the ledger is busy")
    await session.execute(insert(ledger).values(source="event", aggregate=tick.aggregate, seq=tick.seq))


async def nothing(database: Database, services: LedgerServices) -> int:
    """A scheduled job that changes nothing."""
    return 0


FAST = RetryPolicy(tries=3, first_delay=0.01, max_delay=0.05)


@dataclass(frozen=True, slots=True)
class LedgerComponent:
    """The test component, as the hub sees any job owner."""

    name: str = "ledger"
    services: Callable[[Wiring], Any] = field(default=lambda _wiring: LedgerServices())
    jobs: tuple[Job[Any], ...] = (
        Job("ledger.write", write, daily_at=None, ids=("key",), retry=FAST),
        Job("ledger.write_long", write, daily_at=None, ids=("key",), retry=FAST, queue=Queue.LONG),
        Job("ledger.nightly", nothing, daily_at=dt.time(2, 0)),
        Job("ledger.every_ten", nothing, daily_at=None, every=dt.timedelta(minutes=10)),
    )
    consumers: tuple[Consumer[Any, Any], ...] = (Consumer("ledger.record_tick", TICKED, record_tick),)


LEDGER = LedgerComponent()


async def job_layer(url: str, *components: SubgraphComponent[Any, Any]) -> Database:
    """A fresh database at ``url`` with the job layer's tables and the ``components``' (migrated), and the ledger."""
    histories = [MIGRATIONS, *(component.migrations for component in components)]
    database = Database.from_url(url, [history.schema for history in histories])
    await upgrade(database, histories)
    async with database.engine.begin() as connection:
        await connection.run_sync(ledger_metadata.create_all)
    return database


async def ledger_rows(database: Database, source: str) -> list[tuple[str, int]]:
    """``(aggregate, seq)`` of each ledger row from ``source`` (``job`` or ``event``), in the order written."""
    async with database.transaction() as session:
        rows = await session.execute(
            select(ledger.c.aggregate, ledger.c.seq).where(ledger.c.source == source).order_by(ledger.c.id)
        )
        return [(aggregate, seq) for aggregate, seq in rows.all()]


async def ledger_count(database: Database) -> int:
    async with database.transaction() as session:
        return int(await session.scalar(select(func.count()).select_from(ledger)) or 0)


async def waiting_on_locks(database: Database, count: int, within: float = 10.0) -> None:
    """Return once ``count`` sessions of this PostgreSQL database wait on a lock (a race is really on)."""
    query = text(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    async with asyncio.timeout(within):
        while True:
            async with database.engine.connect() as connection:
                if (await connection.scalar(query) or 0) >= count:
                    return
            await asyncio.sleep(0.01)

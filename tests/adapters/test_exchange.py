"""The 前置库 exchange adapter: two workers on one exchange table apply every row exactly once (claims with
``FOR UPDATE SKIP LOCKED``), each row's result is written back, and a worker that dies mid-batch loses nothing."""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack

from sqlalchemy import func, select

from adapters.exchange import tables as exchange
from adapters.exchange.adapter import ExchangeAdapter
from adapters.sync import sync
from kernel.db import Database
from kernel.jobs.retry import TransientError
from subgraphs.entities.models import CreditListingRow
from tests.adapters.harness import ExchangeSource, count, sink
from tests.support.hub import RunningHub

ROWS = 60


async def written_back(database: Database) -> dict[str | None, int]:
    async with database.transaction() as session:
        status = exchange.listings.c.zj_status
        rows = await session.execute(select(status, func.count()).group_by(status))
        return {status: number for status, number in rows.all()}


async def test_two_workers_on_one_exchange_table_apply_every_row_exactly_once(
    hub: RunningHub, stack: AsyncExitStack
) -> None:
    source = ExchangeSource(hub, stack)
    await source.prepare(ROWS, 0)
    assert source.database is not None
    workers = [ExchangeAdapter(source.database, name="exchange") for _ in range(2)]
    reports = await asyncio.gather(
        *(sync(worker, hub.hub.database, sink(hub, "exchange"), batch=7) for worker in workers)
    )
    assert sum(report.counts.applied for report in reports) == ROWS, reports
    assert sum(report.counts.duplicate for report in reports) == 0, "a row was taken by both workers"
    assert all(report.counts.applied for report in reports), "one worker did all the work: no concurrency shown"
    assert await source.in_target() == ROWS
    assert await written_back(source.database) == {"APPLIED": ROWS}


async def test_a_worker_dying_mid_batch_leaves_its_rows_pending_and_nothing_is_applied_twice(
    hub: RunningHub, stack: AsyncExitStack
) -> None:
    source = ExchangeSource(hub, stack)
    await source.prepare(ROWS, 0)
    assert source.database is not None
    real = sink(hub, "exchange")
    batches = 0

    async def applies_then_dies(target, items):  # type: ignore[no-untyped-def]
        nonlocal batches
        outcomes = await real.apply(target, items)
        batches += 1
        if batches == 3:  # the effect happened at the gateway; the write-back never commits
            raise TransientError("the worker died")
        return outcomes

    class Dying:
        apply = staticmethod(applies_then_dies)

    first = await sync(ExchangeAdapter(source.database), hub.hub.database, Dying(), batch=10)  # type: ignore[arg-type]
    assert first.counts.applied == 20 and first.error == "the worker died"
    assert await written_back(source.database) == {"APPLIED": 20, None: 40}
    second = await sync(ExchangeAdapter(source.database), hub.hub.database, sink(hub, "exchange"), batch=10)
    assert (second.counts.applied, second.counts.duplicate) == (30, 10)  # the dead batch's rows are duplicates
    assert await count(hub.hub.database, CreditListingRow) - source.baseline == ROWS
    assert await written_back(source.database) == {"APPLIED": 50, "DUPLICATE": 10}

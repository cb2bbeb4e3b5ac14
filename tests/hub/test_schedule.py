"""Schedules: each scheduled job is enqueued once per slot, however many schedulers look, and a scheduler that
was down catches up on the latest slot."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator, Mapping

import pytest

from hub.jobs import InProcessJobQueue, JobContext
from hub.schedule import enqueue_due, latest_slot, run_schedule, seconds_to_next_minute
from kernel.clock import BEIJING
from subgraphs.common.component import Job
from tests.support.clock import Clock
from tests.support.jobs import LEDGER, LedgerServices, job_layer, nothing

NIGHTLY, EVERY_TEN = LEDGER.jobs[2], LEDGER.jobs[3]


def beijing(day: int, hour: int, minute: int, second: int = 0) -> dt.datetime:
    return dt.datetime(2026, 5, day, hour, minute, second, tzinfo=BEIJING)


def test_a_daily_job_is_due_at_its_time_and_until_the_next_day() -> None:
    assert latest_slot(NIGHTLY, beijing(2, 1, 59)) == beijing(1, 2, 0)
    assert latest_slot(NIGHTLY, beijing(2, 2, 0)) == beijing(2, 2, 0)
    assert latest_slot(NIGHTLY, beijing(2, 23, 0).astimezone(dt.UTC)) == beijing(2, 2, 0)


def test_a_periodic_job_is_due_at_each_multiple_of_its_period_from_beijing_midnight() -> None:
    assert latest_slot(EVERY_TEN, beijing(2, 0, 0)) == beijing(2, 0, 0)
    assert latest_slot(EVERY_TEN, beijing(2, 13, 29, 59)) == beijing(2, 13, 20)
    assert latest_slot(Job("x.on_demand", nothing, daily_at=None), beijing(2, 1, 0)) is None


def test_periods_that_do_not_divide_an_hour_or_a_day_are_refused() -> None:
    for period in (dt.timedelta(minutes=7), dt.timedelta(seconds=90), dt.timedelta(hours=5)):
        with pytest.raises(ValueError, match="does not divide"):
            Job("x.odd", nothing, daily_at=None, every=period)
    Job("x.two_hourly", nothing, daily_at=None, every=dt.timedelta(hours=2))


def test_the_scheduler_wakes_at_the_next_whole_minute() -> None:
    assert seconds_to_next_minute(beijing(2, 1, 0, 45)) == 15.0


@pytest.fixture
async def context(database_url: str) -> AsyncIterator[JobContext]:
    database = await job_layer(database_url)
    clock = Clock(beijing(2, 13, 25))
    yield JobContext.build(database, [LEDGER], services={"ledger": LedgerServices(clock=clock)}, clock=clock)
    await database.dispose()


async def test_each_slot_is_enqueued_once_however_many_schedulers_look(context: JobContext) -> None:
    first, second = InProcessJobQueue(context), InProcessJobQueue(context)
    assert await enqueue_due(first, context, beijing(2, 13, 25)) == (
        "ledger.nightly@2026-05-02T02:00:00+08:00",
        "ledger.every_ten@2026-05-02T13:20:00+08:00",
    )
    assert await enqueue_due(second, context, beijing(2, 13, 29)) == ()
    assert await enqueue_due(second, context, beijing(2, 13, 30)) == ("ledger.every_ten@2026-05-02T13:30:00+08:00",)
    # down from 13:30 to 15:07: only the latest missed slot is run, not every one in between
    assert await enqueue_due(first, context, beijing(2, 15, 7)) == ("ledger.every_ten@2026-05-02T15:00:00+08:00",)
    await first.drain()
    await second.drain()
    assert len(first.results) == 3 and len(second.results) == 1


class Watched(InProcessJobQueue):
    """The in-process queue, telling the test when the scheduler has handed it a job."""

    def __init__(self, context: JobContext) -> None:
        super().__init__(context)
        self.taken = asyncio.Event()

    async def enqueue(self, name: str, *, job_id: str, ids: Mapping[str, str] | None = None) -> bool:
        taken = await super().enqueue(name, job_id=job_id, ids=ids)
        self.taken.set()
        return taken


async def test_the_embedded_scheduler_looks_at_once_and_stops_when_told(context: JobContext) -> None:
    queue = Watched(context)
    stop = asyncio.Event()
    scheduler = asyncio.create_task(run_schedule(queue, context, stop))
    await asyncio.wait_for(queue.taken.wait(), 10.0)
    stop.set()
    await asyncio.wait_for(scheduler, 5.0)
    await queue.drain()
    assert set(queue.results) == {
        "ledger.nightly@2026-05-02T02:00:00+08:00",
        "ledger.every_ten@2026-05-02T13:20:00+08:00",
    }

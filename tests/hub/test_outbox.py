"""The drainer: each event reaches each consumer once, in order per aggregate, through retries, crashes, poison
and several drainers at once; what fails for good is a dead letter that a replay delivers once."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator

import pytest

from hub.jobs import InProcessJobQueue, JobContext
from hub.jobs_command import replay
from hub.outbox import DELIVER, Drainer
from kernel.db import Database
from kernel.errors import InvalidTransitionError
from kernel.jobs import outbox
from kernel.jobs.dead_letters import LetterState, letters
from kernel.jobs.events import emit
from kernel.jobs.retry import RetryPolicy
from tests.support.clock import Clock
from tests.support.jobs import LEDGER, TICKED, LedgerServices, Tick, job_layer, ledger_rows

T0 = dt.datetime(2026, 5, 1, 8, tzinfo=dt.UTC)
NO_WAIT = RetryPolicy(tries=3, first_delay=0.0, max_delay=0.0)


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    database = await job_layer(database_url)
    yield database
    await database.dispose()


@pytest.fixture
def services() -> LedgerServices:
    return LedgerServices(clock=Clock(T0))


@pytest.fixture
def context(database: Database, services: LedgerServices) -> JobContext:
    return JobContext.build(database, [LEDGER], services={"ledger": services}, clock=services.clock)


def drainer(context: JobContext, name: str = "d1", batch: int = 100) -> Drainer:
    return Drainer(context.database, context.deliveries, context.clock, name=name, batch=batch, retry=NO_WAIT)


async def _emit(database: Database, *ticks: Tick) -> None:
    async with database.transaction() as session:
        for tick in ticks:
            await emit(session, TICKED, f"Tick:{tick.aggregate}", tick, T0)


async def test_an_event_reaches_its_consumer_once_even_when_delivered_again(
    database: Database, context: JobContext
) -> None:
    await _emit(database, Tick("A", 1))
    (event,) = await outbox.claim(database, "d0", T0, dt.timedelta(seconds=60), 10)
    consumer, services = context.deliveries.consumers["ledger.record_tick"]
    assert await context.deliveries.deliver(database, event, consumer, services) is True
    # the drainer died before settling: after the lease another one delivers it again, and nothing changes
    assert await context.deliveries.deliver(database, event, consumer, services) is False
    later = Drainer(database, context.deliveries, lambda: T0 + dt.timedelta(minutes=5), retry=NO_WAIT)
    await later.drain()
    assert await ledger_rows(database, "event") == [("A", 1)]
    assert await outbox.pending(database) == 0


async def test_transient_failures_are_retried_until_the_consumer_succeeds(
    database: Database, context: JobContext, services: LedgerServices
) -> None:
    await _emit(database, Tick("A", 1), Tick("A", 2))
    services.flaky = 2
    await drainer(context).drain()
    assert await ledger_rows(database, "event") == [("A", 1), ("A", 2)]
    assert await letters(database) == []


async def test_a_poison_event_is_dead_lettered_the_rest_proceed_and_a_replay_applies_it_once(
    database: Database, context: JobContext, services: LedgerServices
) -> None:
    await _emit(database, Tick("A", 1), Tick("A", 2, poison=True), Tick("A", 3), Tick("B", 1))
    await drainer(context).drain()
    assert await ledger_rows(database, "event") == [("A", 1), ("B", 1), ("A", 3)]
    (letter,) = await letters(database)
    assert (letter.job, letter.error_code, letter.attempts) == (DELIVER, "JOB_FAILED", 1)
    assert letter.ids == {"event": letter.ids["event"], "consumer": "ledger.record_tick"}
    assert "tick 2 of A is poison" in letter.error

    services.fixed = True
    queue = InProcessJobQueue(context)
    await replay(context, queue, letter.id, "test")
    await replay_refused_once_more(context, queue, letter.id)
    await queue.drain()
    assert await ledger_rows(database, "event") == [("A", 1), ("B", 1), ("A", 3), ("A", 2)]
    assert (await letters(database, None))[0].state is LetterState.REPLAYED


async def replay_refused_once_more(context: JobContext, queue: InProcessJobQueue, letter_id: int) -> None:
    with pytest.raises(InvalidTransitionError, match="is REPLAYED, not OPEN"):
        await replay(context, queue, letter_id, "a second operator")


async def test_an_event_failing_on_every_try_gives_up_into_a_dead_letter(
    database: Database, context: JobContext, services: LedgerServices
) -> None:
    await _emit(database, Tick("A", 1))
    services.flaky = 10
    await drainer(context).drain()
    (letter,) = await letters(database)
    assert (letter.error_code, letter.attempts) == ("GAVE_UP", 3)
    assert await outbox.pending(database) == 0


async def test_several_drainers_deliver_every_event_once_in_order_per_aggregate(postgres_database_url: str) -> None:
    database = await job_layer(postgres_database_url)
    context = JobContext.build(database, [LEDGER], services={"ledger": LedgerServices(clock=Clock(T0))})
    await _emit(database, *(Tick(aggregate, seq) for seq in range(1, 11) for aggregate in "ABCDEFGH"))
    await asyncio.gather(*(drainer(context, f"d{n}", batch=3).drain() for n in range(4)))
    while await drainer(context, "last").drain_once():  # a drainer that found its heads leased stops early
        pass
    rows = await ledger_rows(database, "event")
    assert sorted(rows) == sorted((aggregate, seq) for seq in range(1, 11) for aggregate in "ABCDEFGH")
    for aggregate in "ABCDEFGH":
        assert [seq for name, seq in rows if name == aggregate] == list(range(1, 11))
    await database.dispose()

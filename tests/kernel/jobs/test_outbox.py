"""The outbox's claim: the oldest unsettled event of each aggregate, under a lease, skipping rows being claimed."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from kernel.db import Database
from kernel.jobs import outbox
from kernel.jobs.events import Event, emit
from kernel.jobs.tables import events
from tests.support.jobs import TICKED, Tick, job_layer

T0 = dt.datetime(2026, 5, 1, 8, tzinfo=dt.UTC)
LEASE = dt.timedelta(seconds=60)


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    database = await job_layer(database_url)
    yield database
    await database.dispose()


async def _emit(database: Database, *ticks: Tick) -> None:
    async with database.transaction() as session:
        for tick in ticks:
            await emit(session, TICKED, tick.aggregate, tick, T0)


def _seen(claimed: list[Event]) -> list[tuple[str, int]]:
    return [(event.aggregate, event.payload["seq"]) for event in claimed]


async def test_only_the_oldest_unsettled_event_of_each_aggregate_is_ready(database: Database) -> None:
    await _emit(database, Tick("A", 1), Tick("B", 1), Tick("A", 2), Tick("B", 2), Tick("C", 1))
    first = await outbox.claim(database, "d1", T0, LEASE, 10)
    assert _seen(first) == [("A", 1), ("B", 1), ("C", 1)]
    assert [event.attempt for event in first] == [1, 1, 1]
    assert await outbox.claim(database, "d2", T0, LEASE, 10) == []  # heads are leased, the rest wait behind them
    await outbox.settle(database, first[0].id, T0)
    assert _seen(await outbox.claim(database, "d2", T0, LEASE, 10)) == [("A", 2)]
    assert await outbox.pending(database) == 4


async def test_a_lapsed_lease_lets_another_drainer_take_the_event(database: Database) -> None:
    await _emit(database, Tick("A", 1))
    (taken,) = await outbox.claim(database, "crashed", T0, LEASE, 10)
    assert await outbox.claim(database, "d2", T0 + LEASE, LEASE, 10) == []
    (again,) = await outbox.claim(database, "d2", T0 + LEASE + dt.timedelta(seconds=1), LEASE, 10)
    assert (again.id, again.attempt) == (taken.id, 2)


async def test_a_postponed_event_holds_back_its_aggregate_until_it_is_due(database: Database) -> None:
    await _emit(database, Tick("A", 1), Tick("A", 2), Tick("B", 1))
    a1, b1 = await outbox.claim(database, "d1", T0, LEASE, 10)
    await outbox.postpone(database, a1.id, T0 + dt.timedelta(seconds=30), "busy")
    await outbox.settle(database, b1.id, T0)
    assert await outbox.claim(database, "d1", T0 + dt.timedelta(seconds=29), LEASE, 10) == []
    assert _seen(await outbox.claim(database, "d1", T0 + dt.timedelta(seconds=30), LEASE, 10)) == [("A", 1)]
    async with database.transaction() as session:
        error = await session.scalar(select(events.c.last_error).where(events.c.id == a1.id))
    assert error == "busy"


async def test_an_event_emitted_in_a_rolled_back_transaction_never_exists(database: Database) -> None:
    with pytest.raises(RuntimeError):
        async with database.transaction() as session:
            await emit(session, TICKED, "A", Tick("A", 1), T0)
            raise RuntimeError("the effect failed")
    assert await outbox.claim(database, "d1", T0, LEASE, 10) == []


async def test_a_claim_skips_rows_another_drainer_is_claiming_instead_of_waiting(postgres_database_url: str) -> None:
    database = await job_layer(postgres_database_url)
    await _emit(database, Tick("A", 1), Tick("B", 1))
    async with database.transaction() as other:  # another drainer, mid-claim, holds A's row
        await other.execute(select(events.c.id).where(events.c.aggregate == "A").with_for_update())
        claimed = await asyncio.wait_for(outbox.claim(database, "d1", T0, LEASE, 10), 5.0)
    assert _seen(claimed) == [("B", 1)]
    await database.dispose()

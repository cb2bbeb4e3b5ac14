"""Receipts: the first transaction to record a key applies its effect; a later or racing one does not."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator

import pytest

from kernel.db import Database
from kernel.jobs.receipts import applied, first_time
from tests.support.jobs import job_layer, waiting_on_locks

AT = dt.datetime(2026, 5, 1, tzinfo=dt.UTC)


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    database = await job_layer(database_url)
    yield database
    await database.dispose()


async def test_a_key_is_applied_once_per_owner(database: Database) -> None:
    async with database.transaction() as session:
        assert await first_time(session, "permits.cancel", "event:1", AT) is True
        assert await applied(session, "permits.cancel", "event:1")
    async with database.transaction() as session:
        assert await first_time(session, "permits.cancel", "event:1", AT) is False
        assert await first_time(session, "enforcement.open_lead", "event:1", AT) is True


async def test_a_rolled_back_effect_takes_its_receipt_with_it(database: Database) -> None:
    with pytest.raises(RuntimeError):
        async with database.transaction() as session:
            assert await first_time(session, "ledger", "k", AT)
            raise RuntimeError("the effect failed")
    async with database.transaction() as session:
        assert await first_time(session, "ledger", "k", AT) is True


async def test_racing_transactions_apply_a_key_once(postgres_database_url: str) -> None:
    """The first receipt is held uncommitted until the three others are seen waiting on it in PostgreSQL."""
    database = await job_layer(postgres_database_url)
    release = asyncio.Event()

    async def one() -> bool:
        async with database.transaction() as session:
            first = await first_time(session, "ledger", "race", AT)
            if first:
                await release.wait()
            return first

    racers = [asyncio.create_task(one()) for _ in range(4)]
    await waiting_on_locks(database, 3)
    release.set()
    assert sorted(await asyncio.gather(*racers)) == [False, False, False, True]
    await database.dispose()

"""SQLite connections read on the event loop's thread and write on aiosqlite's: a plain read costs no thread
hand-off, and a writer waiting for another writer's lock never holds up the loop."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine

from kernel.db import SQLITE_IMMEDIATE, create_engine


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'inline.db'}", ())

    @event.listens_for(engine.sync_engine, "connect")
    def thread_of_call(dbapi_connection: object, _record: object) -> None:  # which thread ran a statement
        driver = dbapi_connection.driver_connection  # type: ignore[attr-defined]
        driver._conn.create_function("thread_id", 0, threading.get_ident)

    async with engine.begin() as connection:
        await connection.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)"))
        await connection.execute(text("INSERT INTO t (id, v) VALUES (1, 'a')"))
    yield engine
    await engine.dispose()


async def test_a_plain_read_runs_on_the_loops_thread(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        ran_on = (await connection.execute(text("SELECT thread_id() FROM t"))).scalar_one()
    assert ran_on == threading.get_ident()


async def test_a_write_and_what_its_transaction_reads_run_on_aiosqlites_thread(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        await connection.execute(text("UPDATE t SET v = 'b' WHERE id = 1"))
        ran_on = (await connection.execute(text("SELECT thread_id() FROM t"))).scalar_one()
    assert ran_on != threading.get_ident()
    async with engine.connect() as connection:
        assert (await connection.execute(text("SELECT v FROM t"))).scalar_one() == "b"


async def test_a_writer_waiting_for_the_lock_leaves_the_loop_free_for_readers(engine: AsyncEngine) -> None:
    immediate = engine.execution_options(**{SQLITE_IMMEDIATE: True})
    holding, released = asyncio.Event(), asyncio.Event()
    order: list[str] = []

    async def first_writer() -> None:
        async with immediate.begin() as connection:
            await connection.execute(text("UPDATE t SET v = 'first' WHERE id = 1"))
            holding.set()
            await released.wait()  # holds the write lock across an await, as a request's transaction does
            order.append("first commits")

    async def second_writer() -> None:
        await holding.wait()
        async with immediate.begin() as connection:  # waits for the lock on aiosqlite's thread, not on the loop
            order.append("second has the lock")
            await connection.execute(text("UPDATE t SET v = 'second' WHERE id = 1"))

    async def reader() -> None:
        await holding.wait()
        await asyncio.sleep(0.05)  # the second writer is waiting for the lock by now (or soon will be)
        async with engine.connect() as connection:
            seen = (await connection.execute(text("SELECT v FROM t"))).scalar_one()
        order.append(f"read {seen}")
        released.set()

    await asyncio.wait_for(asyncio.gather(first_writer(), second_writer(), reader()), timeout=30)
    assert order == ["read a", "first commits", "second has the lock"]  # the read saw the last commit, in WAL
    async with engine.connect() as connection:
        assert (await connection.execute(text("SELECT v FROM t"))).scalar_one() == "second"

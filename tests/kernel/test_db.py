"""The engine's connection handling on PostgreSQL: a pooled connection lost while idle costs no request, one in use
is handed out without a ping, and a read-only session runs its statements without BEGIN/COMMIT round trips."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from kernel.db import Database, ping_after_idle, statement_transactions


@pytest.fixture
async def database(postgres_database_url: str) -> AsyncIterator[Database]:
    database = Database.from_url(postgres_database_url, ())
    yield database
    await database.dispose()


def _count_pings(database: Database) -> list[object]:
    """Each ping the engine sends from now on (SQLAlchemy's dialect pings; counted, then sent as before)."""
    dialect = database.engine.sync_engine.dialect
    pings: list[object] = []
    ping = dialect.do_ping

    def counted(dbapi_connection: Any) -> bool:
        pings.append(dbapi_connection)
        return ping(dbapi_connection)

    dialect.do_ping = counted  # type: ignore[method-assign]
    return pings


async def _backend_pid(database: Database) -> int:
    async with database.sessions() as session:
        return int((await session.execute(text("SELECT pg_backend_pid()"))).scalar_one())


async def test_a_connection_killed_while_idle_is_replaced_before_the_next_request(
    database: Database, postgres_database_url: str
) -> None:
    ping_after_idle(database.engine, idle_s=0.0)  # every pooled connection counts as idle: always pinged
    first = await _backend_pid(database)
    admin = await asyncpg.connect(make_url(postgres_database_url).set(drivername="postgresql").render_as_string(False))
    try:
        assert await admin.fetchval("SELECT pg_terminate_backend($1)", first)
    finally:
        await admin.close()
    assert await _backend_pid(database) != first  # served, on a new connection


async def test_a_connection_in_steady_use_is_handed_out_without_a_ping(database: Database) -> None:
    await _backend_pid(database)  # the pool holds a connection, just returned
    pings = _count_pings(database)
    await _backend_pid(database)
    assert pings == []  # pool_pre_ping sent BEGIN, a ping and ROLLBACK here, before every request


async def test_a_read_only_session_runs_its_statements_outside_a_transaction(database: Database) -> None:
    async with database.sessions() as session:
        statement_transactions(session)
        assert (await session.execute(text("SELECT 1"))).scalar_one() == 1
        raw = await (await session.connection()).get_raw_connection()
        assert raw.driver_connection is not None
        assert not raw.driver_connection.is_in_transaction()  # no BEGIN was sent, no COMMIT will be
        await session.commit()
    async with database.sessions() as session:  # an ordinary session still has its transaction
        await session.execute(text("SELECT 1"))
        raw = await (await session.connection()).get_raw_connection()
        assert raw.driver_connection is not None
        assert raw.driver_connection.is_in_transaction()

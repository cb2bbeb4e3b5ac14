"""SQLite connections that read on the event loop's own thread.

aiosqlite runs every call of a connection on a thread of its own: each one is a queue put, a thread wake-up and a
future resolved back on the loop. SQLAlchemy makes four or five such calls per statement (cursor, execute, fetch,
close, and the reset at check-in), so on the embedded hub the hand-offs cost more CPU than SQLite itself: about
0.4 ms of a 0.55 ms primary-key read (``benchmarks/hub_bench.py``, issue 17).

:class:`InlineReads` keeps aiosqlite's thread for what may wait on SQLite's write lock and runs the rest inline:
a ``SELECT`` outside a transaction, fetching its rows, cursors, and the commit or rollback of a connection with
no transaction open (no-ops). In WAL mode, which every connection of ours uses, a reader never waits for a
writer, so none of these blocks the loop on a lock; a writing transaction (``BEGIN IMMEDIATE``, DML, anything
once a transaction is open) still goes to the thread, where waiting for another writer blocks only that thread.
A read that is slow because it is large (a scan of a whole table) holds the loop while it runs: the embedded hub
serves a district's demo data set; a city-scale deployment runs on PostgreSQL.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

import aiosqlite

_INLINE_CALLS = frozenset({"cursor", "fetchone", "fetchmany", "fetchall", "close", "commit", "rollback"})
"""sqlite3 calls that never wait on a lock when the connection has no transaction open."""


def _reads(sql: object) -> bool:
    """True for a plain ``SELECT`` (a ``WITH`` may hide DML, a ``PRAGMA`` may write: both go to the thread)."""
    return isinstance(sql, str) and sql.lstrip()[:6].upper() == "SELECT"


class InlineReads(aiosqlite.Connection):
    """An aiosqlite connection whose lock-free calls run on the calling thread (see the module's text)."""

    async def _execute(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        connection = self._connection
        if connection is not None and self._running and not connection.in_transaction:
            name = getattr(fn, "__name__", "")
            if name in _INLINE_CALLS or (name == "execute" and args and _reads(args[0])):
                return fn(*args, **kwargs)
        return await super()._execute(fn, *args, **kwargs)  # type: ignore[no-untyped-call]


def connect_inline_reads(database: str, **kwargs: Any) -> InlineReads:
    """Like ``aiosqlite.connect``: a connection to the SQLite file ``database``, opened when awaited. It is used
    from two threads (the loop's and aiosqlite's, never at once), so sqlite3's same-thread check is off."""

    options = {**kwargs, "check_same_thread": False}

    def connector() -> sqlite3.Connection:
        connection: sqlite3.Connection = sqlite3.connect(database, **options)
        return connection

    connection = InlineReads(connector, iter_chunk_size=64)
    connection._thread.daemon = True  # as SQLAlchemy sets it: an unclosed connection never holds up the exit
    return connection

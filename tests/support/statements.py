"""What the database driver runs: every SQL statement, seen by the driver's own tracing hook on each connection the
pool hands out while the block runs — prepared reads (``subgraphs.common.prepared``) go past SQLAlchemy's execute
events, not past the driver. On SQLite, sqlite3's trace callback sees every statement. On PostgreSQL, asyncpg's
query logger sees the statements run on the driver directly but not those SQLAlchemy runs through asyncpg's
prepared statements, which SQLAlchemy's own execute event adds. Observing, not mocking."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from kernel.db import Database


@contextmanager
def statements(database: Database, *, selects_only: bool = False) -> Iterator[list[str]]:
    """The statements sent while the block runs (only ``SELECT``s with ``selects_only``), in order."""
    seen: list[str] = []
    traced: list[tuple[Any, Callable[[], None]]] = []

    def record(text: str) -> None:
        if not selects_only or text.lstrip().upper().startswith("SELECT"):
            seen.append(text)

    def on_checkout(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        driver = dbapi_connection.driver_connection
        if any(connection is driver for connection, _ in traced):
            return
        if hasattr(driver, "add_query_logger"):  # asyncpg

            def logged(query: Any) -> None:
                record(query.query)

            driver.add_query_logger(logged)
            traced.append((driver, lambda: driver.remove_query_logger(logged)))
        else:  # aiosqlite: the sqlite3 connection underneath, on whichever thread runs the statement
            raw = driver._conn
            raw.set_trace_callback(record)
            traced.append((driver, lambda: raw.set_trace_callback(None)))

    def on_execute(_connection: Any, _cursor: Any, text: str, *_: Any) -> None:
        record(text)

    engine = database.engine.sync_engine
    postgresql = engine.dialect.name == "postgresql"
    event.listen(engine, "checkout", on_checkout)
    if postgresql:
        event.listen(engine, "before_cursor_execute", on_execute)
    try:
        yield seen
    finally:
        event.remove(engine, "checkout", on_checkout)
        if postgresql:
            event.remove(engine, "before_cursor_execute", on_execute)
        for _, untrace in traced:
            untrace()

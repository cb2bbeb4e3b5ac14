"""One async database per process: engine, sessions, and the per-subgraph schema mapping.

Each subgraph owns its tables inside its own PostgreSQL schema (``entities``, ``permits`` …).
SQLite has no schemas, so there the schema names are translated away and every table lives in
one file; table names are therefore unique across the whole project.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

SUBGRAPH_SCHEMAS: tuple[str, ...] = ("entities", "permits", "supervision", "enforcement", "detection", "identity")
"""PostgreSQL schemas, one per component that owns tables."""


def is_sqlite(url: str) -> bool:
    """True when ``url`` names an SQLite database."""
    return make_url(url).get_backend_name() == "sqlite"


async def copy_records(
    connection: AsyncConnection, table: Table, columns: Sequence[str], records: Iterable[tuple[Any, ...]]
) -> None:
    """Bulk-load ``records`` (values in ``columns`` order) into ``table`` with PostgreSQL COPY (asyncpg only)."""
    raw = await connection.get_raw_connection()
    await raw.driver_connection.copy_records_to_table(  # type: ignore[union-attr]
        table.name, schema_name=table.schema, columns=list(columns), records=list(records)
    )


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def create_engine(url: str, *, echo: bool = False, pool_size: int = 10) -> AsyncEngine:
    """Build the async engine for ``url`` (``postgresql+asyncpg://`` or ``sqlite+aiosqlite://``)."""
    if is_sqlite(url):
        engine = create_async_engine(url, echo=echo).execution_options(
            schema_translate_map=dict.fromkeys(SUBGRAPH_SCHEMAS)
        )
        event.listen(engine.sync_engine, "connect", _on_sqlite_connect)
        return engine
    return create_async_engine(url, echo=echo, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)


class SerialSession(AsyncSession):
    """An AsyncSession that runs one database operation at a time.

    GraphQL resolves sibling fields concurrently (two DataLoaders dispatching in the same tick, or
    ``{ entity(...) entities(...) }``), and an AsyncSession must not be used concurrently; the lock
    queues those calls instead of failing with "concurrent operations are not permitted".
    ``scalars``/``stream_scalars`` go through ``execute``/``stream`` and are covered by them.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._serial = asyncio.Lock()

    async def execute(self, *args: Any, **kwargs: Any) -> Any:
        async with self._serial:
            return await super().execute(*args, **kwargs)

    async def scalar(self, *args: Any, **kwargs: Any) -> Any:
        async with self._serial:
            return await super().scalar(*args, **kwargs)

    async def get(self, *args: Any, **kwargs: Any) -> Any:
        async with self._serial:
            return await super().get(*args, **kwargs)

    async def stream(self, *args: Any, **kwargs: Any) -> Any:
        async with self._serial:
            return await super().stream(*args, **kwargs)

    async def flush(self, objects: Sequence[Any] | None = None) -> None:
        async with self._serial:
            await super().flush(objects)

    async def refresh(self, *args: Any, **kwargs: Any) -> None:
        async with self._serial:
            await super().refresh(*args, **kwargs)

    async def delete(self, instance: object) -> None:
        async with self._serial:
            await super().delete(instance)

    async def commit(self) -> None:
        async with self._serial:
            await super().commit()

    async def rollback(self) -> None:
        async with self._serial:
            await super().rollback()


@dataclass(frozen=True, slots=True)
class Database:
    """The process's engine and its session factory; the request owns the transaction."""

    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]

    @classmethod
    def from_url(cls, url: str, *, echo: bool = False) -> Database:
        engine = create_engine(url, echo=echo)
        return cls(engine=engine, sessions=async_sessionmaker(engine, class_=SerialSession, expire_on_commit=False))

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session whose transaction commits on success and rolls back on any error."""
        async with self.sessions() as session, session.begin():
            yield session

    async def dispose(self) -> None:
        await self.engine.dispose()

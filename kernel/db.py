"""One async database per process: engine, sessions, and the per-component schema mapping.

Each component owns its tables inside its own PostgreSQL schema (``entities``, ``permits``, ``identity`` …).
SQLite has no schemas, so there the schema names the process was built with are translated away and every
table lives in one file; table names are therefore unique across the whole project.
SQL parameters never reach a log or an error message (``hide_parameters``): they hold personal data.

With a read replica (``read_url``: a PostgreSQL streaming replica), a GraphQL request's session reads there until
it writes (:class:`ReplicaReads`); everything else — jobs, the outbox, migrations, mutations — uses the primary.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import CompoundSelect, MetaData, Select, Table, event
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import DBAPIError, DisconnectionError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import Session
from sqlalchemy.pool import ConnectionPoolEntry

from kernel.errors import ConcurrentChangeError, ConflictError, ZhijianError
from kernel.replica import ReplicaLink
from kernel.sqlite_inline import connect_inline_reads

logging.getLogger("aiosqlite").setLevel(logging.INFO)
"""aiosqlite's DEBUG lines carry every statement's parameters (personal data): never emit them."""


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


async def fetch_records(session: AsyncSession, statement: Select[*tuple[Any, ...]]) -> Sequence[Sequence[Any]]:
    """Every row of ``statement`` as the driver's own records: on PostgreSQL asyncpg ``Record``s (tuples by
    position, decoded in C, none of SQLAlchemy's row processing: about half the time for a million rows), else
    SQLAlchemy rows. In the session's transaction (the replica while it reads there), one operation at a time like
    every call on a :class:`SerialSession`. Only for columns the driver decodes as the model does (strings,
    numbers, booleans, dates); nothing enters the identity map, and no ORM event runs, so a request session's
    statements come here through ``subgraphs.common.jurisdiction.fetch_scoped``, which scopes them first."""
    async with session._serial if isinstance(session, SerialSession) else contextlib.nullcontext():
        connection = await session.connection(bind_arguments={"clause": statement})
        if connection.dialect.driver != "asyncpg":
            return (await connection.execute(statement)).all()
        compiled = statement.compile(dialect=connection.dialect, compile_kwargs={"render_postcompile": True})
        parameters = compiled.construct_params()
        raw = await connection.get_raw_connection()
        driver: Any = raw.driver_connection
        records: Sequence[Sequence[Any]] = await driver.fetch(
            str(compiled), *(parameters[name] for name in compiled.positiontup or ())
        )
        return records


_WROTE = "zhijian.wrote"
"""``Session.info`` key of a :class:`ReplicaReads`: set by its first statement in a transaction that may write."""


def writes_pending(session: AsyncSession) -> bool:
    """True when ``session`` holds rows to write; the dirty check, which walks every loaded row, only where rows
    were loaded (a request's session mostly holds none)."""
    sync = session.sync_session
    return bool(sync.new or sync.deleted or (len(sync.identity_map) and sync.dirty))


def uncommitted_writes(session: AsyncSession) -> bool:
    """True when ``session`` (a :class:`ReplicaReads`) sent a statement in its transaction that may have written
    (a flush, DML, raw SQL, a bare ``connection()``) or holds rows to write: it has something to commit."""
    return _WROTE in session.sync_session.info or writes_pending(session)


def dialect_name(session: AsyncSession) -> str:
    """The name of the dialect ``session`` speaks (``sqlite``, ``postgresql``), asked of its engine: a bare
    ``get_bind()`` would count as a statement that may write (:class:`ReplicaReads`)."""
    bind = session.sync_session.bind
    return (bind if bind is not None else session.get_bind()).dialect.name


def execution_options(connection: AsyncConnection) -> Mapping[str, Any]:
    """The execution options in force on ``connection`` (its engine's and its own)."""
    return connection.sync_connection.get_execution_options() if connection.sync_connection else {}


async def driver_fetch(connection: AsyncConnection, sql: str, arguments: Sequence[Any]) -> Sequence[Sequence[Any]]:
    """The rows of ``sql`` (the dialect's text, positional parameters) as the driver decodes them, none of
    SQLAlchemy's conversions. On the driver itself where that is the connection's transaction: SQLite (whose
    driver keeps its own transaction state, :mod:`kernel.sqlite_inline`) and PostgreSQL in autocommit (a request
    that only reads, :func:`statement_transactions`); otherwise through SQLAlchemy's adapter, which begins the
    transaction the first statement must run in."""
    raw = await connection.get_raw_connection()
    driver: Any = raw.driver_connection
    if connection.dialect.driver != "asyncpg":
        async with driver.execute(sql, arguments) as cursor:
            rows: Sequence[Sequence[Any]] = await cursor.fetchall()
            return rows
    if execution_options(connection).get("isolation_level") == "AUTOCOMMIT":
        records: Sequence[Sequence[Any]] = await driver.fetch(sql, *arguments)
        return records
    return (await connection.exec_driver_sql(sql, tuple(arguments))).all()


SQLITE_IMMEDIATE = "zhijian_sqlite_immediate"
"""Connection execution option: begin the transaction with ``BEGIN IMMEDIATE`` on SQLite, taking the write lock
at once, so concurrent writers queue instead of failing on a stale snapshot (PostgreSQL ignores it)."""


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def _on_sqlite_begin(connection: Connection) -> None:
    # The driver begins a deferred transaction itself before the first write (reads in between see the latest
    # commit); a writing transaction instead takes the write lock before its first statement.
    if connection.get_execution_options().get(SQLITE_IMMEDIATE):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def write_transactions(session: AsyncSession) -> None:
    """Make every transaction this (not yet used) session begins take SQLite's write lock at once (BEGIN IMMEDIATE),
    so concurrent writers queue instead of deciding on a stale snapshot; PostgreSQL is unaffected."""
    bind = session.sync_session.bind
    if bind is not None and bind.dialect.name == "sqlite":
        session.sync_session.bind = bind.execution_options(**{SQLITE_IMMEDIATE: True})


IDLE_BEFORE_PING_S = 5.0
"""A pooled PostgreSQL connection left unused this long is pinged before it is handed out again, so a database
restart or a server-side idle timeout while it sat in the pool costs no request. One in steady use is handed out
as it is: pinging every checkout (``pool_pre_ping``) cost three round trips (BEGIN, a ping, ROLLBACK) per request.
A connection that breaks mid-use fails that statement either way, and the pool then replaces it."""

_IDLE_SINCE = "zhijian_idle_since"


def ping_after_idle(engine: AsyncEngine, idle_s: float = IDLE_BEFORE_PING_S) -> None:
    """Ping a pooled connection on checkout when it has been idle ``idle_s`` or longer; a dead one is replaced
    (the pool retries the checkout on :class:`DisconnectionError`)."""
    dialect = engine.sync_engine.dialect

    def rested(_dbapi_connection: Any, record: ConnectionPoolEntry, *_: Any) -> None:
        record.info[_IDLE_SINCE] = time.monotonic()

    def checkout(dbapi_connection: Any, record: ConnectionPoolEntry, _proxy: Any) -> None:
        since = record.info.get(_IDLE_SINCE)
        if since is not None and time.monotonic() - since < idle_s:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except Exception as error:  # any failure: hand out another connection instead
            raise DisconnectionError("a pooled connection was lost while idle") from error

    event.listen(engine.sync_engine, "connect", rested)
    event.listen(engine.sync_engine, "checkin", rested)
    event.listen(engine.sync_engine, "checkout", checkout)


def statement_transactions(session: AsyncSession) -> None:
    """Run each statement of this (not yet used) session in its own transaction on PostgreSQL (autocommit: no
    BEGIN and COMMIT round trips), for a request that only reads. Under READ COMMITTED, PostgreSQL's default and
    ours, a statement inside a transaction takes its own snapshot anyway, so the request reads the same rows; what
    it adds (a read's audit record) is written when the session flushes, at commit. SQLite is unaffected."""
    bind = session.sync_session.bind
    if isinstance(bind, Engine) and bind.dialect.name == "postgresql":
        session.sync_session.bind = _autocommit(bind)
        replica: Engine | None = session.info.get(READ_REPLICA)
        if replica is not None:
            session.info[READ_REPLICA] = _autocommit(replica)


_AUTOCOMMIT: dict[Engine, Engine] = {}


def _autocommit(engine: Engine) -> Engine:
    found = _AUTOCOMMIT.get(engine)
    if found is None:
        found = _AUTOCOMMIT[engine] = engine.execution_options(isolation_level="AUTOCOMMIT")
    return found


def _file_database(url: str) -> bool:
    """True when ``url`` names an SQLite file (pooled), not a private ``:memory:`` database (one connection)."""
    database = make_url(url).database
    return database not in (None, "", ":memory:")


def _inline_reads_creator(url: str) -> Callable[[], Awaitable[Any]]:
    """Connections to the SQLite database at ``url`` that read on the loop's thread (:mod:`kernel.sqlite_inline`),
    opened with the arguments SQLAlchemy's dialect derives from the URL."""
    arguments, options = create_async_engine(url).sync_engine.dialect.create_connect_args(make_url(url))
    (database,) = arguments

    async def creator() -> Any:
        return await connect_inline_reads(database, **options)

    return creator


POOL_SIZE = 20
"""Connections a process's engine opens at most, and keeps open once opened. All of them are kept (no overflow):
with a smaller pool and overflow on top (SQLAlchemy's 5 + 10 on SQLite, our 10 + 10 on PostgreSQL), a process whose
concurrency swung above the pool closed the extra connections as they came back and opened new ones on the next
swing — on PostgreSQL a TLS attempt, a sign-in and the dialect's set-up queries each time: 4–5 % of a subgraph's CPU
under 16 connections (issue 17)."""


def create_engine(
    url: str,
    schemas: Iterable[str],
    *,
    echo: bool = False,
    pool_size: int = POOL_SIZE,
    link: ReplicaLink | None = None,
) -> AsyncEngine:
    """Build the async engine for ``url`` (``postgresql+asyncpg://`` or ``sqlite+aiosqlite://``) over the
    components' ``schemas``, with up to ``pool_size`` connections (:data:`POOL_SIZE`); a read replica's connects
    through its ``link`` (the primary while it is away)."""
    if is_sqlite(url):
        pooling = {"pool_size": pool_size, "max_overflow": 0} if _file_database(url) else {}  # else one, shared
        engine = create_async_engine(
            url, echo=echo, hide_parameters=True, async_creator=_inline_reads_creator(url), **pooling
        ).execution_options(schema_translate_map=dict.fromkeys(schemas))
        event.listen(engine.sync_engine, "connect", _on_sqlite_connect)
        event.listen(engine.sync_engine, "begin", _on_sqlite_begin)
        return engine
    connecting = {} if link is None else {"async_creator": link.connect}
    engine = create_async_engine(
        url, echo=echo, hide_parameters=True, pool_size=pool_size, max_overflow=0, **connecting
    )
    ping_after_idle(engine)
    if link is not None:
        link.watch(engine)
    return engine


NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
"""Constraint and index names of components' tables (names unique across the project's schemas)."""


def schema_metadata(schema: str) -> MetaData:
    """The metadata of one component's tables, in PostgreSQL schema ``schema``, with :data:`NAMING_CONVENTION`."""
    return MetaData(schema=schema, naming_convention=NAMING_CONVENTION)


READ_REPLICA = "zhijian.read_replica"
"""``Session.info`` key: the replica's (sync) engine, while the session may still read there."""


class ReplicaReads(Session):
    """A sync session that sends plain reads to the read replica named in its ``info`` until it writes.

    The first statement that is not a plain SELECT — a flush (inserts, updates, deletes, the audit trail of a
    query), a locking read (``FOR UPDATE``), Core DML, raw SQL, or a bare ``connection()`` — goes to the primary,
    and so does every statement after it: a request reads its own writes, and a write decided on what it read
    from the primary. A session without a replica in ``info`` is an ordinary session on the primary. Either way it
    notes such a statement until its transaction ends (:func:`uncommitted_writes`).
    """

    def get_bind(self, mapper: Any = None, *, clause: Any = None, **kw: Any) -> Engine | Connection:
        plain = not self._flushing and _plain_read(clause)
        if not plain:
            self.info[_WROTE] = True  # until the transaction ends: uncommitted_writes
        replica: Engine | None = self.info.get(READ_REPLICA)
        if replica is not None:
            if plain:
                return replica
            del self.info[READ_REPLICA]
        return super().get_bind(mapper, clause=clause, **kw)


@event.listens_for(ReplicaReads, "after_transaction_end")
def _forget_writes(session: Session, transaction: Any) -> None:
    if transaction.parent is None:
        session.info.pop(_WROTE, None)


def _plain_read(clause: Any) -> bool:
    return isinstance(clause, CompoundSelect) or (isinstance(clause, Select) and clause._for_update_arg is None)


def read_on_replica(session: AsyncSession, replica: AsyncEngine | None) -> None:
    """Let ``session`` (a :class:`ReplicaReads`, not yet used) read on ``replica`` until it writes."""
    if replica is not None:
        session.info[READ_REPLICA] = replica.sync_engine


def primary_only(session: AsyncSession) -> None:
    """Every statement of ``session`` from now on to the primary (a mutation: it reads what it decides on there)."""
    session.info.pop(READ_REPLICA, None)


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
    schemas: tuple[str, ...]
    """The components' PostgreSQL schemas (translated away on SQLite)."""
    replica: AsyncEngine | None = None
    """A read replica's engine (``ZHIJIAN_DATABASE_READ_URL``): GraphQL requests' reads until they write."""
    replica_link: ReplicaLink | None = None
    """How the replica engine connects (the primary while the replica is away) and its readiness check."""

    @classmethod
    def from_url(cls, url: str, schemas: Iterable[str], *, echo: bool = False, read_url: str | None = None) -> Database:
        schemas = tuple(schemas)
        engine = create_engine(url, schemas, echo=echo)
        link = None if read_url is None else ReplicaLink(read_url, url)
        return cls(
            engine=engine,
            sessions=async_sessionmaker(engine, class_=SerialSession, expire_on_commit=False),
            schemas=schemas,
            replica=None if read_url is None else create_engine(read_url, schemas, echo=echo, link=link),
            replica_link=link,
        )

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
        if self.replica is not None:
            await self.replica.dispose()


_CONCURRENT_SQLSTATES = frozenset({"40001", "40P01", "55P03"})
"""serialization_failure, deadlock_detected, lock_not_available: another transaction got there first."""


def concurrency_error(error: BaseException) -> ZhijianError | None:
    """What a caller is told when the database refused a write because of another transaction; None otherwise.

    A unique violation means someone recorded the same thing at the same moment (``CONFLICT``); a deadlock,
    a serialization failure or SQLite's lock timeout mean the record changed under us (``CONCURRENT_CHANGE``).
    Either way nothing of this request was written.
    """
    if isinstance(error, IntegrityError) and _is_unique_violation(error):
        return ConflictError("this was just recorded by another request; nothing was written — read it again")
    if isinstance(error, DBAPIError):
        state = getattr(error.orig, "sqlstate", None) or getattr(error.orig, "pgcode", None)
        if state in _CONCURRENT_SQLSTATES or "database is locked" in str(error.orig):
            return ConcurrentChangeError(
                "the record was changed by another request at the same moment; nothing was written — read it again"
            )
    return None


def _is_unique_violation(error: IntegrityError) -> bool:
    state = getattr(error.orig, "sqlstate", None) or getattr(error.orig, "pgcode", None)
    return state == "23505" or "UNIQUE constraint failed" in str(error.orig)

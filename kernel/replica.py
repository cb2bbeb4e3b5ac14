"""The read replica's connections, with a fall-back to the primary while the replica does not answer.

The replica engine (``ZHIJIAN_DATABASE_READ_URL``) connects through :class:`ReplicaLink`: to the replica, or, when
that fails (refused, timed out, the server shutting down), to the primary, so that a request's reads are answered
from the primary — never older than the replica's — instead of failing. A connection that went to the primary is
given up on its first checkout after ``retry_s``, so reads return to the replica once it answers again. A
statement already running on a replica that dies fails with it (only those in flight). :meth:`ReplicaLink.check`
asks the replica itself, for readiness: a subgraph on the fall-back says so (``degraded``) and stays in service.
"""

from __future__ import annotations

import asyncio
import logging
import time
import weakref
from collections.abc import Callable
from typing import Any

import asyncpg
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine

log = logging.getLogger("zhijian.db.replica")

CONNECT_TIMEOUT_S = 2.0
"""How long a connection to the replica may take before the primary is used instead."""
RETRY_S = 5.0
"""How long a connection made to the primary in the replica's place is used before the replica is tried again."""


def driver_dsn(url: str) -> str:
    """``postgresql+asyncpg://…`` as asyncpg's own DSN (``postgresql://…``)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


class ReplicaLink:
    """Connects the replica engine's pool: the replica, or the primary while the replica does not answer."""

    def __init__(self, replica_url: str, primary_url: str, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.replica = driver_dsn(replica_url)
        self.primary = driver_dsn(primary_url)
        self.clock = clock
        self.down: str | None = None
        """Why the last connection went to the primary; None once the replica answered again."""
        self._fallbacks: weakref.WeakKeyDictionary[Any, float] = weakref.WeakKeyDictionary()

    async def connect(self) -> Any:
        """asyncpg's connection to the replica, or to the primary (remembered, to be given up after a while)."""
        try:
            connection = await asyncpg.connect(self.replica, timeout=CONNECT_TIMEOUT_S)
        except (OSError, TimeoutError, asyncpg.PostgresError) as error:
            if self.down is None:
                log.warning("the read replica does not answer (%s): reading on the primary", type(error).__name__)
            self.down = f"{type(error).__name__}: {error}".strip()
            connection = await asyncpg.connect(self.primary)
            self._fallbacks[connection] = self.clock()
            return connection
        if self.down is not None:
            log.info("the read replica answers again")
        self.down = None
        return connection

    def retry_due(self, driver_connection: Any) -> bool:
        """True for a connection to the primary made in the replica's place more than :data:`RETRY_S` ago."""
        since = self._fallbacks.get(driver_connection)
        return since is not None and self.clock() - since >= RETRY_S

    def watch(self, engine: AsyncEngine) -> None:
        """Give up ``engine``'s fall-back connections on checkout once the replica is due to be tried again."""

        def checkout(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
            if self.retry_due(dbapi_connection.driver_connection):
                raise DisconnectionError("a fall-back connection to the primary: try the replica again")

        event.listen(engine.sync_engine, "checkout", checkout)

    async def check(self) -> None:
        """Readiness: the replica itself answers, or the reason it does not (reads are then on the primary)."""
        try:
            connection = await asyncpg.connect(self.replica, timeout=CONNECT_TIMEOUT_S)
        except (OSError, TimeoutError, asyncpg.PostgresError) as error:
            raise ReplicaDown(f"{type(error).__name__}: {error}; reads fall back to the primary") from None
        try:
            await asyncio.wait_for(connection.fetchval("SELECT 1"), CONNECT_TIMEOUT_S)
        finally:
            await connection.close()


class ReplicaDown(Exception):
    """The read replica does not answer (readiness reports the reason)."""

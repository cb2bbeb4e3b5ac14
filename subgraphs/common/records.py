"""The one way a state change takes hold of its record: locked, re-read, inside the caller's jurisdiction.

Every domain function that changes a record's state starts with :func:`lock_for_change` on the aggregate's root
(the entity, the application, the permit), so two requests acting on one record at once serialise: on
PostgreSQL the second waits for the first's commit (``SELECT … FOR UPDATE``) and then sees its result — the
state has moved on, and the state machine refuses the second with a coded error; on SQLite a mutation holds the
database's write lock from its first statement (:mod:`subgraphs.common.context`). Exactly one wins.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from kernel.errors import InternalError, NotFoundError

Row = TypeVar("Row")


async def between_transactions(session: AsyncSession) -> None:
    """End the request's transaction before it has written anything, so that it can wait on another service (a
    registry across the gateway) without holding a lock; the next statement begins a new transaction, and the
    change re-reads (and locks) its record there."""
    if session.new or session.dirty or session.deleted:
        raise InternalError("between_transactions() after a write would lose it")
    await session.rollback()


async def lock_for_change(session: AsyncSession, model: type[Row], key: Any, what: str) -> Row:
    """The current row with primary key ``key``, locked for this transaction, always read from the database
    (never a stale copy from earlier in the request); ``NOT_FOUND`` naming ``what`` when the caller's
    jurisdiction holds no such row."""
    row = await session.get(model, key, with_for_update=True, populate_existing=True)
    if row is None:
        raise NotFoundError(f"no {what} {key} in your jurisdiction", details={"id": str(key)})
    return row

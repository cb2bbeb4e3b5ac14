"""Receipts: the dedup row that makes an at-least-once delivery apply its effect once.

A consumer or a job calls :func:`first_time` inside the transaction of its effect: the first transaction to
record ``(owner, key)`` applies the effect; a later one (a redelivery, a job run twice, a second worker racing
the first) finds the receipt and does nothing. On PostgreSQL a racing transaction waits on the first's
uncommitted receipt and then sees it; if the first rolls back, its receipt goes with it.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from kernel.jobs.tables import receipts


async def first_time(session: AsyncSession, owner: str, key: str, at: dt.datetime) -> bool:
    """Record that ``owner`` applies ``key`` in this transaction; False when it already did."""
    dialect = session.bind.dialect.name if session.bind is not None else "postgresql"
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    result = await session.execute(
        insert(receipts).values(owner=owner, key=key, at=at).on_conflict_do_nothing(index_elements=["owner", "key"])
    )
    return bool(getattr(result, "rowcount", 0))


async def applied(session: AsyncSession, owner: str, key: str) -> bool:
    """Whether ``owner`` has recorded ``key`` (committed, or earlier in this transaction)."""
    found = await session.scalar(select(receipts.c.key).where(receipts.c.owner == owner, receipts.c.key == key))
    return found is not None

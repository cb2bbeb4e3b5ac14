"""Draining the outbox, the database side: claim ready events under a lease, then settle them.

An event is *ready* when it is unsettled, due (``available_at``), not under another drainer's live lease, and
the oldest unsettled event of its aggregate — so the events of one aggregate are delivered one after another,
in the order they were written, however many drainers run. Claiming is one short transaction (on PostgreSQL
``FOR UPDATE SKIP LOCKED``, so drainers never wait on each other; SQLite serialises writers anyway); delivery
happens outside it, and a drainer that dies mid-delivery only delays its events until its lease lapses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import and_, exists, func, or_, select, update

from kernel.db import Database
from kernel.jobs.events import Event
from kernel.jobs.tables import events

_DELIVERED = ("id", "event_type", "aggregate", "payload", "occurred_at", "attempts")


def _ready(now: dt.datetime) -> Sequence[object]:
    earlier = events.alias("earlier")
    return (
        events.c.settled_at.is_(None),
        events.c.available_at <= now,
        or_(events.c.claimed_until.is_(None), events.c.claimed_until < now),
        ~exists().where(
            and_(earlier.c.aggregate == events.c.aggregate, earlier.c.settled_at.is_(None), earlier.c.id < events.c.id)
        ),
    )


async def claim(database: Database, drainer: str, now: dt.datetime, lease: dt.timedelta, limit: int) -> list[Event]:
    """Take up to ``limit`` ready events for ``drainer`` until ``now + lease``; oldest first, one per aggregate."""
    candidates = (
        select(events.c.id)
        .where(*_ready(now))  # type: ignore[arg-type]
        .order_by(events.c.id)
        .limit(limit)
        .with_for_update(skip_locked=True, of=events)
    )
    statement = (
        update(events)
        .where(events.c.id.in_(candidates.scalar_subquery()))
        .values(claimed_by=drainer, claimed_until=now + lease, attempts=events.c.attempts + 1)
        .returning(*(events.c[name] for name in _DELIVERED))
    )
    async with database.transaction() as session:
        rows = (await session.execute(statement)).all()
    return sorted(
        (Event(row.id, row.event_type, row.aggregate, row.payload, row.occurred_at, row.attempts) for row in rows),
        key=lambda event: event.id,
    )


async def settle(database: Database, event_id: int, now: dt.datetime, error: str | None = None) -> None:
    """The event is done with: delivered to every consumer, or given up on (``error``; its dead letters hold it)."""
    async with database.transaction() as session:
        await session.execute(
            update(events)
            .where(events.c.id == event_id)
            .values(settled_at=now, claimed_by=None, claimed_until=None, last_error=error)
        )


async def postpone(database: Database, event_id: int, until: dt.datetime, error: str) -> None:
    """A delivery failed for now: release the claim, try again at ``until`` (later events of its aggregate wait)."""
    async with database.transaction() as session:
        await session.execute(
            update(events)
            .where(events.c.id == event_id)
            .values(available_at=until, claimed_by=None, claimed_until=None, last_error=error)
        )


async def pending(database: Database) -> int:
    """How many events are not settled yet (the outbox's backlog)."""
    async with database.transaction() as session:
        return int(await session.scalar(select(func.count()).where(events.c.settled_at.is_(None))) or 0)

"""Suspension of business (歇业): 市场主体登记管理条例 Art. 30, 实施细则 Art. 40–42.

Filed with the registry before it starts (Art. 41); at most 3 years in total (条例 Art. 30; 实施细则 Art. 42:
累计歇业满3年); it ends when the entity resumes, recorded (Art. 42 ¶1), or when the filed period runs out, deemed
resumed (Art. 42 ¶3). The entity is SUSPENDED exactly while a filed suspension runs; :func:`advance_suspensions`
starts and ends them.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kernel.errors import ClientError, InvalidTransitionError
from subgraphs.common.calendar import ensure_not_future
from subgraphs.common.errors import CommonCode
from subgraphs.common.records import lock_for_change
from subgraphs.common.rules import default_rules
from subgraphs.entities.errors import EntitiesCode
from subgraphs.entities.models import MarketEntityRow, SuspensionRow
from subgraphs.entities.vocabulary import EntityStatus, SuspensionEnd


def _last_day(suspension: SuspensionRow) -> dt.date:
    return suspension.ended_on if suspension.ended_on is not None else suspension.until


async def _suspensions(session: AsyncSession, uscc: str) -> list[SuspensionRow]:
    statement = select(SuspensionRow).where(SuspensionRow.uscc == uscc).order_by(SuspensionRow.starts_on)
    return list((await session.scalars(statement)).all())


async def suspend(
    session: AsyncSession, uscc: str, starts_on: dt.date, until: dt.date, today: dt.date
) -> MarketEntityRow:
    """File a 歇业: an existing entity with no other filing open, a start not before the filing, and an end that keeps
    every suspension of the entity together within the legal maximum. Starting today suspends the entity at once."""
    entity = await lock_for_change(session, MarketEntityRow, uscc, "market entity")
    if entity.status != EntityStatus.EXISTING:
        raise InvalidTransitionError(f"{uscc} is {entity.status}; only an existing entity can suspend business")
    if starts_on < today:
        raise ClientError(
            f"a suspension is filed before it starts (实施细则 Art. 41); {starts_on.isoformat()} is before today "
            f"({today.isoformat()})",
            code=EntitiesCode.SUSPENSION_NOT_FILED_IN_ADVANCE,
        )
    if until <= starts_on:
        raise ClientError("a suspension must end after it starts", code=CommonCode.INVALID_PERIOD)
    earlier = await _suspensions(session, uscc)
    if any(row.ended_on is None for row in earlier):
        raise InvalidTransitionError(f"{uscc} already has a suspension filed; resume or let it end first")
    limit = default_rules().get("entities.suspension_max", on=starts_on)
    used = sum(
        (_last_day(row) - row.starts_on).days + 1 for row in earlier if row.end_reason != SuspensionEnd.WITHDRAWN
    )
    latest = limit.period_end(starts_on) - dt.timedelta(days=used)
    if until > latest:
        raise ClientError(
            f"a suspension starting {starts_on.isoformat()} may last until {latest.isoformat()} at most "
            f"({limit.basis}; {used} days already used)",
            code=EntitiesCode.SUSPENSION_TOO_LONG,
            details={"latest": latest.isoformat(), "daysUsed": used},
        )
    session.add(SuspensionRow(uscc=uscc, filed_on=today, starts_on=starts_on, until=until))
    if starts_on == today:
        entity.status, entity.suspended_until = EntityStatus.SUSPENDED, until
    await session.flush()
    return entity


async def resume(session: AsyncSession, uscc: str, resumed_on: dt.date, today: dt.date) -> MarketEntityRow:
    """Record that the entity resumed business on ``resumed_on`` (实施细则 Art. 42 ¶1): its open suspension ends the day
    before (or is withdrawn when it had not started) and the entity is EXISTING again."""
    entity = await lock_for_change(session, MarketEntityRow, uscc, "market entity")
    ensure_not_future(resumed_on, "resumption date", today)
    current = next((row for row in await _suspensions(session, uscc) if row.ended_on is None), None)
    if current is None:
        raise InvalidTransitionError(f"{uscc} has no suspension filed to end")
    if resumed_on <= current.starts_on:
        current.ended_on, current.end_reason = current.starts_on, SuspensionEnd.WITHDRAWN
    else:
        current.ended_on, current.end_reason = resumed_on - dt.timedelta(days=1), SuspensionEnd.RESUMED
    if entity.status == EntityStatus.SUSPENDED:
        entity.status, entity.suspended_until = EntityStatus.EXISTING, None
    await session.flush()
    return entity


async def advance_suspensions(session: AsyncSession, today: dt.date) -> int:
    """Start the filed suspensions due by ``today`` and end those whose filed last day has passed (视为自动恢复经营,
    实施细则 Art. 42 ¶3); returns how many entities changed status. Idempotent."""
    open_rows = (
        await session.scalars(
            select(SuspensionRow)
            .where(SuspensionRow.ended_on.is_(None), SuspensionRow.starts_on <= today)
            .order_by(SuspensionRow.id)
        )
    ).all()
    changed = 0
    for row in open_rows:
        entity = await lock_for_change(session, MarketEntityRow, row.uscc, "market entity")
        if row.until < today:
            row.ended_on, row.end_reason = row.until, SuspensionEnd.PERIOD_ENDED
            if entity.status == EntityStatus.SUSPENDED:
                entity.status, entity.suspended_until = EntityStatus.EXISTING, None
                changed += 1
        elif entity.status == EntityStatus.EXISTING:
            entity.status, entity.suspended_until = EntityStatus.SUSPENDED, row.until
            changed += 1
    await session.flush()
    return changed

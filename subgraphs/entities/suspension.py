"""Suspension of business (歇业, 市场主体登记管理条例 Art. 30): filed with the registry, for at most 3 years."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from kernel.errors import ClientError, InvalidTransitionError
from subgraphs.common.calendar import ensure_not_future
from subgraphs.common.errors import CommonCode
from subgraphs.common.records import lock_for_change
from subgraphs.common.rules import default_rules
from subgraphs.entities.errors import EntitiesCode
from subgraphs.entities.models import MarketEntityRow
from subgraphs.entities.vocabulary import EntityStatus


async def suspend(
    session: AsyncSession, uscc: str, starts_on: dt.date, until: dt.date, today: dt.date
) -> MarketEntityRow:
    """Record a 歇业 filing: an existing entity, a start not in the future, an end within the legal maximum."""
    entity = await lock_for_change(session, MarketEntityRow, uscc, "market entity")
    if entity.status != EntityStatus.EXISTING:
        raise InvalidTransitionError(f"{uscc} is {entity.status}; only an existing entity can suspend business")
    ensure_not_future(starts_on, "suspension start", today)
    if until <= starts_on:
        raise ClientError("a suspension must end after it starts", code=CommonCode.INVALID_PERIOD)
    limit = default_rules().get("entities.suspension_max", on=starts_on)
    latest = limit.period_end(starts_on)
    if until > latest:
        raise ClientError(
            f"a suspension starting {starts_on.isoformat()} may last until {latest.isoformat()} at most "
            f"({limit.basis})",
            code=EntitiesCode.SUSPENSION_TOO_LONG,
            details={"latest": latest.isoformat()},
        )
    entity.status = EntityStatus.SUSPENDED
    entity.suspended_until = until
    await session.flush()
    return entity

"""Registry acts recorded from the commercial registration system (商事登记): change and deregistration
(变更 / 注销, 市场主体登记管理条例 Art. 24, 31). Establishment is :func:`registration.register`.

The registry is the authority: its acts are recorded as they stand, and a deregistration tells the other domains
through the outbox (``entities.entity_deregistered``: permits cancels the holder's permits).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from kernel.errors import InvalidTransitionError
from kernel.jobs.events import emit
from subgraphs.common.calendar import ensure_not_future
from subgraphs.common.events import ENTITY_DEREGISTERED, EntityDeregistered
from subgraphs.common.records import lock_for_change
from subgraphs.entities.errors import EntitiesCode
from subgraphs.entities.models import MarketEntityRow
from subgraphs.entities.registration import Application
from subgraphs.entities.vocabulary import EntityStatus

GONE = frozenset({EntityStatus.DEREGISTERED, EntityStatus.CANCELLED, EntityStatus.MOVED_OUT})
"""Statuses after which the registry records no further change here."""


async def _registered(session: AsyncSession, uscc: str, *, deregistering: bool = False) -> MarketEntityRow:
    entity = await lock_for_change(session, MarketEntityRow, uscc, "market entity")
    if entity.status == EntityStatus.DEREGISTERED and deregistering:  # the same act again: already recorded
        raise InvalidTransitionError(f"{uscc} is already deregistered", code=EntitiesCode.ALREADY_DEREGISTERED)
    if entity.status in GONE:
        raise InvalidTransitionError(f"{uscc} is {entity.status}; the registry records nothing more for it")
    return entity


async def record_change(session: AsyncSession, application: Application) -> MarketEntityRow:
    """A change of registered items (变更登记): the entity takes the registry's current record; its supervising
    station follows the premises."""
    entity = await _registered(session, application.uscc.code)
    entity.name = application.name
    entity.legal_rep_name = application.legal_rep_name
    entity.legal_rep_id_type = application.legal_rep_id_type
    entity.legal_rep_id_number = application.legal_rep_id_number
    entity.legal_rep_phone = application.legal_rep_phone
    entity.domicile = application.domicile
    entity.premises = application.premises
    entity.district_code = application.district.code
    entity.station_code = None if application.station is None else application.station.code
    entity.business_scope = application.business_scope
    await session.flush()
    return entity


async def deregister(session: AsyncSession, uscc: str, on: dt.date, today: dt.date, at: dt.datetime) -> MarketEntityRow:
    """A deregistration (注销登记) as of ``on``; its event is committed with it."""
    entity = await _registered(session, uscc, deregistering=True)
    ensure_not_future(on, "deregistration date", today)
    entity.status = EntityStatus.DEREGISTERED
    entity.suspended_until = None
    await session.flush()
    await emit(session, ENTITY_DEREGISTERED, f"MarketEntity:{uscc}", EntityDeregistered(uscc, on), at)
    return entity

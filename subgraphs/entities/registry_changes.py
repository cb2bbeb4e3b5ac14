"""Registry acts recorded from the commercial registration system (商事登记): change and deregistration
(变更 / 注销, 市场主体登记管理条例 Art. 24, 31). Establishment is :func:`registration.register`.

The registry is the authority: its acts are recorded as they stand, and a deregistration tells the other domains
through the outbox (``entities.entity_deregistered``: permits cancels the holder's permits).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from kernel.errors import ClientError, InvalidTransitionError
from kernel.jobs.events import emit
from subgraphs.common.calendar import ensure_not_future
from subgraphs.common.events import ENTITY_DEREGISTERED, EntityDeregistered
from subgraphs.common.records import lock_for_change
from subgraphs.common.rules import default_rules
from subgraphs.entities.errors import EntitiesCode
from subgraphs.entities.models import KeyPersonRow, MarketEntityRow, RegistryChangeRow
from subgraphs.entities.registration import Application, key_person_rows
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


async def record_change(
    session: AsyncSession,
    application: Application,
    *,
    ref: str,
    filed_on: dt.date,
    changed_on: dt.date | None,
    today: dt.date,
) -> MarketEntityRow:
    """A change of registered items (变更登记): the entity takes the registry's current record, key persons
    included; its supervising station follows the premises. Given the day of the change it follows, the filing is
    kept with its deadline (Art. 24: within 30 days) and whether it was late (实施细则 Art. 72 then applies). Key
    persons sent replace those on file; a record that sends none leaves them."""
    entity = await _registered(session, application.uscc.code)
    ensure_not_future(filed_on, "filing date", today)
    if changed_on is not None:
        if changed_on > filed_on:
            raise ClientError(
                f"change {ref}: the change of {changed_on.isoformat()} cannot follow its filing on "
                f"{filed_on.isoformat()}",
                code=EntitiesCode.CHANGE_AFTER_FILING,
            )
        rule = default_rules().get("entities.registry_change_due", on=changed_on)
        due_on = rule.period_end(changed_on)
        session.add(
            RegistryChangeRow(
                uscc=entity.uscc,
                ref=ref,
                changed_on=changed_on,
                filed_on=filed_on,
                due_on=due_on,
                filed_late=filed_on > due_on,
                rule=rule.version,
            )
        )
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
    if application.key_persons:  # a record that names none says nothing about them
        await session.execute(delete(KeyPersonRow).where(KeyPersonRow.uscc == entity.uscc))
        session.add_all(key_person_rows(entity.uscc, application))
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

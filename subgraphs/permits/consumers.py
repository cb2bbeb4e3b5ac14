"""What the permits subgraph does when another domain tells it something (events of ``subgraphs.common.events``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kernel.jobs.events import Event
from subgraphs.common.component import Consumer
from subgraphs.common.events import ENTITY_DEREGISTERED, EntityDeregistered
from subgraphs.permits.models import PermitRow
from subgraphs.permits.permit_status import record_status_change
from subgraphs.permits.services import SYSTEM_ACTOR, PermitServices
from subgraphs.permits.vocabulary import IN_FORCE, PermitStatus

DEREGISTRATION_REASON = "holder deregistered (注销) on {on}: the permit lapses with its holder"


async def cancel_permits_of_deregistered_holder(
    session: AsyncSession, services: PermitServices, payload: EntityDeregistered, event: Event
) -> None:
    """A deregistered entity holds nothing: its permits in force are cancelled (注销), logged."""
    permits = await session.scalars(
        select(PermitRow)
        .where(
            PermitRow.holder_uscc == payload.uscc,
            PermitRow.status.in_([status.value for status in IN_FORCE]),
        )
        .order_by(PermitRow.id)
        .with_for_update()
    )
    reason = DEREGISTRATION_REASON.format(on=payload.deregistered_on.isoformat())
    at = services.now()
    for permit in permits:
        record_status_change(session, permit, PermitStatus.CANCELLED, actor=SYSTEM_ACTOR, at=at, reason=reason)


CONSUMERS: tuple[Consumer[PermitServices, Any], ...] = (
    Consumer("permits.cancel_on_deregistration", ENTITY_DEREGISTERED, cancel_permits_of_deregistered_holder),
)

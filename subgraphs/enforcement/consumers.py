"""What the enforcement subgraph does when another domain tells it something: 一键转办 (an inspection item found
不符合 becomes a lead, a case in 受理)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from kernel.jobs.events import Event
from subgraphs.common.component import Consumer
from subgraphs.common.events import INSPECTION_ITEM_FAILED, InspectionItemFailed
from subgraphs.enforcement.cases import Lead, new_case
from subgraphs.enforcement.models import CaseRow
from subgraphs.enforcement.services import EnforcementServices
from subgraphs.enforcement.vocabulary import PartyKind

SOURCE = "INSPECTION"


async def open_lead_from_inspection(
    session: AsyncSession, services: EnforcementServices, payload: InspectionItemFailed, event: Event
) -> None:
    """One case per transfer: a redelivered event is stopped by the consumer's receipt, a repeated transfer (a new
    event, the same ``transfer_id``) by the lookup, and two at once by the unique index (the loser's insert is
    rolled back to its savepoint and it finds the winner's case)."""
    if await session.scalar(select(CaseRow.id).where(CaseRow.source_transfer_id == payload.transfer_id)):
        return
    lead = Lead(
        party_uscc=payload.uscc,
        party_name=None,
        party_kind=PartyKind.ORGANISATION,
        district_code=payload.district_code,
        station_code=payload.station_code,
        source=SOURCE,
        summary=f"不符合 item {payload.item_code} of inspection {payload.inspection_id}: {payload.finding}",
        transfer_id=payload.transfer_id,
        inspection_id=payload.inspection_id,
        item_code=payload.item_code,
    )
    case = new_case(services, lead, actor=payload.transferred_by, role="inspector", discovered_on=payload.inspected_on)
    try:
        async with session.begin_nested():
            await case.add_to(session)
    except IntegrityError:
        return  # a concurrent transfer of the same item committed first: its case is the one


CONSUMERS: tuple[Consumer[EnforcementServices, Any], ...] = (
    Consumer("enforcement.open_lead_from_inspection", INSPECTION_ITEM_FAILED, open_lead_from_inspection),
)

"""Penalty publicity (行政处罚信息公示, 45号令; DOMAIN.md §5.4).

A penalty decided under the ordinary procedure (warnings only excepted) is published within 20 working days of
the decision, shown for 3 months (circulated criticism, or a fine below the province's lower amount) or 3 years
(everything else; longer bans for their length), withdrawn within 3 working days when the decision is changed
or revoked, and stopped early only where the rules allow it — never for suspension, bans or revocations.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kernel.errors import ClientError, NotFoundError
from subgraphs.common.calendar import default_calendar
from subgraphs.enforcement.errors import EnforcementCode
from subgraphs.enforcement.models import CaseRow, PenaltyPublicityRow
from subgraphs.enforcement.services import EnforcementServices
from subgraphs.enforcement.vocabulary import NO_EARLY_STOP, PenaltyKind, PublicityStatus

LOWER_AMOUNT = Decimal(10_000)
"""The province's "lower amount" of a fine (较低数额罚款), shown for 3 months; Guangdong figure, configurable."""
EARLY_STOP_MONTHS, EARLY_STOP_MONTHS_FOOD = 6, 12
"""The least time shown before an early stop (credit-repair rules, §2.4)."""


def display_months(penalties: list[str], fine: Decimal | None) -> int:
    kinds = {PenaltyKind(kind) for kind in penalties}
    lighter = {PenaltyKind.WARNING, PenaltyKind.CIRCULATED_CRITICISM, PenaltyKind.FINE}
    if kinds <= lighter and (fine is None or fine < LOWER_AMOUNT):
        return 3
    return 36


def add_months(day: dt.date, months: int) -> dt.date:
    """The last day of ``months`` months from ``day`` (民法典 Art. 201–202, the shared calendar function)."""
    return default_calendar().period_last_day(day, months, "months")


def open_publicity(session: AsyncSession, services: EnforcementServices, case: CaseRow) -> PenaltyPublicityRow:
    """The publicity a penalty decision owes, due 20 working days after it."""
    decided = services.today()
    row = PenaltyPublicityRow(
        id=str(uuid.uuid4()),
        case_id=case.id,
        party_uscc=case.party_uscc,
        district_code=case.district_code,
        station_code=case.station_code,
        food_safety=case.food_safety,
        penalties=list(case.penalties),
        fine=case.fine,
        decided_on=decided,
        publish_due_on=services.periods.publicity_due(decided),
        status=PublicityStatus.PENDING.value,
        display_months=display_months(list(case.penalties), case.fine),
        updated_at=services.now(),
    )
    session.add(row)
    return row


async def publicity_of(session: AsyncSession, case_id: str, *, lock: bool = True) -> PenaltyPublicityRow:
    statement = select(PenaltyPublicityRow).where(PenaltyPublicityRow.case_id == case_id)
    row = await session.scalar(statement.with_for_update() if lock else statement)
    if row is None:
        raise NotFoundError(f"case {case_id} has no penalty to publish in your jurisdiction", details={"id": case_id})
    return row


async def require_published(session: AsyncSession, case: CaseRow) -> None:
    row = await session.scalar(select(PenaltyPublicityRow).where(PenaltyPublicityRow.case_id == case.id))
    if row is None or row.status != PublicityStatus.PUBLISHED.value:
        raise ClientError(
            "the case reaches 公示 once its penalty is published (publishPenalty); nothing was changed",
            code=EnforcementCode.PUBLICITY_NOT_ALLOWED,
        )


def _refuse(message: str) -> ClientError:
    return ClientError(f"{message}; nothing was changed", code=EnforcementCode.PUBLICITY_NOT_ALLOWED)


async def publish(session: AsyncSession, services: EnforcementServices, case_id: str) -> PenaltyPublicityRow:
    row = await publicity_of(session, case_id)
    if row.status != PublicityStatus.PENDING.value:
        raise _refuse(f"the penalty publicity is {row.status}, not PENDING")
    today = services.today()
    row.status, row.published_on = PublicityStatus.PUBLISHED.value, today
    row.display_until = add_months(today, row.display_months)
    row.updated_at = services.now()
    return row


async def withdraw(
    session: AsyncSession, services: EnforcementServices, case_id: str, changed_on: dt.date, reason: str
) -> PenaltyPublicityRow:
    """The decision was changed, revoked or found unlawful on ``changed_on``: withdraw within 3 working days."""
    row = await publicity_of(session, case_id)
    if row.status not in (PublicityStatus.PENDING.value, PublicityStatus.PUBLISHED.value):
        raise _refuse(f"the penalty publicity is {row.status}")
    if not reason.strip():
        raise ClientError("a withdrawal states why", code=EnforcementCode.REASON_REQUIRED)
    row.withdraw_due_on = services.periods.withdrawal_due(changed_on)
    row.status, row.ended_on, row.end_reason = PublicityStatus.WITHDRAWN.value, services.today(), reason
    row.updated_at = services.now()
    return row


async def stop_early(
    session: AsyncSession,
    services: EnforcementServices,
    case_id: str,
    reason: str,
    *,
    performed: bool,
    harm_remedied: bool,
    no_repeat: bool,
    not_listed: bool,
) -> PenaltyPublicityRow:
    """提前停止公示: all four conditions, the least display period served, never for the barred penalties."""
    row = await publicity_of(session, case_id)
    if row.status != PublicityStatus.PUBLISHED.value or row.published_on is None:
        raise _refuse(f"only a published penalty can stop early (this one is {row.status})")
    barred = sorted({PenaltyKind(kind) for kind in row.penalties} & NO_EARLY_STOP)
    if barred:
        raise _refuse(f"publicity of {', '.join(barred)} may never stop early (45号令)")
    if not (performed and harm_remedied and no_repeat and not_listed):
        raise _refuse("an early stop needs all four: obligations performed, harm remedied, no repeat, not listed")
    months = EARLY_STOP_MONTHS_FOOD if row.food_safety else EARLY_STOP_MONTHS
    earliest = add_months(row.published_on, months)
    if services.today() < earliest:
        raise _refuse(f"the publicity must be shown at least {months} months, until {earliest.isoformat()}")
    row.status, row.ended_on, row.end_reason = PublicityStatus.STOPPED_EARLY.value, services.today(), reason
    row.updated_at = services.now()
    return row


def is_active(row: PenaltyPublicityRow, today: dt.date) -> bool:
    """Shown today on the entity's credit record."""
    return (
        row.status == PublicityStatus.PUBLISHED.value and row.display_until is not None and today <= row.display_until
    )


def is_late(row: PenaltyPublicityRow, today: dt.date) -> bool:
    """Published after its deadline, or still pending past it."""
    if row.published_on is not None:
        return row.published_on > row.publish_due_on
    return row.status == PublicityStatus.PENDING.value and today > row.publish_due_on

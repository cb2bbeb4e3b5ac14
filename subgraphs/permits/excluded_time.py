"""Time excluded from the decision period (行政许可法 Art. 45): hearings, tenders, auctions, inspection, testing,
quarantine, appraisal and expert review needed for the decision do not count, and the applicant is told in writing.

Each period is recorded on the application with the working days it covers; the decision deadline is the period of
the kind's rules (and its one extension) pushed back by those working days, so an application waiting on a lab or
an expert review is not shown as overdue.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from kernel.errors import ClientError
from subgraphs.permits.errors import PermitsCode
from subgraphs.permits.models import PermitApplicationRow
from subgraphs.permits.services import PermitServices
from subgraphs.permits.transitions import get_application, note_rule, record_transition
from subgraphs.permits.vocabulary import PermitKind
from subgraphs.permits.workflow import AWAITING_DECISION, ApplicationState

EXCLUDED_TIME_RULE = "permits.licensing.excluded_time"


class ExcludedTimeKind(enum.StrEnum):
    """What Art. 45 lets the agency leave out of its period (听证、招标、拍卖、检验、检测、检疫、鉴定、专家评审)."""

    HEARING = "HEARING"
    TENDER = "TENDER"
    AUCTION = "AUCTION"
    INSPECTION = "INSPECTION"
    TESTING = "TESTING"
    QUARANTINE = "QUARANTINE"
    APPRAISAL = "APPRAISAL"
    EXPERT_REVIEW = "EXPERT_REVIEW"


def _invalid(message: str, **details: Any) -> ClientError:
    return ClientError(message, code=PermitsCode.INVALID_EXCLUDED_TIME, details=details)


def excluded_working_days(row: PermitApplicationRow) -> int:
    """The working days of every excluded period recorded on ``row``."""
    return sum(int(period["workingDays"]) for period in row.excluded_time or ())


def redate_decision(services: PermitServices, row: PermitApplicationRow) -> None:
    """Set the decision deadline from acceptance, the extension if granted and the excluded working days."""
    assert row.accepted_on is not None
    due = services.periods.decision_due(
        PermitKind(row.kind), row.accepted_on, extended=row.decision_extended, excluded=excluded_working_days(row)
    )
    row.decision_due_on = due.due_on


async def record_excluded_time(
    session: AsyncSession,
    services: PermitServices,
    application_id: str,
    *,
    kind: ExcludedTimeKind,
    starts_on: dt.date,
    ends_on: dt.date,
    applicant_notified_on: dt.date,
    reason: str,
    actor: str,
) -> PermitApplicationRow:
    """Record one Art. 45 period on an application awaiting its decision and move its decision deadline."""
    row = await get_application(session, application_id)
    state = ApplicationState(row.state)
    if state not in AWAITING_DECISION:
        raise _invalid(
            f"time is excluded only while the decision is awaited (ACCEPTED, SITE_CHECK), not {state.value}",
            currentState=state.value,
        )
    assert row.accepted_on is not None
    today = services.today()
    rule = services.periods.rules.find(EXCLUDED_TIME_RULE, today)
    if rule is None or rule.value != 1:
        raise _invalid(f"no rule excludes time from the decision period on {today}")
    if not reason.strip():
        raise ClientError("an excluded period needs a reason", code=PermitsCode.REASON_REQUIRED)
    if ends_on < starts_on or starts_on < row.accepted_on:
        raise _invalid(
            f"the period {starts_on}–{ends_on} must start on or after acceptance ({row.accepted_on}) and end after "
            "it starts",
            startsOn=starts_on.isoformat(),
            endsOn=ends_on.isoformat(),
        )
    if applicant_notified_on < row.accepted_on or applicant_notified_on > today:
        raise _invalid(
            f"the written notice to the applicant (Art. 45) must be dated between acceptance ({row.accepted_on}) and "
            f"today ({today}), not {applicant_notified_on}",
            applicantNotifiedOn=applicant_notified_on.isoformat(),
        )
    for period in row.excluded_time or ():
        if (
            starts_on <= dt.date.fromisoformat(period["endsOn"])
            and dt.date.fromisoformat(period["startsOn"]) <= ends_on
        ):
            raise _invalid(
                f"the period {starts_on}–{ends_on} overlaps the {period['kind']} period "
                f"{period['startsOn']}–{period['endsOn']} already excluded",
                startsOn=starts_on.isoformat(),
                endsOn=ends_on.isoformat(),
            )
    calendar = services.periods.calendar
    working_days = calendar.working_days_between(starts_on - dt.timedelta(days=1), ends_on)
    period = {
        "kind": kind.value,
        "startsOn": starts_on.isoformat(),
        "endsOn": ends_on.isoformat(),
        "workingDays": working_days,
        "applicantNotifiedOn": applicant_notified_on.isoformat(),
        "reason": reason.strip(),
        "recordedBy": actor,
        "rule": rule.version,
    }
    row.excluded_time = [*(row.excluded_time or ()), period]
    previous = row.decision_due_on
    redate_decision(services, row)
    note_rule(row, rule.version)
    record_transition(
        session,
        row,
        state,
        state,
        actor=actor,
        at=services.now(),
        reason=f"{kind.value} {starts_on}–{ends_on}: {working_days} working days excluded (行政许可法 Art. 45); "
        f"decision due {previous} → {row.decision_due_on}: {reason.strip()}",
    )
    return row

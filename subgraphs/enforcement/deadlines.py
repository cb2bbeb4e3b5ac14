"""The case's statutory clocks (DOMAIN.md §5.1), counted through the project's one working-day calendar.

Working days (工作日) where the law says so, calendar days otherwise; counting starts the day after the event.
Excluded periods (testing, hearings) push a clock back by their length in its own unit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from subgraphs.common.calendar import WorkingDayCalendar, default_calendar
from subgraphs.enforcement.vocabulary import CaseDeadline, CaseStage, PreservationKind

FILING_WD = 15
"""程序规定 Art. 18: decide whether to open a case within 15 working days of the lead; +15 with approval."""
DECISION_DAYS = 90
"""行政处罚法 Art. 60: decide within 90 days of 立案; SAMR: +30 with the head's approval, then collectively."""
DECISION_EXTENSION_DAYS = 30
REVIEW_WD = 10
STATEMENT_WD = 5
SERVICE_WD = 7
PAYMENT_DAYS = 15
PUBLICITY_WD = 20
WITHDRAWAL_WD = 3
REGISTERED_PRESERVATION_WD = 7
SEAL_DAYS = 30

_S = CaseStage
_DECISION_BASIS = "行政处罚法 Art. 60: decide within 90 days of 立案 (extensions with approval)"
STAGE_CLOCK_BASIS: Mapping[CaseStage, str] = MappingProxyType(
    {
        _S.ACCEPTED: "市场监督管理行政处罚程序规定 Art. 18: decide whether to open a case within 15 working days",
        _S.VERIFYING: "市场监督管理行政处罚程序规定 Art. 18: decide whether to open a case within 15 working days",
        _S.FILED: _DECISION_BASIS,
        _S.INVESTIGATING: _DECISION_BASIS,
        _S.GATHERING_EVIDENCE: _DECISION_BASIS,
        _S.PRESERVING: _DECISION_BASIS,
        _S.REVIEWING: "行政处罚法 Art. 58, 60: legal review in 10 working days, within the 90-day decision clock",
        _S.NOTIFIED: _DECISION_BASIS,
        _S.HEARING: _DECISION_BASIS,
        _S.DECIDED: "行政处罚法 Art. 61: deliver the decision within 7 working days",
        _S.SERVED: "行政处罚法 Art. 67: the fine is paid within 15 days of service",
    }
)
"""The law behind the clock each stage runs against (the stage's ``stage_due_on``; ``cases._stage_due``)."""


@dataclass(frozen=True, slots=True)
class CaseClock:
    """Counts every deadline of the case loop; built once, shared."""

    calendar: WorkingDayCalendar = field(default_factory=default_calendar)

    def working(self, start: dt.date, days: int) -> dt.date:
        return self.calendar.add_working_days(start, days)

    def filing_due(self, discovered_on: dt.date) -> dt.date:
        return self.working(discovered_on, FILING_WD)

    def decision_due(self, filed_on: dt.date) -> dt.date:
        return filed_on + dt.timedelta(days=DECISION_DAYS)

    def extended(self, deadline: CaseDeadline, due: dt.date) -> dt.date:
        """An approved extension: +15 working days (filing), +30 days (decision)."""
        if deadline is CaseDeadline.FILING:
            return self.working(due, FILING_WD)
        return due + dt.timedelta(days=DECISION_EXTENSION_DAYS)

    def excluded(self, deadline: CaseDeadline, due: dt.date, start: dt.date, end: dt.date) -> dt.date:
        """The deadline pushed back by the excluded period ``start``–``end`` (inclusive), in the clock's unit."""
        if deadline is CaseDeadline.FILING:
            days = self.calendar.working_days_between(start - dt.timedelta(days=1), end)
            return self.working(due, days)
        return due + dt.timedelta(days=(end - start).days + 1)

    def review_due(self, entered_on: dt.date) -> dt.date:
        return self.working(entered_on, REVIEW_WD)

    def statement_due(self, notified_on: dt.date) -> dt.date:
        return self.working(notified_on, STATEMENT_WD)

    def service_due(self, decided_on: dt.date) -> dt.date:
        return self.working(decided_on, SERVICE_WD)

    def payment_due(self, served_on: dt.date) -> dt.date:
        return served_on + dt.timedelta(days=PAYMENT_DAYS)

    def publicity_due(self, decided_on: dt.date) -> dt.date:
        return self.working(decided_on, PUBLICITY_WD)

    def withdrawal_due(self, changed_on: dt.date) -> dt.date:
        return self.working(changed_on, WITHDRAWAL_WD)

    def preservation_due(self, kind: PreservationKind, started_on: dt.date) -> dt.date:
        if kind is PreservationKind.REGISTERED_PRESERVATION:
            return self.working(started_on, REGISTERED_PRESERVATION_WD)
        return started_on + dt.timedelta(days=SEAL_DAYS)

    def preservation_extended(self, due: dt.date) -> dt.date:
        return due + dt.timedelta(days=SEAL_DAYS)

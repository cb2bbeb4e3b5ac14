"""The change deadline (变更): a permit holder applies to change its permit within 10 working days of the change.

食品经营许可和备案管理办法 (SAMR Order 78, 2023; Order 17, 2015 Art. 27) and 食品生产许可管理办法 (SAMR Order 24,
2020): when a matter the permit states changes, the holder applies to the issuing bureau within 10 working days of
the change (rules ``permits.<family>.change_due``). A change application of such a kind must say when the change
happened; one filed after the period is still taken (the permit must show the truth) but recorded as late with its
basis, for the bureau to order correction under the measures' penalty articles.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from kernel.errors import ClientError
from subgraphs.common.rules import Rule
from subgraphs.permits.errors import PermitsCode
from subgraphs.permits.services import PermitServices
from subgraphs.permits.vocabulary import PermitKind


class ChangeTiming(enum.StrEnum):
    ON_TIME = "ON_TIME"
    LATE = "LATE"
    """After the period: taken, recorded as late (the bureau may order correction and warn)."""


@dataclass(frozen=True, slots=True)
class ChangeDeadline:
    """When the change happened, the last day to apply for it, and whether this application came in time."""

    changed_on: dt.date
    due_by: dt.date
    timing: ChangeTiming
    rule: Rule

    @property
    def note(self) -> str:
        if self.timing is ChangeTiming.ON_TIME:
            return ""
        return (
            f" (late change application: the change on {self.changed_on} was due by {self.due_by}, {self.rule.basis})"
        )


def change_deadline(
    services: PermitServices, kind: PermitKind, changed_on: dt.date | None, today: dt.date
) -> ChangeDeadline | None:
    """The change deadline of a ``kind`` change applied for ``today``; None where no rule sets one for the kind.

    ``CHANGE_DATE_REQUIRED`` without the date of the change, ``INVALID_CHANGE_DATE`` for a change still to come."""
    rule = services.periods.rules.find(f"permits.{kind.rule_family}.change_due", changed_on or today)
    if rule is None:
        return None
    if changed_on is None:
        raise ClientError(
            f"a {kind.value} change application must give changedOn, the day the permitted matter changed: it is due "
            f"within {rule.value} working days of it ({rule.basis})",
            code=PermitsCode.CHANGE_DATE_REQUIRED,
        )
    if changed_on > today:
        raise ClientError(
            f"changedOn {changed_on} is after today ({today}); apply once the change has happened",
            code=PermitsCode.INVALID_CHANGE_DATE,
            details={"changedOn": changed_on.isoformat()},
        )
    due_by = services.periods.calendar.add_working_days(changed_on, rule.value)
    timing = ChangeTiming.LATE if today > due_by else ChangeTiming.ON_TIME
    return ChangeDeadline(changed_on, due_by, timing, rule)

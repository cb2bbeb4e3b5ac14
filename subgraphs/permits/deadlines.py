"""Statutory periods of a permit application and a permit, in working days from rule data (DOMAIN.md §3.5, §11.4).

Every function takes the legally relevant date and reads the rule version in force on it; the result carries
the rule versions used so the application can record them.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from kernel.errors import ClientError
from subgraphs.common.calendar import WorkingDayCalendar, default_calendar
from subgraphs.common.errors import CommonCode
from subgraphs.common.rules import Rule, RuleBook, default_rules
from subgraphs.permits.errors import PermitsCode
from subgraphs.permits.vocabulary import PermitKind


@dataclass(frozen=True, slots=True)
class Deadline:
    """A due date and the rule version it was computed from."""

    due_on: dt.date
    rule: Rule


@dataclass(frozen=True, slots=True)
class PermitClock:
    """The calendar and rule book every deadline is computed with; defaults are the project's own."""

    calendar: WorkingDayCalendar
    rules: RuleBook

    @classmethod
    def default(cls) -> PermitClock:
        return cls(calendar=default_calendar(), rules=default_rules())

    def _after(self, key: str, start: dt.date, *, on: dt.date | None = None) -> Deadline:
        rule = self.rules.get(key, on or start)
        if rule.unit == "working_days":
            return Deadline(self.calendar.add_working_days(start, rule.value), rule)
        return Deadline(rule.period_end(start), rule)

    def materials_request_due(self, submitted_on: dt.date) -> Deadline:
        """Last day to list missing materials; after it the application is deemed accepted (行政许可法 Art. 32)."""
        return self._after("permits.materials_request", submitted_on)

    def decision_due(
        self, kind: PermitKind, accepted_on: dt.date, *, extended: bool = False, excluded: int = 0
    ) -> Deadline:
        """Last day for the decision, counted from acceptance, plus the extension once granted, plus the ``excluded``
        working days of hearings, testing, expert review… (行政许可法 Art. 45)."""
        due = self._after(f"permits.{kind.rule_family}.decision", accepted_on)
        if extended:
            extension = self._after(f"permits.{kind.rule_family}.decision_extension", due.due_on, on=accepted_on)
            due = Deadline(extension.due_on, due.rule)
        if excluded:
            due = Deadline(self.calendar.add_working_days(due.due_on, excluded), due.rule)
        return due

    def site_check_due(self, kind: PermitKind, assigned_on: dt.date) -> Deadline | None:
        """Last day for on-site verification where the kind's rules set one (SC 2020: 5 wd of assignment)."""
        key = f"permits.{kind.rule_family}.site_check"
        if self.rules.find(key, assigned_on) is None:
            return None
        return self._after(key, assigned_on)

    def certificate_due(self, kind: PermitKind, decided_on: dt.date) -> Deadline:
        """Last day to issue or deliver the certificate after approval (行政许可法 Art. 44 or the food rules)."""
        return self._after(f"permits.{kind.rule_family}.certificate_issue", decided_on)

    def validity_years(self, kind: PermitKind, valid_from: dt.date) -> Rule:
        """The validity-period rule in force when the permit period starts: ``years``, or a ``flag`` saying the kind
        has no validity period at all (a filing, 备案)."""
        key = f"permits.{kind.validity_family}.validity"
        rule = self.rules.find(key, valid_from)
        if rule is None:
            raise ClientError(
                f"no {kind.value} permit can start on {valid_from}: no validity rule was in force then",
                code=PermitsCode.INVALID_VALIDITY_PERIOD,
                details={"validFrom": valid_from.isoformat()},
            )
        if rule.unit not in ("years", "flag"):
            raise ClientError(f"rule {rule.version} is in {rule.unit}, not years", code=CommonCode.RULE_UNIT_MISMATCH)
        return rule


@dataclass(frozen=True, slots=True)
class ValidityPeriod:
    """A permit's validity: from ``valid_from`` through ``valid_to`` inclusive (DOMAIN.md §11.1); ``valid_to`` None
    where the kind has no validity period (a filing: no expiry, no renewal)."""

    valid_from: dt.date
    valid_to: dt.date | None
    rule: Rule


def full_validity(clock: PermitClock, kind: PermitKind, valid_from: dt.date) -> ValidityPeriod:
    """The longest period the rules allow: ``valid_from`` to the day before its anniversary N years on; no end for
    a kind without a validity period."""
    rule = clock.validity_years(kind, valid_from)
    if rule.unit == "flag":
        return ValidityPeriod(valid_from, None, rule)
    return ValidityPeriod(valid_from, rule.period_end(valid_from) - dt.timedelta(days=1), rule)


def check_validity(
    clock: PermitClock, kind: PermitKind, valid_from: dt.date, valid_to: dt.date | None
) -> ValidityPeriod:
    """Reject a period that ends before it starts or runs past ``valid_to − valid_from ≤ N years``; a kind without
    a validity period takes no end date, a kind with one needs it."""
    rule = clock.validity_years(kind, valid_from)
    if rule.unit == "flag":
        if valid_to is not None:
            raise ClientError(
                f"a {kind.value} has no validity period ({rule.basis}); give no validTo",
                code=PermitsCode.INVALID_VALIDITY_PERIOD,
                details={"validTo": valid_to.isoformat(), "rule": rule.version},
            )
        return ValidityPeriod(valid_from, None, rule)
    if valid_to is None:
        raise ClientError(
            f"a {kind.value} is valid for {rule.value} years ({rule.basis}); give its validTo",
            code=PermitsCode.INVALID_VALIDITY_PERIOD,
            details={"rule": rule.version},
        )
    if valid_to < valid_from:
        raise ClientError(
            f"validity ends ({valid_to}) before it starts ({valid_from})",
            code=PermitsCode.INVALID_VALIDITY_PERIOD,
            details={"validFrom": valid_from.isoformat(), "validTo": valid_to.isoformat()},
        )
    if valid_to > rule.period_end(valid_from):
        raise ClientError(
            f"validity {valid_from}–{valid_to} exceeds the {rule.value} years allowed ({rule.basis})",
            code=PermitsCode.INVALID_VALIDITY_PERIOD,
            details={"validFrom": valid_from.isoformat(), "validTo": valid_to.isoformat(), "rule": rule.version},
        )
    return ValidityPeriod(valid_from, valid_to, rule)


class RenewalTiming(enum.StrEnum):
    """Where an application date falls relative to a permit's renewal window."""

    TOO_EARLY = "TOO_EARLY"
    ON_TIME = "ON_TIME"
    LATE = "LATE"
    """Inside the last days: accepted, but the holder must stop operating at expiry until renewed."""
    EXPIRED = "EXPIRED"


@dataclass(frozen=True, slots=True)
class RenewalWindow:
    """Renewal may be applied for from ``opens_on`` (None: any time) to ``due_by``; the permit ends ``expires_on``."""

    opens_on: dt.date | None
    due_by: dt.date
    expires_on: dt.date
    rules: tuple[Rule, ...]

    def timing(self, applied_on: dt.date) -> RenewalTiming:
        if applied_on > self.expires_on:
            return RenewalTiming.EXPIRED
        if self.opens_on is not None and applied_on < self.opens_on:
            return RenewalTiming.TOO_EARLY
        if applied_on > self.due_by:
            return RenewalTiming.LATE
        return RenewalTiming.ON_TIME


def renewal_window(clock: PermitClock, kind: PermitKind, valid_to: dt.date) -> RenewalWindow:
    """JY: 90 to 15 working days before expiry (2023 rules); SC: at least 30 working days before; others 30 days."""
    family = kind.rule_family
    due = clock.rules.get(f"permits.{family}.renewal_due", valid_to)
    if due.unit == "working_days":
        due_by = clock.calendar.subtract_working_days(valid_to, due.value)
    else:
        due_by = valid_to - dt.timedelta(days=due.value)
    if family != "operating":
        return RenewalWindow(None, due_by, valid_to, (due,))
    opens = clock.rules.get("permits.operating.renewal_opens", valid_to)
    # The first day with at most N working days left is the day after the one with N + 1 left.
    opens_on = clock.calendar.subtract_working_days(valid_to, opens.value + 1) + dt.timedelta(days=1)
    return RenewalWindow(opens_on, due_by, valid_to, (opens, due))

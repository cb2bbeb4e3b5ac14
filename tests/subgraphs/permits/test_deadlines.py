"""Statutory periods in working days across National Day 2025 and its make-up days (DOMAIN.md §3.5, §11.4)."""

from __future__ import annotations

import datetime as dt

import pytest

from kernel.errors import ClientError
from subgraphs.permits.deadlines import PermitClock, RenewalTiming, check_validity, full_validity, renewal_window
from subgraphs.permits.vocabulary import PermitKind

CLOCK = PermitClock.default()


def test_materials_request_from_friday_before_national_day_is_due_on_10_october() -> None:
    # 28 Sep (Sun) is a make-up workday, 1–8 Oct are holidays: 28, 29, 30 Sep, 9, 10 Oct.
    due = CLOCK.materials_request_due(dt.date(2025, 9, 26))
    assert due.due_on == dt.date(2025, 10, 10)
    assert due.rule.key == "permits.materials_request" and due.rule.certainty == "V"


def test_operating_decision_from_30_september_counts_the_make_up_saturday() -> None:
    # 9, 10, 11 (Sat, make-up), 13, 14, 15, 16, 17, 20, 21 Oct.
    due = CLOCK.decision_due(PermitKind.JY, dt.date(2025, 9, 30))
    assert due.due_on == dt.date(2025, 10, 21)
    assert due.rule.version == "permits.operating.decision@2023-12-01"
    assert CLOCK.decision_due(PermitKind.JY, dt.date(2025, 9, 30), extended=True).due_on == dt.date(2025, 10, 28)


def test_the_rule_version_follows_the_date_of_acceptance() -> None:
    old = CLOCK.decision_due(PermitKind.JY, dt.date(2023, 11, 1))
    assert old.rule.value == 20 and old.rule.effective_to == dt.date(2023, 12, 1)
    production_2019 = CLOCK.decision_due(PermitKind.SC, dt.date(2019, 6, 3))
    assert production_2019.rule.value == 20
    assert CLOCK.decision_due(PermitKind.SC, dt.date(2025, 9, 30)).due_on == dt.date(2025, 10, 21)


def test_certificate_periods_per_kind() -> None:
    decided = dt.date(2025, 9, 30)
    assert CLOCK.certificate_due(PermitKind.SC, decided).due_on == dt.date(2025, 10, 14)  # 5 wd
    assert CLOCK.certificate_due(PermitKind.JY, decided).due_on == dt.date(2025, 10, 21)  # 10 wd
    assert CLOCK.certificate_due(PermitKind.STALL_REG, decided).rule.basis.startswith("行政许可法")


def test_validity_is_at_most_five_years() -> None:
    period = full_validity(CLOCK, PermitKind.JY, dt.date(2024, 2, 29))
    assert period.valid_to == dt.date(2029, 2, 27)
    assert check_validity(CLOCK, PermitKind.SC, dt.date(2021, 1, 1), dt.date(2026, 1, 1)).rule.value == 5
    with pytest.raises(ClientError) as too_long:
        check_validity(CLOCK, PermitKind.SC, dt.date(2021, 1, 1), dt.date(2026, 1, 2))
    assert too_long.value.code == "INVALID_VALIDITY_PERIOD"
    with pytest.raises(ClientError, match="before it starts"):
        check_validity(CLOCK, PermitKind.JY, dt.date(2021, 1, 2), dt.date(2021, 1, 1))


def test_jy_renewal_window_is_90_to_15_working_days_before_expiry() -> None:
    expiry = dt.date(2025, 10, 17)
    window = renewal_window(CLOCK, PermitKind.JY, expiry)
    calendar = CLOCK.calendar
    assert window.opens_on is not None
    assert calendar.working_days_between(window.opens_on, expiry) == 90
    assert calendar.working_days_between(window.opens_on - dt.timedelta(days=1), expiry) > 90
    assert calendar.working_days_between(window.due_by, expiry) == 15
    assert calendar.working_days_between(window.due_by + dt.timedelta(days=1), expiry) < 15
    # 15 working days before 17 Oct 2025 reach back over National Day and both make-up days (11 Oct, 28 Sep)
    # to 22 Sep; counting Monday–Friday only would say 26 Sep.
    assert window.due_by == dt.date(2025, 9, 22)
    assert window.timing(window.opens_on - dt.timedelta(days=1)) is RenewalTiming.TOO_EARLY
    assert window.timing(window.opens_on) is RenewalTiming.ON_TIME
    assert window.timing(window.due_by) is RenewalTiming.ON_TIME
    assert window.timing(window.due_by + dt.timedelta(days=1)) is RenewalTiming.LATE
    assert window.timing(expiry) is RenewalTiming.LATE
    assert window.timing(expiry + dt.timedelta(days=1)) is RenewalTiming.EXPIRED


def test_sc_renewal_is_due_30_working_days_before_expiry_and_never_too_early() -> None:
    expiry = dt.date(2025, 10, 31)
    window = renewal_window(CLOCK, PermitKind.SC, expiry)
    assert window.opens_on is None
    assert CLOCK.calendar.working_days_between(window.due_by, expiry) == 30
    assert window.due_by == dt.date(2025, 9, 15)
    assert window.timing(dt.date(2021, 1, 1)) is RenewalTiming.ON_TIME
    assert window.timing(dt.date(2025, 9, 16)) is RenewalTiming.LATE

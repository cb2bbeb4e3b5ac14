"""The working-day calendar across holidays and make-up workdays (DOMAIN.md §11.4)."""

import datetime as dt

from subgraphs.common.calendar import default_calendar


def test_national_day_2025_with_makeup_sunday_before_and_saturday_after() -> None:
    calendar = default_calendar()
    # Fri 26 Sep 2025; Sun 28 Sep is a make-up workday; 1–8 Oct are holidays; Sat 11 Oct is a make-up workday.
    assert calendar.is_working_day(dt.date(2025, 9, 28))
    assert not calendar.is_working_day(dt.date(2025, 10, 3))
    assert calendar.is_working_day(dt.date(2025, 10, 11))
    assert calendar.add_working_days(dt.date(2025, 9, 26), 5) == dt.date(2025, 10, 10)
    assert calendar.add_working_days(dt.date(2025, 9, 26), 6) == dt.date(2025, 10, 11)


def test_plain_weekday_arithmetic_would_be_wrong_here() -> None:
    calendar = default_calendar()
    start = dt.date(2025, 9, 30)
    # Counting only Mon–Fri would end on 7 Oct; the holiday pushes it to 9 Oct.
    assert calendar.add_working_days(start, 1) == dt.date(2025, 10, 9)
    assert calendar.working_days_between(start, dt.date(2025, 10, 11)) == 3


def test_past_the_published_notices_is_marked_provisional() -> None:
    calendar = default_calendar()
    assert not calendar.is_provisional(dt.date(2025, 1, 1))
    assert calendar.is_provisional(calendar.covered_until + dt.timedelta(days=1))


def test_subtracting_working_days_inverts_adding_them() -> None:
    calendar = default_calendar()
    end = dt.date(2025, 10, 10)  # after National Day; Sat 11 Oct is a make-up workday
    start = calendar.subtract_working_days(end, 5)
    assert start == dt.date(2025, 9, 27)  # counting starts the next day, the make-up Sunday 28 Sep
    assert calendar.add_working_days(start, 5) == end
    assert calendar.add_working_days(start + dt.timedelta(days=1), 5) > end


def test_civil_code_art_201_the_day_of_the_event_is_not_counted() -> None:
    calendar = default_calendar()
    assert calendar.period_last_day(dt.date(2025, 3, 10), 30, "days") == dt.date(2025, 4, 9)
    assert calendar.period_last_day(dt.date(2025, 3, 10), 0, "days") == dt.date(2025, 3, 10)
    assert calendar.period_last_day(dt.date(2025, 9, 26), 5, "working_days") == dt.date(2025, 10, 10)


def test_civil_code_art_202_years_and_months_end_on_the_corresponding_day_or_the_month_end() -> None:
    calendar = default_calendar()
    assert calendar.period_last_day(dt.date(2022, 3, 10), 3, "years") == dt.date(2025, 3, 10)
    assert calendar.period_last_day(dt.date(2024, 2, 29), 3, "years") == dt.date(2027, 2, 28)
    assert calendar.period_last_day(dt.date(2025, 1, 31), 1, "months") == dt.date(2025, 2, 28)
    assert calendar.period_last_day(dt.date(2023, 12, 31), 2, "months") == dt.date(2024, 2, 29)
    assert calendar.period_last_day(dt.date(2025, 8, 31), 6, "months") == dt.date(2026, 2, 28)


def test_civil_code_art_203_a_last_day_on_a_rest_day_moves_only_where_the_rule_says() -> None:
    calendar = default_calendar()
    # 30 days from 2 Sep 2025 end on Thu 2 Oct, inside the National Day holiday (1–8 Oct); next working day: 9 Oct.
    assert calendar.period_last_day(dt.date(2025, 9, 2), 30, "days") == dt.date(2025, 10, 2)
    assert calendar.period_last_day(dt.date(2025, 9, 2), 30, "days", extends_past_holiday=True) == dt.date(2025, 10, 9)
    # A last day on Sun 28 Sep 2025 (a 调休 workday) is a working day and stays.
    assert calendar.period_last_day(dt.date(2025, 8, 29), 30, "days", extends_past_holiday=True) == dt.date(2025, 9, 28)
    # A plain Saturday moves to Monday.
    assert calendar.period_last_day(dt.date(2025, 5, 10), 1, "months", extends_past_holiday=True) == dt.date(
        2025, 6, 10
    )
    assert calendar.period_last_day(dt.date(2025, 5, 14), 1, "months", extends_past_holiday=True) == dt.date(
        2025, 6, 16
    )

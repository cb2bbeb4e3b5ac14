"""The project's one working-day calendar (工作日): PRC public holidays and make-up workdays (调休).

Chinese law counts "working days" excluding statutory holidays, and the State Council's yearly notice
also turns some weekends into workdays (DOMAIN.md §11.4). The data is the versioned table shipped by
the ``chinese-calendar`` package; past its last published year we fall back to Monday–Friday and say
so through :attr:`WorkingDayCalendar.covered_until`.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Literal

import chinese_calendar
from chinese_calendar import constants as calendar_data

from kernel.errors import ClientError
from subgraphs.common.errors import CommonCode

PeriodUnit = Literal["days", "months", "years", "working_days"]
"""The units a legal period is counted in (民法典 Art. 200: 公历年、月、日; working days where the law says 工作日)."""


@dataclass(frozen=True, slots=True)
class WorkingDayCalendar:
    """Holidays and make-up workdays as data; counting rules in one place."""

    holidays: frozenset[dt.date]
    makeup_workdays: frozenset[dt.date]
    covered_from: dt.date
    covered_until: dt.date
    version: str

    def is_working_day(self, day: dt.date) -> bool:
        """A day on which agencies work: a make-up workday, or a weekday that is not a holiday."""
        if day in self.makeup_workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The date ``days`` working days after ``start``; counting begins the day after ``start``.

        "Within N working days of X" ends on this date (DOMAIN.md §11.4 start rule).
        """
        if days < 0:
            raise ClientError(f"a period cannot be negative ({days} working days)", code=CommonCode.INVALID_PERIOD)
        day, remaining = start, days
        while remaining:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def subtract_working_days(self, end: dt.date, days: int) -> dt.date:
        """The latest start from which ``days`` working days still end on or before ``end``.

        The inverse of :meth:`add_working_days`: "act at least N working days before X" starts here.
        """
        if days < 0:
            raise ClientError(f"a period cannot be negative ({days} working days)", code=CommonCode.INVALID_PERIOD)
        day, remaining = end, days
        while remaining:
            remaining -= self.is_working_day(day)
            day -= dt.timedelta(days=1)
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """How many working days lie after ``start`` up to and including ``end`` (0 when end ≤ start)."""
        count, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            count += self.is_working_day(day)
        return count

    def period_last_day(
        self, event: dt.date, value: int, unit: PeriodUnit, *, extends_past_holiday: bool = False
    ) -> dt.date:
        """The last day of a period of ``value`` ``unit`` triggered by ``event`` (民法典 Art. 200–204).

        * Art. 201: the day of the event is not counted; the count starts the next day. N days after 10 March ends
          on 10 March + N.
        * Art. 202: a period of years or months ends on the corresponding day of the last month, or on that month's
          last day where it has none (3 years from 29 Feb 2024 end on 28 Feb 2027; 1 month from 31 Jan on 28/29 Feb).
        * Art. 203: a last day that is a statutory rest day (法定休假日: weekends and holidays, not 调休 days) moves
          to the first working day after it — only where ``extends_past_holiday`` says the law applies that rule to
          this period (a party's time to act); a state that lapses by itself (a listing's term, a ban) does not move.
        * Working days are counted on this calendar from the day after the event and never end on a rest day.

        The period has run out (届满) at the end of the returned day; what follows it happens the day after.
        """
        if value < 0:
            raise ClientError(f"a period cannot be negative ({value} {unit})", code=CommonCode.INVALID_PERIOD)
        if unit == "working_days":
            return self.add_working_days(event, value)
        if unit == "days":
            last = event + dt.timedelta(days=value)
        else:
            months = event.month - 1 + value * (12 if unit == "years" else 1)
            year, month = event.year + months // 12, months % 12 + 1
            last = dt.date(year, month, min(event.day, calendar.monthrange(year, month)[1]))
        if extends_past_holiday:
            while not self.is_working_day(last):
                last += dt.timedelta(days=1)
        return last

    def is_provisional(self, day: dt.date) -> bool:
        """True when ``day`` lies past the published holiday notices (weekday rule only)."""
        return day > self.covered_until


def ensure_not_future(day: dt.date, what: str, today: dt.date) -> None:
    """A recorded act (listing, establishment, filing) cannot have happened after ``today``: ``DATE_IN_FUTURE``."""
    if day > today:
        raise ClientError(
            f"{what} {day.isoformat()} is in the future (today is {today.isoformat()})", code=CommonCode.DATE_IN_FUTURE
        )


@cache
def default_calendar() -> WorkingDayCalendar:
    """The calendar built from the installed ``chinese-calendar`` data."""
    holidays = frozenset(calendar_data.holidays)
    workdays = frozenset(calendar_data.workdays)
    # ``workdays`` lists every working day the package knows, weekdays included; keep only weekends.
    makeup = frozenset(day for day in workdays if day.weekday() >= 5)
    known = holidays | makeup
    return WorkingDayCalendar(
        holidays=holidays,
        makeup_workdays=makeup,
        covered_from=min(known),
        covered_until=dt.date(max(known).year, 12, 31),
        version=f"chinese-calendar {getattr(chinese_calendar, '__version__', 'unknown')}",
    )

"""Where "now" comes from: a clock is a function returning an aware UTC datetime, injected wherever time matters.

Production passes :func:`system_clock`; tests pass a clock they set. Dates the law counts are Beijing dates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

Clock = Callable[[], dt.datetime]
"""Returns now as an aware datetime."""

BEIJING = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")
"""China Standard Time (UTC+8, no daylight saving): the zone in which the law counts days."""


def system_clock() -> dt.datetime:
    """The machine's clock, in UTC."""
    return dt.datetime.now(dt.UTC)


def legal_date(at: dt.datetime) -> dt.date:
    """The Beijing date of an instant: the legally relevant day."""
    return at.astimezone(BEIJING).date()

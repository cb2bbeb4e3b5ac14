"""A settable clock for tests: subgraphs read "now" only from their services, so a test decides what day it is."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kernel.clock import BEIJING

DEFAULT_NOW = dt.datetime(2025, 9, 26, 10, 0, tzinfo=BEIJING)
"""A Friday in Beijing: the day the tests' stories happen unless a test moves the clock."""


@dataclass
class Clock:
    """The app's notion of now; tests move it to the legal date they need."""

    at: dt.datetime = DEFAULT_NOW

    def __call__(self) -> dt.datetime:
        return self.at

    def on(self, day: dt.date, hour: int = 10) -> None:
        self.at = dt.datetime(day.year, day.month, day.day, hour, tzinfo=BEIJING)

    @property
    def today(self) -> dt.date:
        """The legal (Beijing) date of now."""
        return self.at.astimezone(BEIJING).date()

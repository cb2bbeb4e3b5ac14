"""Scalars every subgraph shares; a malformed value is a client error with its own code, not a crash."""

from __future__ import annotations

import datetime as dt
import re

import strawberry

from kernel.errors import ClientError, Code

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(value: object) -> dt.date:
    """An ISO 8601 calendar date ``YYYY-MM-DD``; anything else is ``INVALID_DATE``."""
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        raise ClientError(f"{value!r} is not a date; write it as YYYY-MM-DD", code=Code.INVALID_DATE)
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ClientError(f"{value!r} is not a real calendar date ({exc})", code=Code.INVALID_DATE) from None


Date = strawberry.scalar(
    name="Date",
    description="A calendar date, ISO 8601 YYYY-MM-DD (Beijing time, as the law counts days).",
    serialize=lambda value: value.isoformat(),
    parse_value=parse_date,
)

SCALAR_OVERRIDES: dict[object, object] = {dt.date: Date}
"""Pass to the schema so every ``datetime.date`` field and argument uses :data:`Date`."""

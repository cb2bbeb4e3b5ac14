"""Time-ordered record ids (UUID version 7, RFC 9562 §5.7): ordering by id is ordering by creation."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid


def time_ordered_id(at: dt.datetime) -> str:
    """A UUIDv7 string: 48-bit Unix milliseconds, version, 74 random bits; sorts as text in creation order."""
    millis = int(at.timestamp() * 1000)
    random = secrets.randbits(74)
    value = (millis << 80) | (0x7 << 76) | ((random >> 62) << 64) | (0b10 << 62) | (random & ((1 << 62) - 1))
    return str(uuid.UUID(int=value))

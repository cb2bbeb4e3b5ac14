"""Natural persons on a registration: resident ID numbers (GB 11643-1999), phone numbers, and how both are masked."""

from __future__ import annotations

import datetime as dt
import re

from kernel.errors import ClientError
from subgraphs.entities.errors import EntitiesCode

ID_WEIGHTS: tuple[int, ...] = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
"""GB 11643-1999: check character = ID_CHECK[Σ aᵢ·Wᵢ mod 11]."""
_PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")


def id_check_character(first17: str) -> str:
    """The 18th character of a resident ID number."""
    return ID_CHECK[sum(int(char) * weight for char, weight in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def parse_id_number(raw: str) -> str:
    """An 18-character resident ID number, upper-cased; otherwise ``INVALID_ID_NUMBER`` saying why."""
    number = raw.upper()
    if len(number) != 18 or not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ClientError(
            "a resident ID number has 17 digits and a check character (digit or X)", code=EntitiesCode.INVALID_ID_NUMBER
        )
    try:
        dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ClientError(
            f"positions 7–14 of the ID number ({number[6:14]}) are not a birth date",
            code=EntitiesCode.INVALID_ID_NUMBER,
        ) from None
    expected = id_check_character(number[:17])
    if number[17] != expected:
        raise ClientError(
            f"ID number check character expected {expected} but found {number[17]}", code=EntitiesCode.INVALID_ID_NUMBER
        )
    return number


def parse_phone(raw: str) -> str:
    """A mainland mobile (11 digits) or landline (area code + number) phone number, else ``INVALID_PHONE``."""
    phone = raw.strip()
    if not _PHONE.match(phone):
        raise ClientError(
            f"{raw!r} is not a mobile (1xxxxxxxxxx) or landline (0755-xxxxxxxx) number", code=EntitiesCode.INVALID_PHONE
        )
    return phone


def mask_id_number(number: str) -> str:
    """``440304199001011234`` → ``4403**********1234``: region and last four only."""
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def mask_phone(phone: str) -> str:
    """``13812345678`` → ``138****5678``."""
    digits = phone.replace("-", "")
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]

"""The Unified Social Credit Code (统一社会信用代码), GB 32100-2015, checked exactly as DOMAIN.md §2.1 / §11.1 say.

Position 17 is the old organisation code's own check character (GB 11714-1997); a mismatch there is
only a warning, because the rule does not hold for every issuing authority or for legacy data.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from kernel.errors import ClientError, Code

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
"""The 31 code characters; a character's value is its index (I, O, S, V, Z are never used)."""
WEIGHTS: tuple[int, ...] = tuple(pow(3, i, 31) for i in range(17))
"""Wᵢ = 3^(i−1) mod 31: 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28."""
GB11714_WEIGHTS: tuple[int, ...] = (3, 7, 9, 10, 5, 8, 4, 2)
LENGTH = 18

AUTHORITY_CATEGORIES: Mapping[str, frozenset[str]] = {
    "1": frozenset("1239"),  # 机构编制
    "2": frozenset("19"),  # 外交
    "3": frozenset("123459"),  # 司法行政
    "4": frozenset("19"),  # 文化
    "5": frozenset("1239"),  # 民政
    "6": frozenset("129"),  # 旅游
    "7": frozenset("129"),  # 宗教
    "8": frozenset("19"),  # 工会
    "9": frozenset("123"),  # 工商 / 市场监管: 企业, 个体工商户, 农民专业合作社
    "A": frozenset("19"),  # 中央军委改革和编制办公室
    "N": frozenset("1239"),  # 农业
    "Y": frozenset("1"),  # 其他
}
"""Registration authority (pos. 1) → the organisation categories (pos. 2) it may issue, GB 32100-2015 table."""

PROVINCE_CODES = frozenset(
    {
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
    }
)
"""First two digits of every GB/T 2260 code; retired county codes stay valid, so only the province is checked."""
NATIONAL_REGISTRY = "100000"


class InvalidUscc(ClientError):
    """The code is not a GB 32100-2015 code; the message says what and where."""

    code = Code.INVALID_USCC


@dataclass(frozen=True, slots=True)
class Uscc:
    """A checked code, split into its parts, with any soft-check warnings."""

    code: str
    warnings: tuple[str, ...] = ()

    @property
    def authority(self) -> str:
        """登记管理部门代码 (pos. 1); ``9`` is market regulation."""
        return self.code[0]

    @property
    def category(self) -> str:
        """机构类别代码 (pos. 2); with authority 9: 1 enterprise, 2 individual business, 3 cooperative."""
        return self.code[1]

    @property
    def region(self) -> str:
        """GB/T 2260 code of the registering authority (pos. 3–8)."""
        return self.code[2:8]

    @property
    def subject_identifier(self) -> str:
        """主体标识码 (pos. 9–17), the old organisation code."""
        return self.code[8:17]


def check_character(first17: str) -> str:
    """The 18th character for 17 code characters: ``ALPHABET[(31 − S mod 31) mod 31]``."""
    total = sum(ALPHABET.index(char) * weight for char, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def gb11714_check_character(body: str) -> str:
    """GB 11714-1997 check character for an 8-character organisation-code body (0–9, A=10 … Z=35)."""
    total = sum(int(char, 36) * weight for char, weight in zip(body, GB11714_WEIGHTS, strict=True))
    value = 11 - total % 11
    return "X" if value == 10 else "0" if value == 11 else str(value)


def _hint(char: str) -> str:
    if char.isspace():
        return " (a space; remove it)"
    if char in "-‐‑–—－":
        return " (a hyphen; remove it)"
    if unicodedata.east_asian_width(char) == "F" and unicodedata.normalize("NFKC", char).isascii():
        return f" (full-width {unicodedata.normalize('NFKC', char)}; type it half-width)"
    if char in "IOSVZ":
        return " (the letters I, O, S, V and Z are never used)"
    if not char.isascii():
        return " (only digits and capital letters appear in a USCC)"
    return ""


def parse_uscc(raw: str) -> Uscc:
    """Check ``raw`` and return it upper-cased; raise :class:`InvalidUscc` naming the first problem."""
    code = raw.upper()
    for position, char in enumerate(code, start=1):
        if char not in ALPHABET:
            raise InvalidUscc(
                f"illegal character {char!r} at position {position}{_hint(char)}",
                details={"position": position, "character": char},
            )
    if len(code) != LENGTH:
        raise InvalidUscc(f"a USCC has {LENGTH} characters, this one has {len(code)}", details={"length": len(code)})
    for position in range(3, 9):
        if not code[position - 1].isdigit():
            raise InvalidUscc(
                f"illegal character {code[position - 1]!r} at position {position} "
                "(positions 3–8 are the registering authority's GB/T 2260 region code, digits only)",
                details={"position": position, "character": code[position - 1]},
            )
    authority, category = code[0], code[1]
    if category not in AUTHORITY_CATEGORIES.get(authority, frozenset()):
        raise InvalidUscc(
            f"unknown registration authority/category pair {authority}{category} (positions 1–2)",
            details={"position": 1, "authority": authority, "category": category},
        )
    region = code[2:8]
    if region != NATIONAL_REGISTRY and region[:2] not in PROVINCE_CODES:
        raise InvalidUscc(
            f"positions 3–8 ({region}) are not a GB/T 2260 region code: no province {region[:2]}",
            details={"position": 3, "region": region},
        )
    expected = check_character(code[:17])
    if code[17] != expected:
        raise InvalidUscc(
            f"check character expected {expected} but found {code[17]} (position 18)",
            details={"position": 18, "expected": expected, "found": code[17]},
        )
    warnings: tuple[str, ...] = ()
    organisation_check = gb11714_check_character(code[8:16])
    if code[16] != organisation_check:
        warnings = (
            f"position 17 is {code[16]} but the GB 11714 check of positions 9–16 gives {organisation_check}; "
            "accepted, since not every issuing authority follows that rule",
        )
    return Uscc(code=code, warnings=warnings)


def complete_uscc(first17: str) -> str:
    """17 code characters plus their check character."""
    return first17 + check_character(first17)

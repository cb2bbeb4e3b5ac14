"""Permit and filing number formats, one validator per kind (DOMAIN.md §3.2–3.4, §11.1).

Check digits are never verified: the algorithms are unpublished [U]. Region segments only warn, because
local variants exist (Beijing used a 街乡镇 segment). Code sets come from ``permits.toml``; where we had to choose
without a legal source (our check digit, the YB filing prefix, the registration-number characters) the choice is a
``permits.number.local.*`` rule marked as a local convention, and the number's warnings say so.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from kernel.errors import ClientError
from subgraphs.common.rules import RuleBook, default_rules
from subgraphs.permits import catalog
from subgraphs.permits.errors import PermitsCode
from subgraphs.permits.vocabulary import PermitKind

GUANGDONG_PROVINCE = "44"
"""GB/T 2260 province segment of Guangdong; numbers of local permits carry it."""


class InvalidPermitNumber(ClientError):
    """A permit or filing number does not have its kind's format; ``details.reason`` says which part."""

    code = PermitsCode.INVALID_PERMIT_NUMBER

    def __init__(self, kind: PermitKind, number: str, reason: str, message: str):
        super().__init__(
            f"{kind.value} number {number!r}: {message}",
            details={"kind": kind.value, "number": number, "reason": reason},
        )
        self.reason = reason


@dataclass(frozen=True, slots=True)
class PermitNumber:
    """A number that passed its kind's validator, with its parts and any soft warnings."""

    kind: PermitKind
    value: str
    region_code: str | None
    sequence: str | None
    check_digit: str | None
    business_form: int | None = None
    category_code: str | None = None
    warnings: tuple[str, ...] = ()


def normalise(number: str) -> str:
    """Trim surrounding blanks and upper-case the prefix letters; inner characters are left to the validator."""
    return number.strip().upper()


def _require(kind: PermitKind, number: str, prefix: str, digits: int) -> None:
    """Prefix, then exactly ``digits`` ASCII digits, with the first offending position named."""
    if not number.startswith(prefix):
        raise InvalidPermitNumber(kind, number, "PREFIX", f"must start with {prefix!r}")
    body = number[len(prefix) :]
    for index, char in enumerate(body):
        if not ("0" <= char <= "9"):
            position = index + len(prefix) + 1
            raise InvalidPermitNumber(
                kind, number, "NON_DIGIT", f"position {position} must be a digit 0–9, not {char!r}"
            )
    if len(body) != digits:
        raise InvalidPermitNumber(
            kind, number, "LENGTH", f"{prefix} must be followed by exactly {digits} digits, not {len(body)}"
        )


def _region_warnings(region: str, is_local_region: Callable[[str], bool] | None) -> tuple[str, ...]:
    if not region.startswith(GUANGDONG_PROVINCE):
        return (f"region segment {region} is not a Guangdong (44) code; accepted as a local variant",)
    if is_local_region is not None and region.startswith("4403") and not is_local_region(region):
        return (f"region segment {region} is not a known Shenzhen district code",)
    return ()


def parse_jy(
    number: str, *, on: dt.date, rules: RuleBook | None = None, is_local_region: Callable[[str], bool] | None = None
) -> PermitNumber:
    """食品经营许可证编号: ``JY`` + business form + 6-digit region + 6-digit sequence + check digit (§3.2)."""
    kind, value = PermitKind.JY, normalise(number)
    _require(kind, value, "JY", 14)
    form_max = (rules or default_rules()).get("permits.number.jy_business_form_max", on).value
    form = int(value[2])
    if not 1 <= form <= form_max:
        allowed = ", ".join(str(digit) for digit in range(1, form_max + 1))
        raise InvalidPermitNumber(
            kind, value, "BUSINESS_FORM", f"position 3 (business form 主体业态) must be one of {allowed}, not {form}"
        )
    region = value[3:9]
    return PermitNumber(
        kind=kind,
        value=value,
        region_code=region,
        sequence=value[9:15],
        check_digit=value[15],
        business_form=form,
        warnings=_region_warnings(region, is_local_region),
    )


def parse_sc(
    number: str, *, on: dt.date, rules: RuleBook | None = None, is_local_region: Callable[[str], bool] | None = None
) -> PermitNumber:
    """食品生产许可证编号: ``SC`` + 3-digit category + 6-digit region + 4-digit sequence + check digit (§3.3)."""
    kind, value = PermitKind.SC, normalise(number)
    _require(kind, value, "SC", 14)
    group = value[2]
    if group not in ("1", "2"):
        raise InvalidPermitNumber(
            kind, value, "CATEGORY_GROUP", f"position 3 must be 1 (food) or 2 (food additive), not {group}"
        )
    listing = catalog.code_list(kind, on)
    known = sorted(item.code[1:] for item in listing.items if item.code[0] == group)
    if value[3:5] not in known:
        what = "food" if group == "1" else "food additive"
        raise InvalidPermitNumber(
            kind,
            value,
            "CATEGORY",
            f"positions 4–5 ({what} category) must be one of the {listing.version} catalogue's {known[0]}–{known[-1]}, "
            f"not {value[3:5]}",
        )
    region = value[5:11]
    return PermitNumber(
        kind=kind,
        value=value,
        region_code=region,
        sequence=value[11:15],
        check_digit=value[15],
        category_code=value[2:5],
        warnings=_region_warnings(region, is_local_region),
    )


def _convention(key: str, on: dt.date, rules: RuleBook | None) -> str:
    """The warning naming a local convention (no legal basis) a number was read under."""
    rule = (rules or default_rules()).get(key, on)
    return f"read under a local convention without legal basis ({rule.version}, [{rule.certainty}])"


def parse_prepack_filing(number: str, *, on: dt.date, rules: RuleBook | None = None) -> PermitNumber:
    """仅销售预包装食品备案编号: ``YB`` + 14 digits, laid out like a JY number (a local convention, DOMAIN.md §3.4)."""
    kind, value = PermitKind.PREPACK_FILING, normalise(number)
    _require(kind, value, "YB", 14)
    region = value[3:9]
    return PermitNumber(
        kind=kind,
        value=value,
        region_code=region,
        sequence=value[9:15],
        check_digit=value[15],
        warnings=(
            "the YB filing-number format is unconfirmed: "
            + _convention("permits.number.local.filing_prefix_yb", on, rules),
            *_region_warnings(region, None),
        ),
    )


_REGISTRATION_CHARACTER = re.compile(r"^[\u4e00-\u9fffA-Z0-9]+$")
REGISTRATION_MIN = 6


def _parse_registration(kind: PermitKind, number: str, on: dt.date, rules: RuleBook | None) -> PermitNumber:
    """Guangdong registrations have no published format [U]: 6 to N letters, digits or Chinese characters, N from the
    local convention ``permits.number.local.registration_characters``."""
    value = normalise(number)
    longest = (rules or default_rules()).get("permits.number.local.registration_characters", on).value
    if not (REGISTRATION_MIN <= len(value) <= longest and _REGISTRATION_CHARACTER.fullmatch(value)):
        raise InvalidPermitNumber(
            kind,
            value,
            "CHARACTERS",
            f"must be {REGISTRATION_MIN}–{longest} characters, each a digit, an upper-case letter or a Chinese "
            "character",
        )
    return PermitNumber(
        kind=kind,
        value=value,
        region_code=None,
        sequence=None,
        check_digit=None,
        warnings=(
            f"the {kind.value} number format is unpublished; only its characters were checked, "
            + _convention("permits.number.local.registration_characters", on, rules),
        ),
    )


def parse_workshop_registration(number: str, *, on: dt.date, rules: RuleBook | None = None) -> PermitNumber:
    """食品生产加工小作坊登记证编号 (Guangdong, format [U])."""
    return _parse_registration(PermitKind.WORKSHOP_REG, number, on, rules)


def parse_stall_registration(number: str, *, on: dt.date, rules: RuleBook | None = None) -> PermitNumber:
    """食品摊贩登记卡编号 (Guangdong, format [U])."""
    return _parse_registration(PermitKind.STALL_REG, number, on, rules)


def parse_permit_number(
    kind: PermitKind,
    number: str,
    *,
    on: dt.date,
    rules: RuleBook | None = None,
    is_local_region: Callable[[str], bool] | None = None,
) -> PermitNumber:
    """Validate ``number`` as a ``kind`` number under the code sets in force on ``on``."""
    if kind is PermitKind.JY:
        return parse_jy(number, on=on, rules=rules, is_local_region=is_local_region)
    if kind is PermitKind.SC:
        return parse_sc(number, on=on, rules=rules, is_local_region=is_local_region)
    if kind is PermitKind.PREPACK_FILING:
        return parse_prepack_filing(number, on=on, rules=rules)
    if kind is PermitKind.WORKSHOP_REG:
        return parse_workshop_registration(number, on=on, rules=rules)
    return parse_stall_registration(number, on=on, rules=rules)


def check_region_code(code: str) -> str:
    """A 6-digit GB/T 2260 region code, or ``INVALID_REGION_CODE``."""
    if not (len(code) == 6 and code.isascii() and code.isdigit()):
        raise ClientError(
            f"a region must be a 6-digit GB/T 2260 code, not {code!r}", code=PermitsCode.INVALID_REGION_CODE
        )
    return code


def placeholder_check_digit(body: str) -> str:
    """Our own check digit for numbers we issue (Luhn mod 10): a local convention without legal basis (rule
    ``permits.number.local.placeholder_check_digit``); the official algorithm is unpublished [U]."""
    total = 0
    for index, char in enumerate(reversed(body)):
        digit = int(char)
        if index % 2 == 0:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return str((10 - total % 10) % 10)


def format_number(kind: PermitKind, head: str, sequence: int) -> str:
    """Assemble an issued number from its head (prefix + form/category + region) and sequence.

    JY and YB heads are 9 characters and take a 6-digit sequence; SC heads are 11 and take 4 digits.
    """
    width = 4 if kind is PermitKind.SC else 6
    if sequence >= 10**width:
        raise ClientError(f"number range {head} is exhausted", code=PermitsCode.NUMBER_RANGE_EXHAUSTED)
    body = f"{head}{sequence:0{width}d}"
    return body + placeholder_check_digit(body[2:])

"""Field-by-field checks of a legacy record with the validators the subgraphs use (USCC, permit numbers, dates,
text hygiene); every problem of a record is collected, then the record is refused with all of them at once."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import TypeVar

from adapters.errors import AdapterCode
from adapters.protocol import RecordRejected
from kernel.errors import Code, ZhijianError
from kernel.text import clean_text
from kernel.uscc import parse_uscc
from subgraphs.integration.store import Reason
from subgraphs.permits.numbers import check_region_code, parse_permit_number
from subgraphs.permits.vocabulary import PermitKind

T = TypeVar("T")
_DATE = re.compile(r"^(\d{4})[-/.年]?(\d{1,2})[-/.月]?(\d{1,2})日?$")
_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T](\d{2}):(\d{2}):(\d{2})$")


class Checks:
    """The checks of one record; :meth:`done` refuses it when any failed."""

    def __init__(self, fields: Mapping[str, str]) -> None:
        self.fields = fields
        self.reasons: list[Reason] = []

    def refuse(self, field: str, code: str, message: str) -> None:
        """Record a problem the checks below do not cover."""
        self.reasons.append(Reason(field, code, message))

    def raw(self, field: str, *, required: bool = True) -> str | None:
        value = (self.fields.get(field) or "").strip()
        if not value:
            if required:
                self.refuse(field, AdapterCode.MISSING_FIELD, f"{field} is empty")
            return None
        return value

    def text(self, field: str, limit: int, *, required: bool = True) -> str | None:
        value = self.raw(field, required=required)
        if value is None:
            return None
        try:
            value = clean_text(value, field=field)
        except ZhijianError as error:
            self.refuse(field, str(error.code), error.message)
            return None
        if len(value) > limit:
            self.refuse(field, AdapterCode.TOO_LONG, f"{field} has {len(value)} characters; at most {limit}")
            return None
        return value

    def optional_text(self, field: str, limit: int) -> str | None:
        return self.text(field, limit, required=False)

    def uscc(self, field: str) -> str | None:
        value = self.raw(field)
        if value is None:
            return None
        try:
            return parse_uscc(value).code
        except ZhijianError as error:
            self.refuse(field, str(error.code), error.message)
            return None

    def date(self, field: str, *, required: bool = True) -> dt.date | None:
        """``2025-07-01``, ``2025/7/1``, ``20250701`` or ``2025年7月1日``."""
        value = self.raw(field, required=required)
        if value is None:
            return None
        match = _DATE.match(value)
        try:
            if match is None:
                raise ValueError(value)
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            self.refuse(field, Code.INVALID_DATE, f"{field} {value!r} is not a date (e.g. 2025-07-01 or 20250701)")
            return None

    def datetime(self, field: str) -> dt.datetime | None:
        value = self.raw(field)
        if value is None:
            return None
        match = _DATETIME.match(value)
        if match is None:
            self.refuse(field, Code.INVALID_DATE, f"{field} {value!r} is not a time (yyyy-MM-dd HH:mm:ss)")
            return None
        return dt.datetime.fromisoformat(f"{match[1]}T{match[2]}:{match[3]}:{match[4]}")

    def choice(self, field: str, options: Mapping[str, T]) -> T | None:
        value = self.raw(field)
        if value is None:
            return None
        if value not in options:
            known = ", ".join(sorted(options))
            self.refuse(field, AdapterCode.UNKNOWN_CODE, f"{field} {value!r} is not one of {known}")
            return None
        return options[value]

    def permit_number(self, field: str, kind: PermitKind | None, on: dt.date | None) -> str | None:
        value = self.raw(field)
        if value is None or kind is None or on is None:  # without kind or date the record is refused anyway
            return None
        try:
            return parse_permit_number(kind, value, on=on).value
        except ZhijianError as error:
            self.refuse(field, str(error.code), error.message)
            return None

    def region(self, field: str) -> str | None:
        value = self.raw(field)
        if value is None:
            return None
        try:
            return check_region_code(value)
        except ZhijianError as error:
            self.refuse(field, str(error.code), error.message)
            return None

    def done(self) -> None:
        """Refuse the record with every reason found (``RecordRejected``)."""
        if self.reasons:
            raise RecordRejected(self.reasons)

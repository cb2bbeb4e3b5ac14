"""A row of a permit ledger file (its Chinese column headers) → ``RecordPermitInput``: pure."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from adapters.permit_fields import to_permit

COLUMNS: Mapping[str, str] = {
    "number": "许可证编号",
    "holder_uscc": "统一社会信用代码",
    "holder_name": "经营者名称",
    "premises": "经营场所",
    "region": "行政区划代码",
    "items": "经营项目",
    "valid_from": "有效期起",
    "valid_to": "有效期至",
    "status": "状态",
}
"""The ledger template's column headers (the template senders are given)."""


def to_permit_input(row: Mapping[str, str]) -> dict[str, Any]:
    return to_permit(row, COLUMNS)

"""Legacy permit fields → ``RecordPermitInput`` of the permits subgraph, whatever the source calls them: one pure
function shared by the file drops and the REST endpoint (each names its fields its own way)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from adapters.errors import AdapterCode
from adapters.validation import Checks
from subgraphs.permits.catalog import code_list
from subgraphs.permits.vocabulary import PermitKind, PermitStatus

STATUSES: Mapping[str, PermitStatus] = {
    **{status.value: status for status in PermitStatus},
    "有效": PermitStatus.VALID,
    "暂停": PermitStatus.SUSPENDED,
    "吊销": PermitStatus.REVOKED,
    "注销": PermitStatus.CANCELLED,
    "过期": PermitStatus.EXPIRED,
}
KINDS: Mapping[str, PermitKind] = {"JY": PermitKind.JY, "SC": PermitKind.SC}
"""Read from the number's prefix: 食品经营许可证 JY…, 食品生产许可证 SC…."""

FIELDS = ("number", "holder_uscc", "holder_name", "premises", "region", "items", "valid_from", "valid_to", "status")
"""Our names of a permit's fields; each source maps them to its own (``names``)."""


def to_permit(fields: Mapping[str, str], names: Mapping[str, str]) -> dict[str, Any]:
    """One legacy permit → a ``RecordPermitInput``; ``names`` maps each of :data:`FIELDS` to the source's name."""
    checks = Checks(fields)
    number_field = names["number"]
    raw_number = (checks.raw(number_field) or "").upper()
    kind = KINDS.get(raw_number[:2])
    if raw_number and kind is None:
        checks.refuse(number_field, AdapterCode.UNKNOWN_CODE, f"{raw_number!r} starts with neither JY nor SC")
    valid_from = checks.date(names["valid_from"])
    valid_to = checks.date(names["valid_to"])
    number = checks.permit_number(number_field, kind, valid_from)
    status = STATUSES.get((fields.get(names["status"]) or "").strip() or "有效")
    if status is None:
        checks.choice(names["status"], STATUSES)
    permit = {
        "kind": None if kind is None else kind.value,
        "number": number,
        "holderUscc": checks.uscc(names["holder_uscc"]),
        "holderName": checks.text(names["holder_name"], 200),
        "premisesAddress": checks.text(names["premises"], 300),
        "premisesRegion": checks.region(names["region"]),
        "items": _items(checks, names["items"], kind, valid_from),
        "validFrom": None if valid_from is None else valid_from.isoformat(),
        "validTo": None if valid_to is None else valid_to.isoformat(),
        "status": None if status is None else status.value,
    }
    checks.done()
    return permit


def _items(checks: Checks, field: str, kind: PermitKind | None, on: dt.date | None) -> list[str]:
    """Item names (热食类食品制售、冷食类食品制售) or codes → ``CODE@VERSION`` of the code list in force on ``on``."""
    raw = checks.raw(field)
    if raw is None or kind is None or on is None:
        return []
    catalogue = code_list(kind, on)
    by_name = {item.name: item.code for item in catalogue.items}
    codes, unknown = [], []
    for part in (p.strip() for p in raw.replace("；", ";").replace("、", ";").replace(",", ";").split(";")):
        code = by_name.get(part) or (part if catalogue.item(part) else None)
        if code is not None:
            codes.append(f"{code}@{catalogue.version}")
        elif part:
            unknown.append(part)
    if unknown:
        checks.refuse(field, AdapterCode.UNKNOWN_CODE, f"{', '.join(unknown)}: not in code list {catalogue.version}")
    return codes

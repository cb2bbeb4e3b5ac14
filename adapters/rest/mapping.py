"""A permit as the legacy REST endpoint shows it (nested JSON, its own names) → ``RecordPermitInput``: pure."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from adapters.permit_fields import to_permit

NAMES: Mapping[str, str] = {
    "number": "licenceNo",
    "holder_uscc": "holder.creditCode",
    "holder_name": "holder.name",
    "premises": "address",
    "region": "areaCode",
    "items": "scope",
    "valid_from": "validFrom",
    "valid_to": "validTo",
    "status": "state",
}


def flatten(permit: Mapping[str, Any]) -> dict[str, str]:
    """The JSON as flat text fields (``holder.name``; lists joined by ``;``), as quarantine and reports keep it."""
    flat: dict[str, str] = {}
    for key, value in permit.items():
        if isinstance(value, Mapping):
            flat.update({f"{key}.{k}": "" if v is None else str(v) for k, v in value.items()})
        elif isinstance(value, list):
            flat[key] = ";".join(str(v) for v in value)
        else:
            flat[key] = "" if value is None else str(value)
    return flat


def to_permit_input(fields: Mapping[str, str]) -> dict[str, Any]:
    return to_permit(fields, NAMES)

"""Units of measurement, converted explicitly: a value is compared with a limit only in the limit's own unit."""

from __future__ import annotations

import math

from kernel.errors import ClientError
from subgraphs.detection.errors import DetectionCode

MASS_FRACTION: dict[str, float] = {"g/kg": 1000.0, "mg/kg": 1.0, "µg/kg": 0.001, "μg/kg": 0.001, "ug/kg": 0.001}
"""Mass fractions in mg/kg (g/kg for additives of GB 2760, µg/kg for mycotoxins and veterinary drugs)."""
PERCENT = "%"


def convert(value: float, unit: str, to: str) -> float:
    """``value`` in ``unit`` expressed in ``to``; ``INVALID_UNIT`` when the two do not measure the same thing."""
    if unit == to:
        return value
    if unit in MASS_FRACTION and to in MASS_FRACTION:
        return value * MASS_FRACTION[unit] / MASS_FRACTION[to]
    raise ClientError(
        f"a value in {unit!r} cannot be expressed in {to!r}", code=DetectionCode.INVALID_UNIT, details={"unit": unit}
    )


def check_value(value: float, what: str, upper: float | None = None) -> None:
    """``IMPOSSIBLE_VALUE`` for a reading that cannot be: not a number, negative, or beyond the scale."""
    if not math.isfinite(value) or value < 0 or (upper is not None and value > upper):
        scale = f"0–{upper:g}" if upper is not None else "≥ 0"
        raise ClientError(
            f"{what} {value} is impossible (the scale is {scale})",
            code=DetectionCode.IMPOSSIBLE_VALUE,
            details={"value": str(value)},
        )

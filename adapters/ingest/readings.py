"""Checking a quick-test reading: a known analyte, a unit that analyte can be measured in (converted to its canonical
unit, explicitly), and a value that can exist."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Analyte:
    canonical: str
    units: Mapping[str, float]
    """Each accepted unit and its factor to the canonical unit."""
    most: float
    """The largest value that can exist, in the canonical unit."""


MG_PER_KG = {"mg/kg": 1.0, "g/kg": 1000.0, "µg/kg": 0.001, "μg/kg": 0.001, "ug/kg": 0.001}
ANALYTES: Mapping[str, Analyte] = {
    # organophosphate/carbamate residue by enzyme inhibition (农残速测, 酶抑制率)
    "PESTICIDE_INHIBITION": Analyte("%", {"%": 1.0}, 100.0),
    "FORMALDEHYDE": Analyte("mg/kg", MG_PER_KG, 10_000.0),
    "NITRITE": Analyte("mg/kg", MG_PER_KG, 100_000.0),
    "CLENBUTEROL": Analyte("µg/kg", {unit: factor * 1000.0 for unit, factor in MG_PER_KG.items()}, 100_000.0),  # 瘦肉精
}


class ImpossibleReading(ValueError):
    """The reason a reading cannot be taken."""


def canonical(analyte: str, value: float, unit: str) -> tuple[float, str]:
    """The value in the analyte's canonical unit; ``ImpossibleReading`` with the reason otherwise."""
    known = ANALYTES.get(analyte)
    if known is None:
        raise ImpossibleReading(f"unknown analyte {analyte!r}; known: {', '.join(ANALYTES)}")
    factor = known.units.get(unit)
    if factor is None:
        raise ImpossibleReading(f"{analyte} is not measured in {unit!r}; use one of {', '.join(known.units)}")
    if not math.isfinite(value) or value < 0:
        raise ImpossibleReading(f"{analyte} cannot be {value} {unit}")
    converted = value * factor
    if converted > known.most:
        raise ImpossibleReading(f"{analyte} cannot be {value} {unit} (at most {known.most:g} {known.canonical})")
    return converted, known.canonical

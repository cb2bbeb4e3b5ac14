"""Shenzhen's supervision org tree "1+11+74" (DOMAIN.md §9): city → district bureaus → stations, as versioned data.

Every unit has a stable ``code`` and a ``path`` of codes from the city down (``440300/440304/440304001``),
which is an officer's data scope. Containment compares path *segments*, so a district ``d1`` never contains
``d10``'s units. An org path is checked in two ways only: its syntax (:func:`parse_org_path`, for tokens) and
its place in the tree (:meth:`OrgTree.unit_at`, for records and scopes).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any

from kernel.errors import ClientError, Code, InternalError

SEPARATOR = "/"

CITY_WIDE = "jurisdiction:city"
"""Scope that gives a caller without an org path the whole city (a city-wide machine client)."""


class OrgLevel(StrEnum):
    CITY = "CITY"
    DISTRICT = "DISTRICT"
    STATION = "STATION"


@dataclass(frozen=True, slots=True)
class Town:
    """A township (乡级: 镇 / 乡 / 街道) by its 12-digit 统计用区划代码 and the names addresses write it with."""

    code: str
    names: tuple[str, ...]

    @property
    def county_code(self) -> str:
        """The GB/T 2260 county the town lies in: the code's first six digits."""
        return self.code[:6]

    def named_in(self, address: str) -> bool:
        return any(name in address for name in self.names)


@dataclass(frozen=True, slots=True)
class OrgUnit:
    """One supervision org unit (市局 / 辖区局 / 监管所) and the area it answers for."""

    code: str
    name: str
    area: str
    """The area's own name as addresses write it: 福田区, 大鹏新区, 华强北街道."""
    level: OrgLevel
    path: str
    region_codes: tuple[str, ...]
    functional_area: str | None = None
    """大鹏新区 / 深汕特别合作区: an area without a GB/T 2260 code of its own."""
    towns: tuple[Town, ...] = ()
    """Where not empty, the unit answers only for these towns of its ``region_codes`` (深汕: four towns of 海丰县)."""

    def holds_premises(self, address: str, region_code: str) -> bool:
        """Whether premises at ``address`` in GB/T 2260 county ``region_code`` lie in this unit's area: the whole
        county, or, for a unit of ``towns``, one of them named in the address (or the area itself, 深汕特别合作区…)."""
        if region_code not in self.region_codes:
            return False
        towns = [town for town in self.towns if town.county_code == region_code]
        if not towns:
            return True
        return self.area in address or any(town.named_in(address) for town in towns)

    @property
    def parent_code(self) -> str | None:
        segments = self.path.split(SEPARATOR)
        return segments[-2] if len(segments) > 1 else None


def parse_org_path(value: object) -> str | None:
    """An org path of non-empty ASCII alphanumeric segments (``440300/440304``), or ``None`` when absent.

    Raises ``ValueError`` for anything else; whether the path is one of the tree is :meth:`OrgTree.unit_at`'s
    question."""
    if value is None:
        return None
    if not isinstance(value, str) or not all(s.isalnum() and s.isascii() for s in value.split(SEPARATOR)):
        raise ValueError("malformed org_path")
    return value


def path_contains(ancestor: str, path: str) -> bool:
    """True when ``path`` is ``ancestor`` or under it, segment by segment (``a/b`` holds ``a/b/c``, not ``a/bc``)."""
    outer, inner = ancestor.split(SEPARATOR), path.split(SEPARATOR)
    return len(inner) >= len(outer) and inner[: len(outer)] == outer


@dataclass(frozen=True, slots=True)
class OrgTree:
    """All units of one version of the tree, looked up by code."""

    version: str
    effective_from: dt.date
    units: tuple[OrgUnit, ...]
    _by_code: Mapping[str, OrgUnit] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_code", {unit.code: unit for unit in self.units})

    @property
    def city(self) -> OrgUnit:
        return next(unit for unit in self.units if unit.level is OrgLevel.CITY)

    def get(self, code: str) -> OrgUnit | None:
        return self._by_code.get(code)

    def district(self, code: str) -> OrgUnit:
        """The district bureau ``code``, or ``UNKNOWN_DISTRICT`` naming the valid codes."""
        unit = self._by_code.get(code)
        if unit is None or unit.level is not OrgLevel.DISTRICT:
            known = ", ".join(d.code for d in self.districts())
            raise ClientError(f"unknown district {code!r}; districts are {known}", code=Code.UNKNOWN_DISTRICT)
        return unit

    def station(self, code: str) -> OrgUnit:
        """The station ``code``, or ``UNKNOWN_STATION``."""
        unit = self._by_code.get(code)
        if unit is None or unit.level is not OrgLevel.STATION:
            raise ClientError(
                f"unknown station {code!r}; a station code is the 9-digit code of its 街道", code=Code.UNKNOWN_STATION
            )
        return unit

    def unit_at(self, path: str) -> OrgUnit:
        """The unit an org path ends at (an officer's data scope), if every segment is a real child of the one before.

        ``440300/440304`` is 福田's bureau; ``440300/440305/440304009`` is refused (华强北 is not in 南山).
        """
        unit = self._by_code.get(path.rsplit(SEPARATOR, 1)[-1])
        if unit is None or unit.path != path:
            raise ClientError(f"{path!r} is not a path of the org tree {self.version}", code=Code.UNKNOWN_ORG_UNIT)
        return unit

    def districts(self) -> tuple[OrgUnit, ...]:
        return tuple(unit for unit in self.units if unit.level is OrgLevel.DISTRICT)

    def stations(self, district_code: str | None = None) -> tuple[OrgUnit, ...]:
        """All stations, or those of one district bureau."""
        stations = (unit for unit in self.units if unit.level is OrgLevel.STATION)
        if district_code is None:
            return tuple(stations)
        parent = self.district(district_code)
        return tuple(unit for unit in stations if path_contains(parent.path, unit.path))

    def district_of(self, unit: OrgUnit) -> OrgUnit:
        """The district bureau a station belongs to (a district is its own)."""
        if unit.level is OrgLevel.CITY:
            raise InternalError("the city bureau belongs to no district")
        return self._by_code[unit.path.split(SEPARATOR)[1]]

    def station_in_address(self, address: str) -> OrgUnit | None:
        """The one station whose 街道 an address names (``…福田区华强北街道…``); None when none or several do."""
        found = [unit for unit in self.units if unit.level is OrgLevel.STATION and unit.area in address]
        return found[0] if len(found) == 1 else None

    def region_district(self, address: str, region_code: str) -> OrgUnit | None:
        """The district bureau whose area holds premises at ``address`` in GB/T 2260 ``region_code`` (its own code
        first: 440307 is 龙岗, not 大鹏; a county of which a bureau has only some towns, by the town the address names);
        None outside Shenzhen or where several claim them. The one answer to "are these premises in Shenzhen"."""
        exact = self._by_code.get(region_code)
        if exact is not None and exact.level is OrgLevel.DISTRICT:
            return exact
        matches = [unit for unit in self.districts() if unit.holds_premises(address, region_code)]
        return matches[0] if len(matches) == 1 else None

    def premises_unit(self, address: str, region_code: str | None = None) -> OrgUnit | None:
        """The unit supervising premises (属地监管, DOMAIN.md §9): the station whose 街道 the address names, else
        :meth:`region_district`; None when neither decides."""
        station = self.station_in_address(address)
        if station is not None or region_code is None:
            return station
        return self.region_district(address, region_code)

    def codes_of(self, unit: OrgUnit | None) -> tuple[str | None, str | None]:
        """(district code, station code) of a supervising unit, as rows store them; (None, None) for none."""
        if unit is None or unit.level is OrgLevel.CITY:
            return None, None
        if unit.level is OrgLevel.DISTRICT:
            return unit.code, None
        return self.district_of(unit).code, unit.code


def _load(data: Mapping[str, Any]) -> OrgTree:
    city = data["city"]
    units = [
        OrgUnit(
            code=city["code"],
            name=city["name"],
            area=city["area"],
            level=OrgLevel.CITY,
            path=city["code"],
            region_codes=tuple(city["region_codes"]),
        )
    ]
    for district in data["district"]:
        district_path = f"{city['code']}{SEPARATOR}{district['code']}"
        units.append(
            OrgUnit(
                code=district["code"],
                name=district["name"],
                area=district["area"],
                level=OrgLevel.DISTRICT,
                path=district_path,
                region_codes=tuple(district["region_codes"]),
                functional_area=district.get("functional_area"),
                towns=tuple(Town(code, tuple(names)) for code, *names in district.get("towns", ())),
            )
        )
        for code, street in district["stations"]:
            units.append(
                OrgUnit(
                    code=code,
                    name=f"{district['area']}{street}市场监督管理所",
                    area=f"{street}街道",
                    level=OrgLevel.STATION,
                    path=f"{district_path}{SEPARATOR}{code}",
                    region_codes=(code,),
                    functional_area=district.get("functional_area"),
                )
            )
    for unit in units:
        for town in unit.towns:
            if not (len(town.code) == 12 and town.code.isdigit() and town.county_code in unit.region_codes):
                raise InternalError(f"town {town.code} of {unit.code} is not a 12-digit code of one of its counties")
    codes = [unit.code for unit in units]
    if len(codes) != len(set(codes)) or any(SEPARATOR in code for code in codes):
        raise InternalError("org unit codes must be unique and must not contain '/'")
    return OrgTree(version=data["version"], effective_from=data["effective_from"], units=tuple(units))


@cache
def default_org_tree() -> OrgTree:
    """The shipped Shenzhen tree (``reference/shenzhen_org_units.toml``)."""
    text = (resources.files("kernel") / "reference" / "shenzhen_org_units.toml").read_text(encoding="utf-8")
    return _load(tomllib.loads(text))

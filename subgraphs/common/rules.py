"""Versioned legal rule data: every deadline, threshold and validity period, with its legal basis.

Rules live as TOML files beside this module (``rules/<domain>.toml``), one ``[[rule]]`` table each:
``key``, ``value``, ``unit``, ``basis`` (regulation and article), ``effective_from``, optional
``effective_to``, and ``certainty`` (V/S/U as tagged in DOMAIN.md). Code asks for a rule by key and the
date that matters legally, never for a literal.
"""

from __future__ import annotations

import datetime as dt
import itertools
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

from kernel.errors import InternalError
from subgraphs.common.calendar import PeriodUnit, default_calendar
from subgraphs.common.errors import CommonCode

Unit = Literal["working_days", "days", "months", "years", "hours", "yuan", "count", "flag"]
_UNITS: frozenset[str] = frozenset(Unit.__args__)  # type: ignore[attr-defined]
_PERIOD_UNITS: frozenset[str] = frozenset(PeriodUnit.__args__)  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class Rule:
    """One version of one rule: its value holds from ``effective_from`` up to, not including, ``effective_to``."""

    key: str
    value: int
    unit: Unit
    basis: str
    effective_from: dt.date
    effective_to: dt.date | None
    certainty: Literal["V", "S", "U"]
    extends_past_holiday: bool = False
    """民法典 Art. 203 applies: a last day on a rest day moves to the next working day (a party's time to act)."""
    edition: str | None = None
    """Which edition of the source the value comes from, where editions differ (e.g. the 2014 measures)."""

    def in_force_on(self, day: dt.date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day < self.effective_to)

    def period_end(self, start: dt.date) -> dt.date:
        """The last day of a period of this rule's length triggered on ``start`` (民法典 Art. 201–203, one function:
        :meth:`WorkingDayCalendar.period_last_day`); what happens when the period has run out happens the day after."""
        if self.unit not in _PERIOD_UNITS:
            raise InternalError(f"rule {self.key!r} is counted in {self.unit}, not a period of days")
        unit: PeriodUnit = self.unit  # type: ignore[assignment]
        return default_calendar().period_last_day(
            start, self.value, unit, extends_past_holiday=self.extends_past_holiday
        )

    def runs_out_after(self, start: dt.date) -> dt.date:
        """The first day after the period triggered on ``start`` has run out (届满后; 满N年 the day after)."""
        return self.period_end(start) + dt.timedelta(days=1)

    @property
    def version(self) -> str:
        """A stable label for audit trails: ``key@effective_from``."""
        return f"{self.key}@{self.effective_from.isoformat()}"


class RuleNotFound(InternalError):
    code = CommonCode.RULE_NOT_FOUND


@dataclass(frozen=True, slots=True)
class RuleBook:
    """All rule versions, looked up by key and legally relevant date."""

    rules: tuple[Rule, ...]

    def get(self, key: str, on: dt.date) -> Rule:
        """The version of ``key`` in force on ``on``."""
        rule = self.find(key, on)
        if rule is None:
            raise RuleNotFound(f"no version of rule {key!r} is in force on {on.isoformat()}")
        return rule

    def find(self, key: str, on: dt.date) -> Rule | None:
        """The version of ``key`` in force on ``on``, or None where no version covers that day."""
        return next((rule for rule in self.rules if rule.key == key and rule.in_force_on(on)), None)


def _parse_rule(raw: dict[str, object], source: str) -> Rule:
    try:
        unit = str(raw["unit"])
        if unit not in _UNITS:
            raise ValueError(f"unknown unit {unit!r}")
        effective_to = raw.get("effective_to")
        certainty = str(raw.get("certainty", "U"))
        if certainty not in ("V", "S", "U"):
            raise ValueError(f"certainty must be V, S or U, not {certainty!r}")
        effective_from = raw["effective_from"]
        if not isinstance(effective_from, dt.date) or not (effective_to is None or isinstance(effective_to, dt.date)):
            raise ValueError("effective dates must be TOML dates")
        value = raw["value"]
        if not isinstance(value, int):
            raise ValueError("value must be an integer")
        extends = raw.get("extends_past_holiday", False)
        edition = raw.get("edition")
        if not isinstance(extends, bool) or not (edition is None or isinstance(edition, str)):
            raise ValueError("extends_past_holiday is a boolean and edition a string")
        return Rule(
            key=str(raw["key"]),
            value=value,
            unit=unit,  # type: ignore[arg-type]
            basis=str(raw["basis"]),
            effective_from=effective_from,
            effective_to=effective_to,
            certainty=certainty,  # type: ignore[arg-type]
            extends_past_holiday=extends,
            edition=edition,
        )
    except (KeyError, ValueError) as exc:
        raise InternalError(f"bad rule in {source}: {raw.get('key', '?')}: {exc}") from exc


def _check_no_overlap(rules: tuple[Rule, ...]) -> None:
    by_key: dict[str, list[Rule]] = {}
    for rule in rules:
        by_key.setdefault(rule.key, []).append(rule)
    for key, versions in by_key.items():
        versions.sort(key=lambda r: r.effective_from)
        for earlier, later in itertools.pairwise(versions):
            if earlier.effective_to is None or earlier.effective_to > later.effective_from:
                raise InternalError(f"rule {key!r} has overlapping versions from {later.effective_from}")


@cache
def default_rules() -> RuleBook:
    """Every ``rules/*.toml`` shipped with the package."""
    rules: list[Rule] = []
    folder = resources.files("subgraphs.common") / "rules"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            data = tomllib.loads(entry.read_text(encoding="utf-8"))
            rules.extend(_parse_rule(raw, entry.name) for raw in data.get("rule", []))
    book = RuleBook(tuple(rules))
    _check_no_overlap(book.rules)
    return book

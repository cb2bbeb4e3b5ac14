"""What the permits subgraph's operations depend on besides the session: registry, clock, calendar, org tree."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from subgraphs.common.calendar import BEIJING
from subgraphs.common.jurisdiction import OrgTree, default_org_tree
from subgraphs.permits.deadlines import PermitClock
from subgraphs.permits.registry import EntityRegistry

SYSTEM_ACTOR = "SYSTEM"
"""The actor recorded for automatic steps (decided_by = SYSTEM, DOMAIN.md §10.1)."""


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True, slots=True)
class PermitServices:
    """Built once per app by ``create_app`` and shared by every request."""

    registry: EntityRegistry
    periods: PermitClock = field(default_factory=PermitClock.default)
    clock: Callable[[], dt.datetime] = utc_now
    """Where "now" comes from: the system clock in production, a settable one in tests."""
    org_tree: OrgTree = field(default_factory=default_org_tree)

    def now(self) -> dt.datetime:
        """Now, in UTC (stored that way everywhere)."""
        return self.clock().astimezone(dt.UTC)

    def today(self, at: dt.datetime | None = None) -> dt.date:
        """The legal date (Beijing) of ``at`` or of now."""
        return (at or self.now()).astimezone(BEIJING).date()

    def is_shenzhen_region(self, region_code: str) -> bool:
        """True when a GB/T 2260 code is one a Shenzhen bureau supervises (DOMAIN.md §9)."""
        return any(region_code in unit.region_codes for unit in self.org_tree.districts())

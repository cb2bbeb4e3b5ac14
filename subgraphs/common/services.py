"""What a subgraph's operations and jobs depend on besides the session: the clock and the org tree, injected.

Each subgraph's ``services.py`` extends :class:`SubgraphServices` with its own collaborators (registries,
period rules). No subgraph reads the wall clock or a global org tree: it asks its services.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from kernel.clock import Clock, legal_date, system_clock
from kernel.orgtree import OrgTree, default_org_tree


@dataclass(frozen=True, slots=True)
class SubgraphServices:
    """Built once per process by the component's services factory and shared by every request and job."""

    clock: Clock = system_clock
    """Where "now" comes from: the system clock in production, a settable one in tests."""
    org_tree: OrgTree = field(default_factory=default_org_tree)

    def now(self) -> dt.datetime:
        """Now, in UTC (stored that way everywhere)."""
        return self.clock().astimezone(dt.UTC)

    def today(self, at: dt.datetime | None = None) -> dt.date:
        """The legal date (Beijing) of ``at`` or of now."""
        return legal_date(at or self.now())

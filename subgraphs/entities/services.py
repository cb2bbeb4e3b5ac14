"""What the entities subgraph's operations and jobs depend on besides the session: clock and org tree."""

from __future__ import annotations

from dataclasses import dataclass

from subgraphs.common.component import Wiring
from subgraphs.common.services import SubgraphServices


@dataclass(frozen=True, slots=True)
class EntityServices(SubgraphServices):
    """The entities subgraph needs nothing beyond the shared services (yet)."""

    @classmethod
    def build(cls, wiring: Wiring) -> EntityServices:
        return cls(clock=wiring.clock, org_tree=wiring.org_tree)

"""What the integration subgraph's operations depend on besides the session: the clock and the org tree."""

from __future__ import annotations

from dataclasses import dataclass

from subgraphs.common.component import Wiring
from subgraphs.common.services import SubgraphServices


@dataclass(frozen=True, slots=True)
class IntegrationServices(SubgraphServices):
    """Nothing beyond the shared services."""

    @classmethod
    def build(cls, wiring: Wiring) -> IntegrationServices:
        return cls(clock=wiring.clock, org_tree=wiring.org_tree)

"""What the permits subgraph's operations depend on besides the session: registry, periods, clock, org tree."""

from __future__ import annotations

from dataclasses import dataclass, field

from subgraphs.common.component import MachineClient, Wiring
from subgraphs.common.services import SubgraphServices
from subgraphs.permits.deadlines import PermitClock
from subgraphs.permits.registry import EntityRegistry, UnreachableRegistry
from subgraphs.permits.registry_graphql import GraphQLEntityRegistry

SYSTEM_ACTOR = "SYSTEM"
"""The actor recorded for automatic steps (decided_by = SYSTEM, DOMAIN.md §10.1)."""

REGISTRY_CLIENT = MachineClient(
    client_id="zhijian-permits",
    name="permits subgraph: registry and penalty-publicity facts for 秒批 (read-only, city-wide)",
    scopes=("entities:read", "enforcement:read", "jurisdiction:city"),
)
"""How the permits subgraph asks the federated graph about applicants: read-only, no personal data."""


@dataclass(frozen=True, slots=True)
class PermitServices(SubgraphServices):
    """Built once per process and shared by every request and job."""

    registry: EntityRegistry = field(default_factory=UnreachableRegistry)
    periods: PermitClock = field(default_factory=PermitClock.default)

    @classmethod
    def build(cls, wiring: Wiring) -> PermitServices:
        registry: EntityRegistry = (
            UnreachableRegistry() if wiring.graph is None else GraphQLEntityRegistry(wiring.graph(REGISTRY_CLIENT))
        )
        return cls(clock=wiring.clock, org_tree=wiring.org_tree, registry=registry)

    def is_shenzhen_region(self, region_code: str) -> bool:
        """True when a Shenzhen bureau answers for all or part of a GB/T 2260 county (a number's region segment,
        DOMAIN.md §9); whether given premises are in Shenzhen is :meth:`premises_in_shenzhen`."""
        return any(region_code in unit.region_codes for unit in self.org_tree.districts())

    def premises_in_shenzhen(self, address: str, region_code: str) -> bool:
        """True when premises lie in a Shenzhen bureau's area, by the same region data jurisdiction places them with
        (深汕特别合作区 is four towns of 海丰县, not the county; :meth:`OrgTree.region_district`)."""
        return self.org_tree.region_district(address, region_code) is not None

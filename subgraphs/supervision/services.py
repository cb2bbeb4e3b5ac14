"""What the supervision subgraph's operations depend on besides the session: clock, org tree, rule book."""

from __future__ import annotations

from dataclasses import dataclass, field

from subgraphs.common.component import Wiring
from subgraphs.common.rules import RuleBook, default_rules
from subgraphs.common.services import SubgraphServices

SYSTEM_ACTOR = "SYSTEM"
"""The actor recorded for steps no officer took (a task opened by another domain's request)."""


@dataclass(frozen=True, slots=True)
class SupervisionServices(SubgraphServices):
    """Built once per process and shared by every request and job."""

    rules: RuleBook = field(default_factory=default_rules)

    @classmethod
    def build(cls, wiring: Wiring) -> SupervisionServices:
        return cls(clock=wiring.clock, org_tree=wiring.org_tree)

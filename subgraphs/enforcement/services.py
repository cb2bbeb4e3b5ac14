"""What the enforcement subgraph's operations depend on besides the session: clock, org tree, calendar, evidence
store."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from subgraphs.common.component import Wiring
from subgraphs.common.services import SubgraphServices
from subgraphs.enforcement.deadlines import CaseClock
from subgraphs.enforcement.store import DirectoryEvidenceStore, EvidenceStore, MemoryEvidenceStore

SYSTEM_ACTOR = "SYSTEM"
EVIDENCE_DIR = "ZHIJIAN_EVIDENCE_DIR"
"""Where evidence files are kept (the vault's mount); unset: in memory (demo only)."""


@dataclass(frozen=True, slots=True)
class EnforcementServices(SubgraphServices):
    """Built once per process and shared by every request and job."""

    periods: CaseClock = field(default_factory=CaseClock)
    evidence: EvidenceStore = field(default_factory=MemoryEvidenceStore)

    @classmethod
    def build(cls, wiring: Wiring) -> EnforcementServices:
        folder = wiring.environ.get(EVIDENCE_DIR) or os.environ.get(EVIDENCE_DIR)
        store: EvidenceStore = DirectoryEvidenceStore(Path(folder)) if folder else MemoryEvidenceStore()
        return cls(clock=wiring.clock, org_tree=wiring.org_tree, evidence=store)

"""What the enforcement subgraph's operations depend on besides the session: clock, org tree, calendar, evidence
store."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from subgraphs.common.component import Wiring
from subgraphs.common.services import SubgraphServices
from subgraphs.enforcement.deadlines import CaseClock
from subgraphs.enforcement.store import DirectoryEvidenceStore, EvidenceStore, MemoryEvidenceStore

SYSTEM_ACTOR = "SYSTEM"
EVIDENCE_DIR = "ZHIJIAN_EVIDENCE_DIR"
"""Where evidence files are kept (the vault's mount); unset: ``<ZHIJIAN_DATA_DIR>/evidence`` when the data
directory is set, else in memory (a demo that forgets its files on restart)."""


@dataclass(frozen=True, slots=True)
class EnforcementServices(SubgraphServices):
    """Built once per process and shared by every request and job."""

    periods: CaseClock = field(default_factory=CaseClock)
    evidence: EvidenceStore = field(default_factory=MemoryEvidenceStore)

    @classmethod
    def build(cls, wiring: Wiring) -> EnforcementServices:
        environ = wiring.environ
        folder = environ.get(EVIDENCE_DIR) or (
            str(Path(environ["ZHIJIAN_DATA_DIR"]) / "evidence") if environ.get("ZHIJIAN_DATA_DIR") else None
        )
        store: EvidenceStore = DirectoryEvidenceStore(Path(folder)) if folder else MemoryEvidenceStore()
        return cls(clock=wiring.clock, org_tree=wiring.org_tree, evidence=store)

"""A refused record is corrected by an operator through the gateway and applied once by the adapter's next round;
a record the adapter itself fails on (poison) is set aside with its reason while the others proceed, and replayed
once the defect is fixed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from adapters.component import AdapterServices, apply_corrections
from adapters.files.adapter import FileDropAdapter
from adapters.protocol import SourceBatch, SourceRecord
from adapters.registry.mapping import to_registry_change
from adapters.settings import AdapterSettings
from adapters.sync import apply_resubmitted, sync
from adapters.targets import REGISTRY_CHANGES
from subgraphs.entities.models import MarketEntityRow
from subgraphs.integration.store import resubmitted
from subgraphs.permits.models import PermitRow
from tests.adapters.harness import count, drop, ledger_csv, legacy_permit_row, sink
from tests.adapters.test_registry import establishments
from tests.support.hub import RunningHub

REJECTIONS = """
{ integration { rejections { edges { node { id state sourceRef reasons { field code message } } } } } }
"""
RESUBMIT = """mutation($id: ID!, $fix: [FieldValueInput!]!) {
  resubmitRejection(id: $id, corrections: $fix) { rejection { state } } }"""


async def operator(hub: RunningHub) -> str:
    return await hub.machine_client(
        "integration:read", "integration:write", "jurisdiction:city", roles=("permit_archive",)
    )


async def test_a_corrected_row_is_applied_once_by_the_next_round(hub: RunningHub, tmp_path: Path) -> None:
    folder = tmp_path / "drop"
    bad = {**legacy_permit_row(2), "许可证编号": "JY123"}
    drop(folder, "ledger.csv", ledger_csv([legacy_permit_row(1), bad]).encode("gbk"))
    await sync(FileDropAdapter(folder, hub.hub.database), hub.hub.database, sink(hub, "files"))
    token = await operator(hub)
    (edge,) = (await hub.graphql(token, REJECTIONS))["data"]["integration"]["rejections"]["edges"]
    assert edge["node"]["reasons"][0]["field"] == "许可证编号"

    fixed = legacy_permit_row(2)["许可证编号"]
    body = await hub.graphql(token, RESUBMIT, id=edge["node"]["id"], fix=[{"name": "许可证编号", "value": fixed}])
    assert body["data"]["resubmitRejection"]["rejection"]["state"] == "RESUBMITTED"
    services = AdapterServices(settings=AdapterSettings(drop_dir=folder), graph=hub.hub.jobs.services["adapters"].graph)
    assert await apply_corrections(hub.hub.database, services) == 1
    assert await apply_corrections(hub.hub.database, services) == 0
    assert await count(hub.hub.database, PermitRow) == 2
    left = (await hub.graphql(token, REJECTIONS))["data"]["integration"]["rejections"]["edges"]
    assert left == []


@dataclass
class DefectiveRegistry:
    """The registry adapter with a defect in its mapping that one record trips, until the fix ships."""

    changes: list[dict[str, str]]
    poison: str
    fixed: bool = False
    name: str = "registry"
    target: str = REGISTRY_CHANGES.name
    offered: list[str] = field(default_factory=list)

    async def read(self, checkpoint: str | None, size: int) -> AsyncIterator[SourceBatch]:
        after = int(checkpoint or 0)
        records = [SourceRecord(f"change {c['changeNo']}", c) for c in self.changes if int(c["changeNo"]) > after]
        if records:
            yield SourceBatch("registry", records, records[-1].fields["changeNo"])

    def map(self, record: SourceRecord) -> dict[str, Any]:
        if record.fields["changeNo"] == self.poison and not self.fixed:
            raise KeyError("opLoc2")  # the defect
        return to_registry_change(record.fields)


async def test_a_poison_record_is_set_aside_the_others_proceed_and_a_replay_applies_it_once(hub: RunningHub) -> None:
    registry = DefectiveRegistry(establishments(6), poison="3")
    report = await sync(registry, hub.hub.database, sink(hub, "registry"))
    assert (report.counts.applied, report.counts.rejected) == (5, 1)
    token = await operator(hub)
    (edge,) = (await hub.graphql(token, REJECTIONS))["data"]["integration"]["rejections"]["edges"]
    assert edge["node"]["sourceRef"] == "change 3"
    assert edge["node"]["reasons"] == [{"field": None, "code": "MAPPING_FAILED", "message": "KeyError: 'opLoc2'"}]

    registry.fixed = True  # the fix ships; the operator replays the record as it was received
    await hub.graphql(token, RESUBMIT, id=edge["node"]["id"], fix=[])
    (waiting,) = await resubmitted(hub.hub.database, "registry")
    assert await apply_resubmitted(registry, hub.hub.database, sink(hub, "registry"), hub.hub.jobs.clock) == 1
    assert await apply_resubmitted(registry, hub.hub.database, sink(hub, "registry"), hub.hub.jobs.clock) == 0
    assert await count(hub.hub.database, MarketEntityRow) == 6
    assert waiting.source_ref == "change 3"

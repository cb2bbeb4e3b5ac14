"""Legacy permits in bulk (each on its own, a number already recorded is a duplicate), and what permits does
when the registry deregisters a holder (the outbox event ``entities.entity_deregistered``)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from hub.jobs import JobContext
from hub.outbox import Drainer
from kernel.jobs.events import emit
from subgraphs.common.events import ENTITY_DEREGISTERED, EntityDeregistered
from subgraphs.permits.component import component
from subgraphs.permits.models import PermitStatusChangeRow
from subgraphs.permits.services import PermitServices
from tests.subgraphs.permits.conftest import Subgraph, uscc
from tests.subgraphs.permits.operations import PERMIT, legacy_permit
from tests.support.identities import machine

RECORD_MANY = """
mutation($permits: [PermitImport!]!) { recordPermits(permits: $permits) { ref status code message field } }
"""
STATUS = f"query($id: ID!) {{ permit(id: $id) {{ {PERMIT} }} }}"
FILE_DROP = machine("file-drop-adapter", "permits:read", "permits:write", "jurisdiction:city")


async def test_legacy_permits_are_recorded_each_on_its_own_and_a_resent_batch_changes_nothing(
    subgraph: Subgraph,
) -> None:
    batch = [
        {"ref": "row 2", "permit": legacy_permit(1)},
        {"ref": "row 3", "permit": legacy_permit(2, number="JY123")},
        {"ref": "row 4", "permit": legacy_permit(3)},
    ]
    importer = subgraph.as_(FILE_DROP)
    first = (await importer.data(RECORD_MANY, permits=batch))["recordPermits"]
    assert [(o["ref"], o["status"], o["code"]) for o in first] == [
        ("row 2", "APPLIED", None),
        ("row 3", "REJECTED", "INVALID_PERMIT_NUMBER"),
        ("row 4", "APPLIED", None),
    ]
    again = (await importer.data(RECORD_MANY, permits=batch))["recordPermits"]
    assert [o["status"] for o in again] == ["DUPLICATE", "REJECTED", "DUPLICATE"]


async def test_a_deregistered_holder_loses_its_valid_permits_once(subgraph: Subgraph) -> None:
    subgraph.clock.on(dt.date(2025, 6, 1))
    batch = [{"ref": str(n), "permit": legacy_permit(n)} for n in (1, 2)]
    await subgraph.as_(FILE_DROP).data(RECORD_MANY, permits=batch)
    database = subgraph.database
    async with database.transaction() as session:
        event = EntityDeregistered(uscc(1), dt.date(2025, 5, 30))
        await emit(session, ENTITY_DEREGISTERED, f"MarketEntity:{uscc(1)}", event, subgraph.clock())
        await emit(session, ENTITY_DEREGISTERED, f"MarketEntity:{uscc(1)}", event, subgraph.clock())  # sent twice
    services = PermitServices(clock=subgraph.clock, registry=subgraph.registry)
    context = JobContext.build(database, [component], services={"permits": services})
    await Drainer(database, context.deliveries, subgraph.clock).drain()
    async with database.transaction() as session:
        changes = (await session.execute(select(PermitStatusChangeRow.to_status, PermitStatusChangeRow.reason))).all()
    assert [(to, reason) for to, reason in changes] == [
        ("CANCELLED", "holder deregistered (注销) on 2025-05-30: the permit lapses with its holder")
    ]
    listed = (await subgraph.data("{ permits(first: 10) { edges { node { holderUscc status } } } }"))["permits"]
    assert sorted((e["node"]["holderUscc"], e["node"]["status"]) for e in listed["edges"]) == [
        (uscc(1), "CANCELLED"),
        (uscc(2), "VALID"),
    ]

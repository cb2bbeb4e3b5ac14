"""One cross-domain action through the whole hub: the registry deregisters an entity (entities subgraph, through
the gateway), the outbox carries ``entities.entity_deregistered``, and the permits subgraph cancels its permits —
once, however often the drainer runs."""

from __future__ import annotations

from pathlib import Path

from hub.outbox import Drainer
from kernel.jobs import outbox
from tests.subgraphs.entities.harness import application
from tests.subgraphs.permits.operations import legacy_permit
from tests.support.hub import running_hub

CHANGES = """mutation($changes: [RegistryChangeInput!]!) { recordRegistryChanges(changes: $changes) { status code } }"""
PERMITS = """mutation($permits: [PermitImport!]!) { recordPermits(permits: $permits) { status code } }"""
HELD = """query($uscc: String!) { entity(uscc: $uscc) { status permits { number status } } }"""


async def test_a_deregistration_cancels_the_holders_permits_through_the_outbox(
    database_url: str, tmp_path: Path
) -> None:
    async with running_hub(database_url, tmp_path) as hub:
        registry = await hub.machine_client(
            "entities:read", "entities:write", "jurisdiction:city", roles=("registry_feed",)
        )
        permits = await hub.machine_client(
            "permits:read", "permits:write", "jurisdiction:city", roles=("permit_archive",)
        )
        entity = application()
        permit = legacy_permit(1, holderUscc=entity["uscc"], validFrom="2023-03-01", validTo="2028-02-28")
        established = {"ref": "1", "kind": "ESTABLISH", "uscc": entity["uscc"], "effectiveOn": "2024-03-01",
                       "registration": entity}  # fmt: skip
        applied = [{"status": "APPLIED", "code": None}]
        assert (await hub.graphql(registry, CHANGES, changes=[established]))["data"]["recordRegistryChanges"] == applied
        recorded = await hub.graphql(permits, PERMITS, permits=[{"ref": "1", "permit": permit}])
        assert recorded["data"]["recordPermits"] == applied
        gone = {"ref": "2", "kind": "DEREGISTER", "uscc": entity["uscc"], "effectiveOn": "2025-03-01"}
        body = await hub.graphql(registry, CHANGES, changes=[gone])
        assert body["data"]["recordRegistryChanges"] == applied
        assert await outbox.pending(hub.hub.database) == 2  # the establishment's 双告知, then the deregistration

        drainer = Drainer(hub.hub.database, hub.hub.jobs.deliveries)
        await drainer.drain()
        await drainer.drain()
        assert await outbox.pending(hub.hub.database) == 0 and drainer.delivered == 1  # the one with a consumer
        reader = await hub.machine_client("entities:read", "permits:read", "jurisdiction:city")
        seen = (await hub.graphql(reader, HELD, uscc=entity["uscc"]))["data"]["entity"]
        assert seen == {"status": "DEREGISTERED", "permits": [{"number": permit["number"], "status": "CANCELLED"}]}

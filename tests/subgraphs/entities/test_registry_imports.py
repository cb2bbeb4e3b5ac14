"""Bulk imports from legacy systems: the registry's acts (设立/变更/注销) and abnormal-list decisions, each record
applied or refused on its own; a resent batch changes nothing; a deregistration is an outbox event."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from kernel.db import Database
from kernel.jobs import outbox
from kernel.jobs.tables import events
from subgraphs.common.imports import MAX_BATCH
from tests.subgraphs.entities.harness import Subgraph, another_uscc, application, count
from tests.support.identities import FUTIAN, machine

CHANGES = """
mutation($changes: [RegistryChangeInput!]!) {
  recordRegistryChanges(changes: $changes) { ref status code message field }
}
"""
LISTINGS = """
mutation($listings: [AbnormalListingImport!]!) {
  importAbnormalListings(listings: $listings) { ref status code message }
}
"""
ENTITY = "query($uscc: String!) { entity(uscc: $uscc) { name status premises stationCode } }"
REGISTRY = machine("registry-adapter", "entities:read", "entities:write", "jurisdiction:city")


def establish(ref: str, **overrides: Any) -> dict[str, Any]:
    registration = application(**overrides)
    return {"ref": ref, "kind": "ESTABLISH", "uscc": registration["uscc"], "effectiveOn": "2024-03-01",
            "registration": registration}  # fmt: skip


def outcomes(body: dict[str, Any]) -> list[tuple[str, str, str | None]]:
    return [(o["ref"], o["status"], o["code"]) for o in body["data"]["recordRegistryChanges"]]


async def test_registry_acts_are_recorded_each_on_its_own_and_a_resent_batch_changes_nothing(
    subgraph: Subgraph, database: Database
) -> None:
    registry = subgraph.as_(REGISTRY)
    moved = application(name="深圳市华强食品集团有限公司", premises="广东省深圳市福田区园岭街道红荔路9号")
    batch = [
        establish("1001"),
        establish("1002", uscc=another_uscc(7), name="食" * 201),
        {"ref": "1003", "kind": "CHANGE", "uscc": moved["uscc"], "effectiveOn": "2025-01-02", "registration": moved},
        {"ref": "1004", "kind": "DEREGISTER", "uscc": another_uscc(8), "effectiveOn": "2025-02-01"},
        {"ref": "1005", "kind": "DEREGISTER", "uscc": moved["uscc"], "effectiveOn": "2025-03-01"},
    ]
    first = outcomes(await registry.post(CHANGES, {"changes": batch}))
    assert first == [
        ("1001", "APPLIED", None),
        ("1002", "REJECTED", "INVALID_NAME"),
        ("1003", "APPLIED", None),
        ("1004", "REJECTED", "NOT_FOUND"),
        ("1005", "APPLIED", None),
    ]
    entity = (await subgraph.data(ENTITY, {"uscc": moved["uscc"]}))["entity"]
    assert (entity["name"], entity["status"], entity["stationCode"]) == (moved["name"], "DEREGISTERED", "440304002")
    assert await count(database, "market_entity") == 1

    again = outcomes(await registry.post(CHANGES, {"changes": batch}))
    assert [status for _, status, _ in again] == ["DUPLICATE", "REJECTED", "REJECTED", "REJECTED", "DUPLICATE"]
    assert again[2][2] == "ILLEGAL_TRANSITION"  # a change after the deregistration is refused, not applied
    assert await count(database, "market_entity") == 1

    async with database.transaction() as session:
        emitted = (await session.execute(select(events.c.event_type, events.c.aggregate, events.c.payload))).all()
    pushed, deregistered = [tuple(row) for row in emitted]  # 双告知 of the food business, then its end
    assert pushed[:2] == ("entities.permits_notified", f"MarketEntity:{moved['uscc']}")
    assert deregistered == (
        "entities.entity_deregistered", f"MarketEntity:{moved['uscc']}",
        {"uscc": moved["uscc"], "deregistered_on": "2025-03-01"},
    )  # fmt: skip
    assert await outbox.pending(database) == 2


async def test_a_refused_batch_writes_no_event(subgraph: Subgraph, database: Database) -> None:
    registry = subgraph.as_(REGISTRY)
    await registry.post(CHANGES, {"changes": [establish("1")]})
    before = await outbox.pending(database)  # the establishment's 双告知
    batch = [{"ref": "2", "kind": "DEREGISTER", "uscc": application()["uscc"], "effectiveOn": "2999-01-01"}]
    assert outcomes(await registry.post(CHANGES, {"changes": batch})) == [("2", "REJECTED", "DATE_IN_FUTURE")]
    assert await outbox.pending(database) == before == 1


async def test_a_client_limited_to_one_district_changes_nothing_elsewhere(subgraph: Subgraph) -> None:
    await subgraph.as_(REGISTRY).post(CHANGES, {"changes": [establish("1")]})
    elsewhere = subgraph.as_(machine("nanshan-adapter", "entities:read", "entities:write", org_path="440300/440305"))
    batch = [{"ref": "2", "kind": "DEREGISTER", "uscc": application()["uscc"], "effectiveOn": "2025-01-01"}]
    assert outcomes(await elsewhere.post(CHANGES, {"changes": batch})) == [("2", "REJECTED", "NOT_FOUND")]
    futian = subgraph.as_(machine("futian-adapter", "entities:read", "entities:write", org_path=FUTIAN))
    assert outcomes(await futian.post(CHANGES, {"changes": batch})) == [("2", "APPLIED", None)]


async def test_abnormal_listings_import_each_on_its_own(subgraph: Subgraph, database: Database) -> None:
    registry = subgraph.as_(REGISTRY)
    await registry.post(CHANGES, {"changes": [establish("1")]})
    uscc = application()["uscc"]
    listed = {"reason": "ANNUAL_REPORT_NOT_FILED", "listedOn": "2025-07-01"}
    listings = [
        {"ref": "x1", "listing": {"uscc": uscc, **listed}},
        {"ref": "x2", "listing": {"uscc": another_uscc(9), **listed}},
        {"ref": "x3", "listing": {"uscc": uscc, **listed}},
    ]
    body = await registry.post(LISTINGS, {"listings": listings})
    assert [(o["ref"], o["status"], o["code"]) for o in body["data"]["importAbnormalListings"]] == [
        ("x1", "APPLIED", None),
        ("x2", "REJECTED", "NOT_FOUND"),
        ("x3", "DUPLICATE", "ALREADY_LISTED"),
    ]
    assert await count(database, "credit_listing") == 1


async def test_a_batch_larger_than_allowed_is_refused_whole(subgraph: Subgraph) -> None:
    batch = [establish(str(n)) for n in range(MAX_BATCH + 1)]
    error = await subgraph.as_(REGISTRY).error(CHANGES, {"changes": batch})
    assert error["extensions"]["code"] == "BAD_USER_INPUT" and "at most 500" in error["message"]

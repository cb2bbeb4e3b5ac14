"""一键转办: an inspection item found 不符合 becomes one case in 受理, through the outbox, however often it is
delivered — a retried job, a duplicated transfer, two transfers at once (a real race on PostgreSQL)."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select

from hub.outbox import Deliveries, Drainer
from kernel.db import Database
from kernel.jobs.events import Event, emit
from kernel.jobs.tables import events
from subgraphs.common.events import INSPECTION_ITEM_FAILED, InspectionItemFailed
from subgraphs.enforcement.component import component
from subgraphs.enforcement.models import CaseRow, CaseTransitionRow
from subgraphs.enforcement.services import EnforcementServices
from tests.subgraphs.enforcement.conftest import Subgraph
from tests.subgraphs.enforcement.operations import GET, USCC
from tests.support.clock import Clock
from tests.support.components import migrated

BY_INSPECTION = "query($f: CaseFilter) { cases(filter: $f) { edges { node { id } } } }"
ENTITY = "query($r: [_Any!]!) { _entities(representations: $r) { ... on MarketEntity { cases { id stage source } } } }"


def failed_item(transfer_id: str = "INSPECTION-1:K-07") -> InspectionItemFailed:
    return InspectionItemFailed(
        transfer_id=transfer_id,
        uscc=USCC,
        inspection_id="INSPECTION-1",
        item_code="K-07",
        finding="冷藏食品未按要求温度储存",
        inspected_on=dt.date(2025, 9, 25),
        district_code="440304",
        station_code="440304009",
        transferred_by="inspector-chen",
    )


async def transfer(database: Database, payload: InspectionItemFailed) -> None:
    async with database.transaction() as session:
        await emit(session, INSPECTION_ITEM_FAILED, f"InspectionRecord:{payload.inspection_id}", payload, Clock()())


def deliveries(services: EnforcementServices) -> Deliveries:
    return Deliveries.of([component], {"enforcement": services})


async def cases(database: Database) -> list[CaseRow]:
    async with database.transaction() as session:
        return list(await session.scalars(select(CaseRow)))


async def test_a_failed_item_becomes_one_lead_linked_to_its_inspection(subgraph: Subgraph) -> None:
    await transfer(subgraph.database, failed_item())
    await Drainer(subgraph.database, deliveries(subgraph.services)).drain()
    (row,) = await cases(subgraph.database)
    case = (await subgraph.data(GET, id=row.id))["case"]
    assert (case["stage"], case["sourceInspectionId"], case["sourceItemCode"]) == ("ACCEPTED", "INSPECTION-1", "K-07")
    assert case["filingDueOn"] == "2025-10-22"  # 15 working days from the inspection day, across National Day
    assert case["transitions"][0]["actor"] == "inspector-chen"
    entity = await subgraph.data(ENTITY, r=[{"__typename": "MarketEntity", "uscc": USCC}])
    assert entity["_entities"][0]["cases"] == [{"id": row.id, "stage": "ACCEPTED", "source": "INSPECTION"}]
    from_inspection = await subgraph.data(BY_INSPECTION, f={"sourceInspectionId": "INSPECTION-1"})
    assert [edge["node"]["id"] for edge in from_inspection["cases"]["edges"]] == [row.id]


async def test_a_retried_delivery_and_a_duplicated_transfer_open_no_second_case(subgraph: Subgraph) -> None:
    await transfer(subgraph.database, failed_item())
    await transfer(subgraph.database, failed_item())  # the officer pressed the button twice
    drainer = Drainer(subgraph.database, deliveries(subgraph.services))
    await drainer.drain()
    assert drainer.delivered == 2
    (row,) = await cases(subgraph.database)
    consumer, services = deliveries(subgraph.services).of_type(INSPECTION_ITEM_FAILED.name)[0]
    async with subgraph.database.transaction() as session:
        first = int(await session.scalar(select(func.min(events.c.id))) or 0)
    payload = INSPECTION_ITEM_FAILED.encode(failed_item())
    replay = Event(first, INSPECTION_ITEM_FAILED.name, "InspectionRecord:INSPECTION-1", payload, Clock()())
    assert await deliveries(subgraph.services).deliver(subgraph.database, replay, consumer, services) is False
    assert [case.id for case in await cases(subgraph.database)] == [row.id]
    await transfer(subgraph.database, failed_item("INSPECTION-1:K-08"))  # another item: another lead
    await drainer.drain()
    assert len(await cases(subgraph.database)) == 2


@pytest.fixture
async def postgres(postgres_database_url: str) -> AsyncIterator[Database]:
    database = await migrated(postgres_database_url, component)
    yield database
    await database.dispose()


async def test_two_concurrent_transfers_of_one_item_open_one_case(postgres: Database) -> None:
    services = EnforcementServices(clock=Clock())
    delivered = deliveries(services)
    consumer, owner = delivered.of_type(INSPECTION_ITEM_FAILED.name)[0]
    payload = INSPECTION_ITEM_FAILED.encode(failed_item())
    for round_ in range(5):  # distinct events (two requests), delivered at the same moment
        events = [Event(100 * round_ + i, INSPECTION_ITEM_FAILED.name, "x", payload, Clock()()) for i in range(2)]
        results = await asyncio.gather(*(delivered.deliver(postgres, event, consumer, owner) for event in events))
        assert results == [True, True]
    async with postgres.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(CaseRow)) == 1
        assert await session.scalar(select(func.count()).select_from(CaseTransitionRow)) == 1

"""Every change of the entities subgraph under 20 concurrent identical requests, on SQLite and PostgreSQL:
exactly one wins, the others are told why with a code, and exactly one effect is recorded (read back)."""

from __future__ import annotations

from sqlalchemy import func, select

from kernel.db import Database
from subgraphs.entities.models import CreditListingRow
from tests.subgraphs.entities.harness import REGISTER, Subgraph, application, count
from tests.support.races import exactly_one_won, race

USCC = "91440300MA5H7K2P12"
ADD = """
mutation { addToAbnormalList(input: {uscc: "91440300MA5H7K2P12", reason: UNREACHABLE_AT_DOMICILE,
  listedOn: "2025-07-01"}) { listing { id } } }"""
REMOVE = """
mutation { removeFromAbnormalList(input: {uscc: "91440300MA5H7K2P12", listedFor: UNREACHABLE_AT_DOMICILE,
  removedOn: "2025-08-01", removalReason: ADDRESS_CHANGED}) { listing { id } } }"""
SUSPEND = """
mutation { suspendEntity(input: {uscc: "91440300MA5H7K2P12", startsOn: "2025-09-26", until: "2025-12-31"}) {
  entity { status } } }"""


async def listings(database: Database) -> tuple[int, int]:
    """(listings, of which removed)."""
    async with database.transaction() as session:
        total = await session.scalar(select(func.count()).select_from(CreditListingRow))
        removed = await session.scalar(select(func.count()).where(CreditListingRow.removed_on.is_not(None)))
    return int(total or 0), int(removed or 0)


async def test_registering_one_code_once(subgraph: Subgraph, database: Database) -> None:
    exactly_one_won(await race(lambda _: subgraph.post(REGISTER, {"input": application()})), "DUPLICATE_USCC")
    assert await count(database, "market_entity") == 1


async def test_listing_then_removing(subgraph: Subgraph, database: Database) -> None:
    await subgraph.data(REGISTER, {"input": application()})
    exactly_one_won(await race(lambda _: subgraph.post(ADD)), "ALREADY_LISTED", "CONCURRENT_CHANGE")
    assert await listings(database) == (1, 0)
    exactly_one_won(await race(lambda _: subgraph.post(REMOVE)), "NOT_LISTED", "CONCURRENT_CHANGE")
    assert await listings(database) == (1, 1)


async def test_suspending(subgraph: Subgraph, database: Database) -> None:
    await subgraph.data(REGISTER, {"input": application()})
    exactly_one_won(await race(lambda _: subgraph.post(SUSPEND)), "ILLEGAL_TRANSITION", "CONCURRENT_CHANGE")
    found = await subgraph.data(f'{{ entity(uscc: "{USCC}") {{ status suspendedUntil }} }}')
    assert found["entity"] == {"status": "SUSPENDED", "suspendedUntil": "2025-12-31"}

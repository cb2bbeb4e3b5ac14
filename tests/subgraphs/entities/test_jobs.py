"""The escalation job: three years on the abnormal list moves an entity to the serious list (Art. 17)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from kernel.db import Database
from subgraphs.entities.jobs import move_long_abnormal_to_serious
from subgraphs.entities.models import CreditListingRow
from subgraphs.entities.services import EntityServices
from tests.subgraphs.entities.harness import REGISTER, Subgraph, another_uscc, application
from tests.support.clock import Clock

ADD = "mutation($i: AddToAbnormalListInput!) { addToAbnormalList(input: $i) { listing { id } } }"


def on(day: dt.date) -> EntityServices:
    """The services of a job run on ``day`` (Beijing)."""
    clock = Clock()
    clock.on(day)
    return EntityServices(clock=clock)


async def test_escalation_after_three_years_exactly_once(subgraph: Subgraph, database: Database) -> None:
    """民法典 Art. 201–202: listed on 10 March 2022, the 3 years run from 11 March through 10 March 2025; the entity
    moves on 11 March 2025, and the serious listing's own terms are counted the same way."""
    old, recent = "91440300MA5H7K2P12", another_uscc(77)
    await subgraph.data(REGISTER, {"input": application(establishedOn="2020-01-01")})
    await subgraph.data(REGISTER, {"input": application(uscc=recent, establishedOn="2020-01-01")})
    await subgraph.data(ADD, {"i": {"uscc": old, "reason": "UNREACHABLE_AT_DOMICILE", "listedOn": "2022-03-10"}})
    await subgraph.data(ADD, {"i": {"uscc": recent, "reason": "ANNUAL_REPORT_NOT_FILED", "listedOn": "2022-03-11"}})
    assert await move_long_abnormal_to_serious(database, on(dt.date(2025, 1, 10))) == 0  # told: 60 days before
    assert await move_long_abnormal_to_serious(database, on(dt.date(2025, 3, 10))) == 0  # the last day of the 3 years
    assert await move_long_abnormal_to_serious(database, on(dt.date(2025, 3, 11))) == 1
    assert await move_long_abnormal_to_serious(database, on(dt.date(2025, 3, 11))) == 0
    async with database.transaction() as session:
        rows = (await session.scalars(select(CreditListingRow).where(CreditListingRow.uscc == old))).all()
    abnormal, serious = sorted(rows, key=lambda row: row.list_type)
    assert (abnormal.removed_on, abnormal.removal_reason) == (dt.date(2025, 3, 11), "MOVED_TO_SERIOUS_LIST")
    assert (serious.reason_code, serious.listed_on) == ("ABNORMAL_LIST_THREE_YEARS", dt.date(2025, 3, 11))
    # 1 year and 3 years from 11 March 2025 end on 11 March 2026 / 2028: removal may be asked, and the entry lapses,
    # the day after
    assert (serious.earliest_removal_on, serious.auto_expiry_on) == (dt.date(2026, 3, 12), dt.date(2028, 3, 12))

"""addToAbnormalList / removeFromAbnormalList (经营异常名录, DOMAIN.md §2.3) over HTTP, on both databases."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import update

from kernel.db import Database
from subgraphs.entities.models import MarketEntityRow
from tests.subgraphs.entities.harness import REGISTER, Subgraph, application, count
from tests.support.clock import DEFAULT_NOW

USCC = "91440300MA5H7K2P12"
ADD = """
mutation($input: AddToAbnormalListInput!) {
  addToAbnormalList(input: $input) {
    listing { id listType reasonCode basis decisionOrgCode listedOn removedOn active }
    entity { creditFlags }
  }
}"""
REMOVE = """
mutation($input: RemoveFromAbnormalListInput!) {
  removeFromAbnormalList(input: $input) {
    listing { reasonCode removedOn removalReason active }
    entity { creditFlags abnormalListings(includeRemoved: false) { reasonCode } }
  }
}"""


def add(**overrides: Any) -> dict[str, Any]:
    return {"input": {"uscc": USCC, "reason": "UNREACHABLE_AT_DOMICILE", "listedOn": "2025-07-01", **overrides}}


def remove(**overrides: Any) -> dict[str, Any]:
    values = {
        "uscc": USCC,
        "listedFor": "UNREACHABLE_AT_DOMICILE",
        "removedOn": "2025-08-01",
        "removalReason": "ADDRESS_CHANGED",
    }
    return {"input": {**values, **overrides}}


@pytest.fixture
async def registered(subgraph: Subgraph) -> Subgraph:
    await subgraph.data(REGISTER, {"input": application()})
    return subgraph


async def test_listing_then_curing_it(registered: Subgraph) -> None:
    added = (await registered.data(ADD, add()))["addToAbnormalList"]
    assert added["listing"]["listType"] == "ABNORMAL" and added["listing"]["active"]
    assert added["listing"]["decisionOrgCode"] == "440304"  # the entity's district bureau by default
    assert "企业信息公示暂行条例" in added["listing"]["basis"]
    assert added["entity"]["creditFlags"] == ["ON_ABNORMAL_LIST"]
    removed = (await registered.data(REMOVE, remove()))["removeFromAbnormalList"]
    assert removed["listing"] == {
        "reasonCode": "UNREACHABLE_AT_DOMICILE",
        "removedOn": "2025-08-01",
        "removalReason": "ADDRESS_CHANGED",
        "active": False,
    }
    assert removed["entity"] == {"creditFlags": [], "abnormalListings": []}
    history = await registered.data(
        "query($u: String!) { entity(uscc: $u) { abnormalListings { removedOn } } }", {"u": USCC}
    )
    assert history["entity"]["abnormalListings"] == [{"removedOn": "2025-08-01"}]


@pytest.mark.parametrize(
    ("variables", "code", "fragment"),
    [
        (add(uscc="91440300MA5H7K2M10"), "NOT_FOUND", "no market entity"),
        (add(listedOn=(DEFAULT_NOW.date() + dt.timedelta(days=1)).isoformat()), "DATE_IN_FUTURE", "in the future"),
        (add(listedOn="2024-02-01"), "DATE_BEFORE_ESTABLISHMENT", "before the entity was established"),
        (add(listedOn="2025-13-01"), "INVALID_DATE", "not a real calendar date"),
        (add(decisionOrgCode="440399"), "UNKNOWN_ORG_UNIT", "440399"),
        (add(reason="NOT_A_REASON"), "BAD_USER_INPUT", "AbnormalReason"),
    ],
)
async def test_bad_listings_are_rejected(
    registered: Subgraph, database: Database, variables: dict[str, Any], code: str, fragment: str
) -> None:
    error = await registered.error(ADD, variables)
    assert error["extensions"]["code"] == code and fragment in error["message"]
    assert await count(database, "credit_listing") == 0


async def test_same_ground_cannot_be_listed_twice_while_active(registered: Subgraph, database: Database) -> None:
    await registered.data(ADD, add())
    error = await registered.error(ADD, add(listedOn="2025-07-02"))
    assert error["extensions"]["code"] == "ALREADY_LISTED"
    await registered.data(ADD, add(reason="ANNUAL_REPORT_NOT_FILED"))  # another ground is another entry
    assert await count(database, "credit_listing") == 2


async def test_cannot_remove_what_is_not_listed(registered: Subgraph) -> None:
    error = await registered.error(REMOVE, remove())
    assert error["extensions"]["code"] == "NOT_LISTED"


@pytest.mark.parametrize(
    ("variables", "code"),
    [
        (remove(removedOn="2025-06-30"), "REMOVAL_BEFORE_LISTING"),
        (remove(removedOn=(DEFAULT_NOW.date() + dt.timedelta(days=1)).isoformat()), "DATE_IN_FUTURE"),
        (remove(removalReason="ANNUAL_REPORT_FILED"), "REMOVAL_REASON_MISMATCH"),
        (remove(listedFor="FALSE_INFORMATION"), "NOT_LISTED"),
    ],
)
async def test_bad_removals_leave_the_listing_active(
    registered: Subgraph, variables: dict[str, Any], code: str
) -> None:
    await registered.data(ADD, add())
    error = await registered.error(REMOVE, variables)
    assert error["extensions"]["code"] == code
    flags = await registered.data("query($u: String!) { entity(uscc: $u) { creditFlags } }", {"u": USCC})
    assert flags["entity"]["creditFlags"] == ["ON_ABNORMAL_LIST"]


async def test_only_existing_or_suspended_entities_can_be_listed(registered: Subgraph, database: Database) -> None:
    async with database.transaction() as session:
        await session.execute(update(MarketEntityRow).values(status="DEREGISTERED"))
    error = await registered.error(ADD, add())
    assert error["extensions"]["code"] == "ENTITY_NOT_ACTIVE"

"""The abnormal list's time limits and objections, each from rule data naming its edition: the objection window
(企业经营异常名录管理暂行办法 2014 Art. 16), the removal decision after the cure (Art. 11–14), the notice before the
3-year move to the serious list (企业信息公示暂行条例 Art. 17; 严重违法失信企业名单管理暂行办法 2016 Art. 8), and the
party told of each decision through the outbox."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from kernel.db import Database
from kernel.jobs.tables import events
from subgraphs.entities.jobs import move_long_abnormal_to_serious
from subgraphs.entities.services import EntityServices
from tests.subgraphs.entities.harness import REGISTER, Subgraph, application
from tests.support.clock import Clock

USCC = "91440300MA5H7K2P12"
FIELDS = "listedOn curedOn objectionFiledOn escalationNoticeOn terms { key dueOn basis edition }"
LISTING = "listing { " + FIELDS + " }"
ADD = "mutation($i: AddToAbnormalListInput!) { addToAbnormalList(input: $i) { " + LISTING + " } }"
OBJECT = "mutation($i: ObjectToAbnormalListingInput!) { objectToAbnormalListing(input: $i) { " + LISTING + " } }"
REMOVE = "mutation($i: RemoveFromAbnormalListInput!) { removeFromAbnormalList(input: $i) { " + LISTING + " } }"
TERMS = "query($u: String!) { entity(uscc: $u) { abnormalListings { " + FIELDS + " } } }"


def terms(listing: dict[str, Any]) -> dict[str, str]:
    return {term["key"]: term["dueOn"] for term in listing["terms"]}


async def notices(database: Database) -> list[dict[str, Any]]:
    async with database.transaction() as session:
        rows = await session.execute(
            select(events.c.payload).where(events.c.event_type == "entities.party_notified").order_by(events.c.id)
        )
    return [row.payload for row in rows]


@pytest.fixture
async def listed(subgraph: Subgraph) -> dict[str, Any]:
    await subgraph.data(REGISTER, {"input": application()})
    variables = {"i": {"uscc": USCC, "reason": "UNREACHABLE_AT_DOMICILE", "listedOn": "2025-08-20"}}
    return dict((await subgraph.data(ADD, variables))["addToAbnormalList"]["listing"])


async def test_2014_measures_art_16_the_listing_shows_its_terms_and_the_party_is_told(
    listed: dict[str, Any], database: Database
) -> None:
    # 民法典 Art. 201: 30 days from the day after 20 Aug 2025 end on 19 Sep; the 3 years run through 20 Aug 2028
    assert terms(listed) == {
        "entities.abnormal_objection_window": "2025-09-19",
        "entities.serious_escalation_notice": "2028-06-22",
        "entities.abnormal_to_serious_after": "2028-08-21",
    }
    by_key = {term["key"]: term for term in listed["terms"]}
    assert "国家工商总局令第68号" in by_key["entities.abnormal_objection_window"]["edition"]
    assert "国务院令第777号" in by_key["entities.abnormal_to_serious_after"]["edition"]
    assert "Art. 16" in by_key["entities.abnormal_objection_window"]["basis"]
    [told] = await notices(database)
    assert (told["uscc"], told["notice"], told["act_by"]) == (USCC, "ABNORMAL_LISTED", "2025-09-19")


async def test_2014_measures_art_16_an_objection_in_time_starts_acceptance_and_verification(
    subgraph: Subgraph, listed: dict[str, Any]
) -> None:
    objection = {"uscc": USCC, "listedFor": "UNREACHABLE_AT_DOMICILE", "filedOn": "2025-09-19"}
    result = (await subgraph.data(OBJECT, {"i": objection}))["objectToAbnormalListing"]["listing"]
    assert result["objectionFiledOn"] == "2025-09-19"
    # 5 working days from Fri 19 Sep 2025: 22–26 Sep; 20 more from Fri 26 Sep: across the National Day holiday
    # (1–8 Oct; Sun 28 Sep and Sat 11 Oct are workdays)
    assert terms(result)["entities.abnormal_objection_acceptance"] == "2025-09-26"
    assert terms(result)["entities.abnormal_objection_verification"] == "2025-10-30"
    again = await subgraph.error(OBJECT, {"i": objection})
    assert again["extensions"]["code"] == "OBJECTION_ALREADY_FILED"


@pytest.mark.parametrize(
    ("filed_on", "code"),
    [("2025-09-20", "OBJECTION_OUT_OF_TIME"), ("2025-08-19", "DATE_BEFORE_LISTING"), ("2025-09-27", "DATE_IN_FUTURE")],
)
async def test_2014_measures_art_16_objections_out_of_time_change_nothing(
    subgraph: Subgraph, listed: dict[str, Any], filed_on: str, code: str
) -> None:
    objection = {"uscc": USCC, "listedFor": "UNREACHABLE_AT_DOMICILE", "filedOn": filed_on}
    error = await subgraph.error(OBJECT, {"i": objection})
    assert error["extensions"]["code"] == code
    if code == "OBJECTION_OUT_OF_TIME":
        assert error["extensions"]["dueBy"] == "2025-09-19"
    [listing] = (await subgraph.data(TERMS, {"u": USCC}))["entity"]["abnormalListings"]
    assert listing["objectionFiledOn"] is None


async def test_2014_measures_art_11_the_removal_decision_is_due_5_working_days_after_the_cure(
    subgraph: Subgraph, listed: dict[str, Any], database: Database
) -> None:
    removal = {
        "uscc": USCC,
        "listedFor": "UNREACHABLE_AT_DOMICILE",
        "removedOn": "2025-09-25",
        "removalReason": "ADDRESS_CHANGED",
    }
    bad = await subgraph.error(REMOVE, {"i": {**removal, "curedOn": "2025-09-26"}})
    assert bad["extensions"]["code"] == "CURE_OUTSIDE_LISTING"
    removed = (await subgraph.data(REMOVE, {"i": {**removal, "curedOn": "2025-09-19"}}))["removeFromAbnormalList"]
    assert removed["listing"]["curedOn"] == "2025-09-19"
    # cured Fri 19 Sep: 5 working days end Fri 26 Sep; a removed entry has no escalation terms
    assert terms(removed["listing"]) == {
        "entities.abnormal_objection_window": "2025-09-19",
        "entities.abnormal_removal_decision": "2025-09-26",
    }
    assert [told["notice"] for told in await notices(database)] == ["ABNORMAL_LISTED", "ABNORMAL_REMOVED"]


def on(day: dt.date) -> EntityServices:
    clock = Clock()
    clock.on(day)
    return EntityServices(clock=clock)


async def test_order_44_the_enterprise_is_told_before_it_moves_to_the_serious_list(
    subgraph: Subgraph, listed: dict[str, Any], database: Database
) -> None:
    # Listed 20 Aug 2025: the 3 years end on 20 Aug 2028; the notice window opens 60 days before the 21st
    assert await move_long_abnormal_to_serious(database, on(dt.date(2028, 6, 21))) == 0
    assert [told["notice"] for told in await notices(database)] == ["ABNORMAL_LISTED"]
    assert await move_long_abnormal_to_serious(database, on(dt.date(2028, 6, 22))) == 0
    coming = (await notices(database))[-1]
    assert (coming["notice"], coming["decided_on"], coming["act_by"]) == (
        "SERIOUS_LISTING_COMING",
        "2028-06-22",
        "2028-08-21",
    )
    assert await move_long_abnormal_to_serious(database, on(dt.date(2028, 6, 23))) == 0  # told once
    assert len(await notices(database)) == 2
    assert await move_long_abnormal_to_serious(database, on(dt.date(2028, 8, 20))) == 0
    assert await move_long_abnormal_to_serious(database, on(dt.date(2028, 8, 21))) == 1


async def test_order_44_an_entry_never_told_is_told_first_and_moves_on_a_later_run(
    subgraph: Subgraph, listed: dict[str, Any], database: Database
) -> None:
    assert await move_long_abnormal_to_serious(database, on(dt.date(2028, 9, 1))) == 0
    assert (await notices(database))[-1]["act_by"] == "2028-09-02"
    assert await move_long_abnormal_to_serious(database, on(dt.date(2028, 9, 2))) == 1


async def test_2014_measures_art_6_the_listing_decision_is_due_10_working_days_after_its_ground(
    subgraph: Subgraph, database: Database
) -> None:
    await subgraph.data(REGISTER, {"input": application()})
    listing = {"uscc": USCC, "reason": "FALSE_INFORMATION", "listedOn": "2025-08-20", "triggeredOn": "2025-08-21"}
    error = await subgraph.error(ADD, {"i": listing})
    assert error["extensions"]["code"] == "LISTING_BEFORE_ITS_GROUND"
    assert await notices(database) == []
    listed = (await subgraph.data(ADD, {"i": {**listing, "triggeredOn": "2025-08-06"}}))["addToAbnormalList"]
    # verified Wed 6 Aug 2025: 10 working days end Wed 20 Aug
    assert terms(listed["listing"])["entities.abnormal_listing_decision"] == "2025-08-20"


DECIDE = (
    "mutation($i: DecideAbnormalListingObjectionInput!) { decideAbnormalListingObjection(input: $i) { listing { "
    "removedOn removalReason objectionDecidedOn objectionUpheld } } }"
)


def decision(decided_on: str, upheld: bool, reason: str = "经核查，登记住所可以联系") -> dict[str, Any]:
    return {
        "i": {"uscc": USCC, "listedFor": "UNREACHABLE_AT_DOMICILE", "decidedOn": decided_on, "upheld": upheld,
              "reason": reason}
    }  # fmt: skip


async def test_2014_measures_art_16_an_objection_decided_once_and_only_after_it_was_filed(
    subgraph: Subgraph, listed: dict[str, Any]
) -> None:
    nothing = await subgraph.error(DECIDE, decision("2025-09-22", False))
    assert nothing["extensions"]["code"] == "NO_OBJECTION"
    objection = {"uscc": USCC, "listedFor": "UNREACHABLE_AT_DOMICILE", "filedOn": "2025-09-19"}
    await subgraph.data(OBJECT, {"i": objection})
    for variables, code in (
        (decision("2025-09-18", False), "DECISION_BEFORE_OBJECTION"),
        (decision("2025-09-22", False, "  "), "DECISION_REASON_REQUIRED"),
    ):
        assert (await subgraph.error(DECIDE, variables))["extensions"]["code"] == code
    kept = (await subgraph.data(DECIDE, decision("2025-09-22", False)))["decideAbnormalListingObjection"]["listing"]
    assert kept == {
        "removedOn": None, "removalReason": None, "objectionDecidedOn": "2025-09-22", "objectionUpheld": False
    }  # fmt: skip
    again = await subgraph.error(DECIDE, decision("2025-09-23", True))
    assert again["extensions"]["code"] == "OBJECTION_ALREADY_DECIDED"


async def test_2014_measures_art_16_an_upheld_objection_removes_the_listing_and_the_party_is_told(
    subgraph: Subgraph, listed: dict[str, Any], database: Database
) -> None:
    await subgraph.data(OBJECT, {"i": {"uscc": USCC, "listedFor": "UNREACHABLE_AT_DOMICILE", "filedOn": "2025-09-19"}})
    removed = (await subgraph.data(DECIDE, decision("2025-09-24", True)))["decideAbnormalListingObjection"]["listing"]
    assert removed["removedOn"] == "2025-09-24" and removed["removalReason"] == "OBJECTION_UPHELD"
    assert [n["notice"] for n in await notices(database)][-1] == "OBJECTION_UPHELD"
    listings = (await subgraph.data(TERMS, {"u": USCC}))["entity"]["abnormalListings"]
    assert [listing["objectionFiledOn"] for listing in listings] == ["2025-09-19"]

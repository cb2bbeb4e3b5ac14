"""Penalty publicity (45号令): owed by an ordinary-procedure penalty, published within 20 working days, shown 3
months or 3 years, withdrawn within 3 working days, stopped early only where allowed; the entity shows it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.subgraphs.enforcement.conftest import HEAD, Subgraph
from tests.subgraphs.enforcement.operations import DECIDE, PUBLISH, USCC, file_documents, registered, to_notified

PUBLICITY = (
    "query($id: ID!) { case(id: $id) { publicity { status publishDueOn publishedOn displayUntil active late } } }"
)
WITHDRAW = (
    "mutation($caseId: ID!, $on: Date!) { withdrawPenaltyPublicity(caseId: $caseId, changedOn: $on, "
    'reason: "复议撤销") { status withdrawDueOn endedOn } }'
)
STOP = (
    "mutation($caseId: ID!, $input: EarlyStopInput!) { stopPenaltyPublicityEarly(caseId: $caseId, input: $input) "
    "{ status endedOn } }"
)
ENTITY = (
    "query($r: [_Any!]!) { _entities(representations: $r) { ... on MarketEntity { uscc underFoodPenaltyPublicity "
    "penaltyPublicity { status } cases { id stage } } } }"
)
ALL_FOUR = {
    "reason": "已履行并整改",
    "obligationsPerformed": True,
    "harmRemedied": True,
    "noRepeatViolation": True,
    "notOnAbnormalOrSeriousList": True,
}


async def decided(subgraph: Subgraph, penalty: dict[str, Any]) -> str:
    fine = penalty.get("fine") or "1000"
    case_id = await to_notified(subgraph, fine=str(fine))
    await file_documents(subgraph, case_id, "DECISION")
    decision = {"outcome": "PENALTY", "penalty": penalty, "partyWaived": True}
    await subgraph.as_(HEAD).data(DECIDE, id=case_id, input=decision)
    return case_id


async def entity(subgraph: Subgraph) -> dict[str, Any]:
    data = await subgraph.data(ENTITY, r=[{"__typename": "MarketEntity", "uscc": USCC}])
    result: dict[str, Any] = data["_entities"][0]
    return result


async def test_a_fine_is_published_for_three_months_and_shows_on_the_entity(subgraph: Subgraph) -> None:
    case_id = await decided(subgraph, {"kinds": ["FINE"], "fine": "5000"})
    pending = (await subgraph.data(PUBLICITY, id=case_id))["case"]["publicity"]
    assert (pending["status"], pending["publishDueOn"], pending["active"]) == ("PENDING", "2025-10-30", False)
    assert (await entity(subgraph))["underFoodPenaltyPublicity"] is False
    subgraph.clock.on(dt.date(2025, 10, 31))
    assert (await subgraph.data(PUBLICITY, id=case_id))["case"]["publicity"]["late"] is True
    published = (await subgraph.data(PUBLISH, caseId=case_id))["publishPenalty"]
    assert (published["status"], published["displayUntil"], published["late"]) == ("PUBLISHED", "2026-01-31", True)
    assert (await subgraph.error(PUBLISH, caseId=case_id)).code == "PUBLICITY_NOT_ALLOWED"
    shown = await entity(subgraph)
    assert shown["underFoodPenaltyPublicity"] is True
    assert shown["penaltyPublicity"] == [{"status": "PUBLISHED"}]
    assert shown["cases"] == [{"id": case_id, "stage": "DECIDED"}]
    subgraph.clock.on(dt.date(2026, 2, 1))
    assert (await entity(subgraph))["underFoodPenaltyPublicity"] is False


async def test_a_large_fine_shows_three_years_and_withdrawal_is_due_in_three_working_days(subgraph: Subgraph) -> None:
    case_id = await decided(subgraph, {"kinds": ["FINE"], "fine": "50000"})
    published = (await subgraph.data(PUBLISH, caseId=case_id))["publishPenalty"]
    assert published["displayUntil"] == "2028-09-26"
    withdrawn = (await subgraph.as_(HEAD).data(WITHDRAW, caseId=case_id, on="2025-09-26"))["withdrawPenaltyPublicity"]
    assert withdrawn == {"status": "WITHDRAWN", "withdrawDueOn": "2025-09-30", "endedOn": "2025-09-26"}
    assert (await entity(subgraph))["underFoodPenaltyPublicity"] is False
    assert (await subgraph.as_(HEAD).error(WITHDRAW, caseId=case_id, on="2025-09-26")).code == "PUBLICITY_NOT_ALLOWED"


async def test_early_stop_only_where_allowed(subgraph: Subgraph) -> None:
    suspension = await decided(subgraph, {"kinds": ["SUSPENSION"]})
    await subgraph.data(PUBLISH, caseId=suspension)
    head = subgraph.as_(HEAD)
    subgraph.clock.on(dt.date(2027, 1, 4))
    error = await head.error(STOP, caseId=suspension, input=ALL_FOUR)
    assert (error.code, "never stop early" in error.message) == ("PUBLICITY_NOT_ALLOWED", True)

    subgraph.clock.on(dt.date(2025, 9, 26))
    fine = await decided(subgraph, {"kinds": ["FINE"], "fine": "50000"})
    await subgraph.data(PUBLISH, caseId=fine)
    subgraph.clock.on(dt.date(2026, 6, 1))  # food: 12 months first
    assert "at least 12 months" in (await head.error(STOP, caseId=fine, input=ALL_FOUR)).message
    subgraph.clock.on(dt.date(2026, 9, 28))
    error = await head.error(STOP, caseId=fine, input={**ALL_FOUR, "harmRemedied": False})
    assert "all four" in error.message
    stopped = (await head.data(STOP, caseId=fine, input=ALL_FOUR))["stopPenaltyPublicityEarly"]
    assert stopped == {"status": "STOPPED_EARLY", "endedOn": "2026-09-28"}


async def test_warnings_and_summary_penalties_owe_no_publicity(subgraph: Subgraph) -> None:
    warned = await decided(subgraph, {"kinds": ["WARNING"]})
    assert (await subgraph.data(PUBLICITY, id=warned))["case"]["publicity"] is None
    summary = await registered(subgraph, procedure="SUMMARY")
    await file_documents(subgraph, summary, "DECISION")
    await subgraph.data(DECIDE, id=summary, input={"outcome": "PENALTY", "penalty": {"kinds": ["FINE"], "fine": "100"}})
    assert (await subgraph.data(PUBLICITY, id=summary))["case"]["publicity"] is None

"""What each officer's worklist is built on: a case's next steps (who takes each, the documents still missing, the
stage's deadline and the law behind it) and the cases awaiting the caller's roles."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.subgraphs.enforcement.conftest import HEAD, OFFICER, REVIEWER, Subgraph
from tests.subgraphs.enforcement.operations import REVIEW, file_documents, registered, to_filed, to_reviewing

STEPS = """query($id: ID!) { case(id: $id) { stage stageDueOn
  nextSteps { action stage role mine documentsMissing dueOn overdue basis } } }"""
AWAITING = "{ cases(filter: {awaitingMe: true}, first: 50) { edges { node { id stage } } } }"


async def steps_of(subgraph: Subgraph, case_id: str) -> dict[str, Any]:
    case: dict[str, Any] = (await subgraph.data(STEPS, id=case_id))["case"]
    return case


async def awaiting(subgraph: Subgraph) -> set[str]:
    return {edge["node"]["id"] for edge in (await subgraph.data(AWAITING))["cases"]["edges"]}


async def test_a_new_lead_awaits_the_case_officer_under_the_filing_clock_of_art_18(subgraph: Subgraph) -> None:
    subgraph.clock.on(dt.date(2025, 9, 26))
    case_id = await registered(subgraph)
    case = await steps_of(subgraph, case_id)
    assert case["nextSteps"] == [
        {
            "action": "MOVE", "stage": "VERIFYING", "role": "case_officer", "mine": True,
            "documentsMissing": ["LEAD_REGISTRATION"], "dueOn": case["stageDueOn"], "overdue": False,
            "basis": "市场监督管理行政处罚程序规定 Art. 18: decide whether to open a case within 15 working days",
        }
    ]  # fmt: skip
    await file_documents(subgraph, case_id, "LEAD_REGISTRATION")
    [step] = (await steps_of(subgraph, case_id))["nextSteps"]
    assert step["documentsMissing"] == []
    assert not (await steps_of(subgraph.as_(HEAD), case_id))["nextSteps"][0]["mine"]
    subgraph.clock.on(dt.date(2025, 12, 1))
    [late] = (await steps_of(subgraph, case_id))["nextSteps"]
    assert late["overdue"] is True


async def test_a_filed_case_runs_against_the_90_day_decision_clock_of_art_60(subgraph: Subgraph) -> None:
    case_id = await to_filed(subgraph)
    [step] = (await steps_of(subgraph, case_id))["nextSteps"]
    assert (step["stage"], step["role"]) == ("INVESTIGATING", "case_officer")
    assert step["basis"].startswith("行政处罚法 Art. 60")


async def test_a_major_case_under_review_awaits_the_legal_reviewer_first_art_58(subgraph: Subgraph) -> None:
    case_id = await to_reviewing(subgraph, major=True)
    steps = (await steps_of(subgraph.as_(REVIEWER), case_id))["nextSteps"]
    assert [(s["action"], s["stage"], s["role"], s["mine"]) for s in steps] == [
        ("LEGAL_REVIEW", "REVIEWING", "legal_reviewer", True),
        ("MOVE", "NOTIFIED", "case_officer", False),
    ]
    assert case_id in await awaiting(subgraph.as_(REVIEWER))
    await subgraph.as_(REVIEWER).data(REVIEW, id=case_id, passed=True, opinion="事实清楚，证据确凿")
    steps = (await steps_of(subgraph, case_id))["nextSteps"]
    assert [s["action"] for s in steps] == ["MOVE"]
    assert case_id not in await awaiting(subgraph.as_(REVIEWER))  # reviewed: nothing more of the reviewer's


async def test_a_case_under_review_that_art_58_does_not_send_to_legal_review_is_not_the_reviewers(
    subgraph: Subgraph,
) -> None:
    case_id = await to_reviewing(subgraph)  # neither major nor heard
    assert case_id not in await awaiting(subgraph.as_(REVIEWER))
    assert case_id in await awaiting(subgraph.as_(OFFICER))


async def test_cases_awaiting_me_are_those_whose_next_move_is_for_my_role(subgraph: Subgraph) -> None:
    lead = await registered(subgraph)
    verifying = await registered(subgraph)
    await file_documents(subgraph, verifying, "LEAD_REGISTRATION")
    await subgraph.as_(OFFICER).data(
        "mutation($id: ID!) { moveCase(id: $id, to: VERIFYING) { case { id } } }", id=verifying
    )
    assert await awaiting(subgraph.as_(OFFICER)) == {lead}
    assert await awaiting(subgraph.as_(HEAD)) == {verifying}  # 立案 or not is the agency head's
    assert await awaiting(subgraph.as_(REVIEWER)) == set()

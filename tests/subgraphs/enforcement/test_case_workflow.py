"""The case loop through the subgraph: every step, legal and illegal, per role; refusals leave the case unchanged."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.subgraphs.enforcement.conftest import HEAD, OFFICER, REVIEWER, Subgraph
from tests.subgraphs.enforcement.operations import (
    DECIDE,
    DOCUMENT,
    FILE,
    GET,
    MOVE,
    NOTIFY,
    PUBLISH,
    REGISTER,
    REVIEW,
    file_documents,
    lead,
    registered,
    stage_of,
    to_filed,
    to_notified,
    to_reviewing,
)


async def test_an_ordinary_case_runs_the_whole_loop_and_every_move_is_recorded(subgraph: Subgraph) -> None:
    case_id = await to_notified(subgraph, fine="20000")
    subgraph.clock.on(dt.date(2025, 10, 20))  # the party's 5 working days ran out (National Day holidays between)
    await file_documents(subgraph, case_id, "DECISION", "SERVICE_RECEIPT", "PERFORMANCE_PROOF", "CLOSING_APPROVAL")
    decided = await subgraph.as_(HEAD).data(
        DECIDE, id=case_id, input={"outcome": "PENALTY", "penalty": {"kinds": ["FINE"], "fine": "20000"}}
    )
    assert decided["decideCase"]["case"]["stage"] == "DECIDED"
    officer = subgraph.as_(OFFICER)
    await officer.data(MOVE, id=case_id, to="SERVED")
    await officer.data(MOVE, id=case_id, to="EXECUTED")
    await officer.data(PUBLISH, caseId=case_id)
    await officer.data(MOVE, id=case_id, to="PUBLISHED")
    await subgraph.as_(HEAD).data(MOVE, id=case_id, to="CLOSED")
    await file_documents(subgraph, case_id, "AUDIO_VIDEO_RECORD")
    archived = (await officer.data(MOVE, id=case_id, to="ARCHIVED"))["moveCase"]["case"]
    moves = [(t["fromStage"], t["toStage"], t["role"]) for t in archived["transitions"]]
    assert moves == [
        (None, "ACCEPTED", "case_officer"),
        ("ACCEPTED", "VERIFYING", "case_officer"),
        ("VERIFYING", "FILED", "agency_head"),
        ("FILED", "INVESTIGATING", "case_officer"),
        ("INVESTIGATING", "GATHERING_EVIDENCE", "case_officer"),
        ("GATHERING_EVIDENCE", "PRESERVING", "case_officer"),
        ("PRESERVING", "REVIEWING", "case_officer"),
        ("REVIEWING", "NOTIFIED", "case_officer"),
        ("NOTIFIED", "DECIDED", "agency_head"),
        ("DECIDED", "SERVED", "case_officer"),
        ("SERVED", "EXECUTED", "case_officer"),
        ("EXECUTED", "PUBLISHED", "case_officer"),
        ("PUBLISHED", "CLOSED", "agency_head"),
        ("CLOSED", "ARCHIVED", "case_officer"),
    ]
    assert {t["actor"] for t in archived["transitions"]} == {"officer-wang", "head-zhao"}
    assert archived["allowedNext"] == []


async def test_an_illegal_transition_is_refused_and_the_case_is_unchanged(subgraph: Subgraph) -> None:
    case_id = await registered(subgraph)
    error = await subgraph.error(MOVE, id=case_id, to="INVESTIGATING")
    assert error.code == "ILLEGAL_TRANSITION"
    assert "allowed next: VERIFYING" in error.message
    assert await stage_of(subgraph, case_id) == "ACCEPTED"
    transitions = (await subgraph.data(GET, id=case_id))["case"]["transitions"]
    assert len(transitions) == 1


async def test_a_missing_document_is_named_and_nothing_moves(subgraph: Subgraph) -> None:
    case_id = await registered(subgraph)
    error = await subgraph.error(MOVE, id=case_id, to="VERIFYING")
    assert (error.code, error.extensions["document"]) == ("DOCUMENT_MISSING", "LEAD_REGISTRATION")
    await file_documents(subgraph, case_id, "LEAD_REGISTRATION")
    await subgraph.data(MOVE, id=case_id, to="VERIFYING")
    await file_documents(subgraph, case_id, "VERIFICATION_REPORT")
    error = await subgraph.as_(HEAD).error(FILE, id=case_id, officers=["a", "b"])
    assert (error.code, error.extensions["document"]) == ("DOCUMENT_MISSING", "FILING_APPROVAL")
    assert await stage_of(subgraph, case_id) == "VERIFYING"


@pytest.mark.parametrize(
    ("caller", "step", "code"),
    [
        (OFFICER, "file", "FORBIDDEN"),  # 立案 is the agency head's (action enforcement.open_case)
        (REVIEWER, "verify", "FORBIDDEN"),  # a legal reviewer moves no case
        (HEAD, "verify", "ROLE_MAY_NOT_TRANSITION"),  # verification is the case officer's step
    ],
)
async def test_a_role_that_may_not_take_the_step_is_refused(
    subgraph: Subgraph, caller: object, step: str, code: str
) -> None:
    case_id = await registered(subgraph)
    await file_documents(subgraph, case_id, "LEAD_REGISTRATION", "VERIFICATION_REPORT", "FILING_APPROVAL")
    actor = subgraph.as_(caller)  # type: ignore[arg-type]
    if step == "file":
        await subgraph.data(MOVE, id=case_id, to="VERIFYING")
        error = await actor.error(FILE, id=case_id, officers=["a", "b"])
        expected_stage = "VERIFYING"
    else:
        error = await actor.error(MOVE, id=case_id, to="VERIFYING")
        expected_stage = "ACCEPTED"
    assert error.code == code
    assert await stage_of(subgraph, case_id) == expected_stage


async def test_filing_needs_two_officers_and_the_limitation_period(subgraph: Subgraph) -> None:
    case_id = await registered(subgraph, violationOn="2023-09-01")  # discovered 2025-09-26: past 2 years
    await file_documents(subgraph, case_id, "LEAD_REGISTRATION", "VERIFICATION_REPORT", "FILING_APPROVAL")
    await subgraph.data(MOVE, id=case_id, to="VERIFYING")
    head = subgraph.as_(HEAD)
    assert (await head.error(FILE, id=case_id, officers=["only-one"])).code == "INSUFFICIENT_OFFICERS"
    error = await head.error(FILE, id=case_id, officers=["a", "b"])
    assert (error.code, error.extensions["limitationYears"]) == ("LIMITATION_EXPIRED", 2)
    assert await stage_of(subgraph, case_id) == "VERIFYING"
    # the same dates with harm to health: 5 years (Art. 36)
    harmful = await to_filed(subgraph, violationOn="2023-09-01", harmToLifeOrHealth=True)
    assert await stage_of(subgraph, harmful) == "FILED"


async def test_a_major_case_needs_legal_review_and_a_collective_decision(subgraph: Subgraph) -> None:
    case_id = await to_reviewing(subgraph, major=True)
    error = await subgraph.error(NOTIFY, id=case_id, intended={"kinds": ["FINE"], "fine": "5000"})
    assert error.code == "LEGAL_REVIEW_REQUIRED"
    assert await stage_of(subgraph, case_id) == "REVIEWING"
    assert (await subgraph.as_(OFFICER).error(REVIEW, id=case_id, passed=True, opinion="ok")).code == "FORBIDDEN"
    await subgraph.as_(REVIEWER).data(REVIEW, id=case_id, passed=True, opinion="事实清楚")
    await subgraph.data(NOTIFY, id=case_id, intended={"kinds": ["FINE"], "fine": "5000"})
    await file_documents(subgraph, case_id, "DECISION")
    subgraph.clock.on(dt.date(2025, 10, 20))
    head = subgraph.as_(HEAD)
    decision = {"outcome": "PENALTY", "penalty": {"kinds": ["FINE"], "fine": "5000"}}
    assert (await head.error(DECIDE, id=case_id, input=decision)).code == "COLLECTIVE_DECISION_REQUIRED"
    error = await head.error(DECIDE, id=case_id, input={**decision, "collective": True})
    assert (error.code, error.extensions["document"]) == ("DOCUMENT_MISSING", "COLLECTIVE_DISCUSSION_RECORD")
    assert await stage_of(subgraph, case_id) == "NOTIFIED"
    await file_documents(subgraph, case_id, "COLLECTIVE_DISCUSSION_RECORD")
    decided = await head.data(DECIDE, id=case_id, input={**decision, "collective": True})
    assert decided["decideCase"]["case"]["stage"] == "DECIDED"


async def test_a_failed_legal_review_blocks_the_decision(subgraph: Subgraph) -> None:
    case_id = await to_notified(subgraph, fine="3000")
    await subgraph.as_(REVIEWER).data(REVIEW, id=case_id, passed=False, opinion="证据不足")
    await file_documents(subgraph, case_id, "DECISION")
    subgraph.clock.on(dt.date(2025, 10, 20))
    decision = {"outcome": "PENALTY", "penalty": {"kinds": ["FINE"], "fine": "3000"}}
    assert (await subgraph.as_(HEAD).error(DECIDE, id=case_id, input=decision)).code == "LEGAL_REVIEW_REQUIRED"
    assert await stage_of(subgraph, case_id) == "NOTIFIED"


async def test_the_party_period_and_the_hearing_thresholds(subgraph: Subgraph) -> None:
    small = await to_notified(subgraph, fine="20000")  # an organisation below ¥100,000: no hearing rights
    small_case = (await subgraph.data(GET, id=small))["case"]
    assert small_case["hearingRights"] is False
    # 5 working days after Fri 26 Sep: Sun 28 Sep (调休 make-up day), 29, 30 Sep, then 9 and 10 Oct after the holidays
    assert small_case["statementDueOn"] == "2025-10-10"
    assert (await subgraph.error(MOVE, id=small, to="HEARING")).code == "HEARING_NOT_AVAILABLE"
    await file_documents(subgraph, small, "DECISION")
    decision = {"outcome": "PENALTY", "penalty": {"kinds": ["FINE"], "fine": "20000"}}
    error = await subgraph.as_(HEAD).error(DECIDE, id=small, input=decision)
    assert (error.code, error.extensions["dueOn"]) == ("PARTY_PERIOD_OPEN", "2025-10-10")
    waived = await subgraph.as_(HEAD).data(DECIDE, id=small, input={**decision, "partyWaived": True})
    assert waived["decideCase"]["case"]["stage"] == "DECIDED"

    large = await to_notified(subgraph, fine="100000")  # at the organisation threshold
    assert (await subgraph.data(GET, id=large))["case"]["hearingRights"] is True
    heard = await subgraph.data(MOVE, id=large, to="HEARING", reason="当事人申请听证")
    assert heard["moveCase"]["case"]["stage"] == "HEARING"
    await file_documents(subgraph, large, "DECISION")
    big = {"outcome": "PENALTY", "penalty": {"kinds": ["FINE"], "fine": "100000"}}
    error = await subgraph.as_(HEAD).error(DECIDE, id=large, input=big)
    assert (error.code, error.extensions["document"]) == ("DOCUMENT_MISSING", "HEARING_RECORD")
    await file_documents(subgraph, large, "HEARING_RECORD")
    more = {"outcome": "PENALTY", "penalty": {"kinds": ["FINE"], "fine": "150000"}}
    assert (await subgraph.as_(HEAD).error(DECIDE, id=large, input=more)).code == "INVALID_PENALTY"
    done = await subgraph.as_(HEAD).data(DECIDE, id=large, input=big)
    assert done["decideCase"]["case"]["stage"] == "DECIDED"


async def test_revocation_carries_hearing_rights_whatever_the_amount(subgraph: Subgraph) -> None:
    case_id = await to_reviewing(subgraph)
    await subgraph.as_(REVIEWER).data(REVIEW, id=case_id, passed=True, opinion="ok")
    notified = await subgraph.data(NOTIFY, id=case_id, intended={"kinds": ["PERMIT_REVOCATION"]})
    assert notified["notifyParty"]["case"]["hearingRights"] is True


async def test_the_summary_procedure_within_and_beyond_its_limits(subgraph: Subgraph) -> None:
    person = await registered(subgraph, procedure="SUMMARY", partyKind="NATURAL_PERSON")
    await file_documents(subgraph, person, "DECISION")
    over = {"outcome": "PENALTY", "penalty": {"kinds": ["FINE"], "fine": "201"}}
    error = await subgraph.error(DECIDE, id=person, input=over)
    assert (error.code, error.extensions["limit"]) == ("SUMMARY_LIMIT_EXCEEDED", "200")
    assert await stage_of(subgraph, person) == "ACCEPTED"
    within = {"outcome": "PENALTY", "penalty": {"kinds": ["FINE"], "fine": "200"}}
    decided = await subgraph.data(DECIDE, id=person, input=within)
    assert decided["decideCase"]["case"]["stage"] == "DECIDED"
    organisation = await registered(subgraph, procedure="SUMMARY")
    await file_documents(subgraph, organisation, "DECISION")
    suspension = {"outcome": "PENALTY", "penalty": {"kinds": ["SUSPENSION"]}}
    assert (await subgraph.error(DECIDE, id=organisation, input=suspension)).code == "SUMMARY_LIMIT_EXCEEDED"
    ordinary = await registered(subgraph)
    await file_documents(subgraph, ordinary, "DECISION")
    assert (await subgraph.error(DECIDE, id=ordinary, input=within)).code == "ILLEGAL_TRANSITION"


async def test_not_filing_needs_a_reason_and_ends_the_lead(subgraph: Subgraph) -> None:
    case_id = await registered(subgraph)
    await file_documents(subgraph, case_id, "LEAD_REGISTRATION", "VERIFICATION_REPORT")
    await subgraph.data(MOVE, id=case_id, to="VERIFYING")
    head = subgraph.as_(HEAD)
    assert (await head.error(MOVE, id=case_id, to="NOT_FILED")).code == "REASON_REQUIRED"
    ended = await head.data(MOVE, id=case_id, to="NOT_FILED", reason="首违不罚，已当场改正 (Art. 33)")
    assert ended["moveCase"]["case"]["allowedNext"] == ["ARCHIVED"]


async def test_a_lead_outside_the_callers_jurisdiction_is_refused(subgraph: Subgraph) -> None:
    from tests.support.identities import NANSHAN, officer

    nanshan = subgraph.as_(officer(NANSHAN, roles=("case_officer",)))
    assert (await nanshan.error(REGISTER, input=lead())).code == "FORBIDDEN"
    case_id = await registered(subgraph)
    assert (await nanshan.data(GET, id=case_id))["case"] is None
    await file_documents(subgraph, case_id, "LEAD_REGISTRATION")
    assert (await nanshan.error(MOVE, id=case_id, to="VERIFYING")).code == "FORBIDDEN"
    assert (await nanshan.error(DOCUMENT, caseId=case_id, kind="DECISION")).code == "FORBIDDEN"

"""The operations the enforcement tests send, and helpers that walk a case to a stage."""

from __future__ import annotations

import base64
from typing import Any

from tests.subgraphs.enforcement.conftest import HEAD, OFFICER, REVIEWER, Subgraph

USCC = "91440300MA5F000010"
CASE = (
    "id stage procedure partyUscc filingDueOn filedOn decisionDueOn statementDueOn hearingRights stageDueOn overdue "
    "allowedNext legalReviewPassed fine penalties outcome serviceDueOn paymentDueOn lateSurcharge officers "
    "transitions { fromStage toStage actor role reason } sourceInspectionId sourceItemCode"
)
REGISTER = f"mutation($input: LeadInput!) {{ registerLead(input: $input) {{ case {{ {CASE} }} }} }}"
MOVE = (
    f"mutation($id: ID!, $to: CaseStage!, $reason: String) {{ moveCase(id: $id, to: $to, reason: "
    f"$reason) {{ case {{ {CASE} }} }} }}"
)
FILE = f"mutation($id: ID!, $officers: [String!]!) {{ fileCase(id: $id, officers: $officers) {{ case {{ {CASE} }} }} }}"
NOTIFY = (
    f"mutation($id: ID!, $intended: PenaltyInput!) {{ notifyParty(id: $id, intended: $intended) {{ "
    f"case {{ {CASE} }} }} }}"
)
REVIEW = (
    f"mutation($id: ID!, $passed: Boolean!, $opinion: String!) {{ recordLegalReview(id: $id, passed: "
    f"$passed, opinion: $opinion) {{ case {{ {CASE} }} }} }}"
)
DECIDE = f"mutation($id: ID!, $input: DecisionInput!) {{ decideCase(id: $id, input: $input) {{ case {{ {CASE} }} }} }}"
DOCUMENT = (
    "mutation($caseId: ID!, $kind: CaseDocumentKind!) { fileCaseDocument(caseId: $caseId, kind: "
    "$kind) { case { id } } }"
)
EXTEND = (
    f"mutation($caseId: ID!, $deadline: CaseDeadline!, $reason: String!, $collective: Boolean! = "
    f"false) {{ extendCaseDeadline(caseId: $caseId, deadline: $deadline, reason: $reason, collective: "
    f"$collective) {{ case {{ {CASE} }} }} }}"
)
EXCLUDE = (
    f"mutation($caseId: ID!, $deadline: CaseDeadline!, $start: Date!, $end: Date!, $reason: String!) "
    f"{{ excludeCasePeriod(caseId: $caseId, deadline: $deadline, start: $start, end: $end, reason: "
    f"$reason) {{ case {{ {CASE} }} }} }}"
)
EVIDENCE = (
    "mutation($caseId: ID!, $input: EvidenceInput!) { addEvidence(caseId: $caseId, input: $input) { "
    "id seq contentHash previousHash recordHash algorithm custody { action holder } } }"
)
VERIFY = "query($caseId: ID!) { verifyEvidenceChain(caseId: $caseId) { intact items problem firstBroken { id seq } } }"
GET = f"query($id: ID!) {{ case(id: $id) {{ {CASE} }} }}"
PUBLISH = (
    "mutation($caseId: ID!) { publishPenalty(caseId: $caseId) { status publishedOn displayUntil "
    "publishDueOn active late } }"
)


def lead(**changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "partyUscc": USCC,
        "partyName": "深圳市测试餐饮有限公司",
        "premisesAddress": "广东省深圳市福田区华强北街道振兴路1号",
        "premisesRegion": "440304",
        "summary": "使用超过保质期的食品原料",
    }
    values.update(changes)
    return values


def evidence_input(content: bytes = b"photo of the cold store", **changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "type": "AUDIO_VISUAL",
        "title": "冷库照片",
        "contentBase64": base64.b64encode(content).decode(),
        "capturedAt": "2025-09-26T09:00:00+08:00",
        "capturedBy": ["officer-wang", "officer-chen"],
        "deviceId": "cam-7",
    }
    values.update(changes)
    return values


async def registered(subgraph: Subgraph, **changes: Any) -> str:
    data = await subgraph.as_(OFFICER).data(REGISTER, input=lead(**changes))
    return str(data["registerLead"]["case"]["id"])


async def file_documents(subgraph: Subgraph, case_id: str, *kinds: str) -> None:
    for kind in kinds:
        await subgraph.as_(OFFICER).data(DOCUMENT, caseId=case_id, kind=kind)


async def stage_of(subgraph: Subgraph, case_id: str) -> str:
    rows = await subgraph.sql("SELECT stage FROM E.enforcement_case WHERE id = :id", id=case_id)
    return str(rows[0][0])


async def to_filed(subgraph: Subgraph, **changes: Any) -> str:
    case_id = await registered(subgraph, **changes)
    await file_documents(subgraph, case_id, "LEAD_REGISTRATION", "VERIFICATION_REPORT", "FILING_APPROVAL")
    await subgraph.as_(OFFICER).data(MOVE, id=case_id, to="VERIFYING")
    await subgraph.as_(HEAD).data(FILE, id=case_id, officers=["officer-wang", "officer-chen"])
    return case_id


async def to_reviewing(subgraph: Subgraph, **changes: Any) -> str:
    case_id = await to_filed(subgraph, **changes)
    officer = subgraph.as_(OFFICER)
    await officer.data(MOVE, id=case_id, to="INVESTIGATING")
    await file_documents(subgraph, case_id, "INQUIRY_RECORD", "INVESTIGATION_REPORT", "PRIOR_NOTICE")
    await officer.data(MOVE, id=case_id, to="GATHERING_EVIDENCE")
    await officer.data(EVIDENCE, caseId=case_id, input=evidence_input())
    await officer.data(MOVE, id=case_id, to="PRESERVING")
    await officer.data(MOVE, id=case_id, to="REVIEWING")
    return case_id


async def to_notified(subgraph: Subgraph, fine: str = "20000", **changes: Any) -> str:
    case_id = await to_reviewing(subgraph, **changes)
    await subgraph.as_(REVIEWER).data(REVIEW, id=case_id, passed=True, opinion="事实清楚，证据确凿")
    await subgraph.as_(OFFICER).data(NOTIFY, id=case_id, intended={"kinds": ["FINE"], "fine": fine})
    return case_id

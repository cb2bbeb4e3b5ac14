"""案件移送: a case transferred to another district becomes visible and workable there — that case alone; the
other district sees none of the transferring bureau's other cases, evidence or publicity."""

from __future__ import annotations

from tests.subgraphs.enforcement.conftest import HEAD, OFFICER, Subgraph
from tests.subgraphs.enforcement.operations import (
    EVIDENCE,
    GET,
    MOVE,
    USCC,
    VERIFY,
    evidence_input,
    file_documents,
    registered,
    stage_of,
)
from tests.support.identities import NANSHAN, officer

TRANSFER = (
    "mutation($id: ID!, $to: String!, $reason: String!) { transferCase(id: $id, toDistrict: $to, reason: $reason) "
    "{ case { id transfers { granteeUnit grantedBy reason } transitions { fromStage toStage reason } } } }"
)
CASES = "{ cases(first: 100) { edges { node { id } } } }"
ENTITY = "query($r: [_Any!]!) { _entities(representations: $r) { ... on MarketEntity { cases { id } } } }"
INDICATORS = "{ caseIndicators { stage cases } }"
NANSHAN_HEAD = officer(NANSHAN, subject="head-nanshan", roles=("agency_head",))
NANSHAN_OFFICER = officer(NANSHAN, subject="officer-nanshan", roles=("case_officer",))


def ids(data: dict[str, object]) -> list[str]:
    connection = data["cases"]
    assert isinstance(connection, dict)
    return [edge["node"]["id"] for edge in connection["edges"]]


async def test_a_transferred_case_alone_becomes_visible_and_workable_in_the_other_district(
    subgraph: Subgraph,
) -> None:
    moved, kept = await registered(subgraph), await registered(subgraph)
    for case_id in (moved, kept):
        await subgraph.data(EVIDENCE, caseId=case_id, input=evidence_input())
    there = subgraph.as_(NANSHAN_OFFICER)
    assert ids(await there.data(CASES)) == []

    transferred = await subgraph.as_(HEAD).data(TRANSFER, id=moved, to="440305", reason="违法行为发生地在南山")
    case = transferred["transferCase"]["case"]
    assert case["transfers"] == [{"granteeUnit": "440305", "grantedBy": "head-zhao", "reason": "违法行为发生地在南山"}]
    assert case["transitions"][-1]["reason"].startswith("案件移送 → ")

    assert ids(await there.data(CASES)) == [moved]
    assert (await there.data(GET, id=kept))["case"] is None
    entity = await there.data(ENTITY, r=[{"__typename": "MarketEntity", "uscc": USCC}])
    assert entity["_entities"][0]["cases"] == [{"id": moved}]
    assert {row["stage"]: row["cases"] for row in (await there.data(INDICATORS))["caseIndicators"]}["ACCEPTED"] == 1
    assert (await there.data(VERIFY, caseId=moved))["verifyEvidenceChain"]["items"] == 1
    assert (await there.error(VERIFY, caseId=kept)).code == "NOT_FOUND"

    await file_documents(subgraph, moved, "LEAD_REGISTRATION")
    await file_documents(subgraph, kept, "LEAD_REGISTRATION")
    assert (await there.data(MOVE, id=moved, to="VERIFYING"))["moveCase"]["case"]["stage"] == "VERIFYING"
    assert (await there.error(MOVE, id=kept, to="VERIFYING")).code == "FORBIDDEN"
    assert await stage_of(subgraph, kept) == "ACCEPTED"
    assert sorted(ids(await subgraph.data(CASES))) == sorted([moved, kept])  # the transferring bureau keeps both


async def test_a_transfer_needs_the_head_a_district_and_a_reason(subgraph: Subgraph) -> None:
    case_id = await registered(subgraph)
    assert (await subgraph.as_(OFFICER).error(TRANSFER, id=case_id, to="440305", reason="x")).code == "FORBIDDEN"
    head = subgraph.as_(HEAD)
    assert (await head.error(TRANSFER, id=case_id, to="440305001", reason="x")).code == "UNKNOWN_DISTRICT"
    assert (await head.error(TRANSFER, id=case_id, to="440305", reason=" ")).code == "REASON_REQUIRED"
    assert (await head.error(TRANSFER, id=case_id, to="440304", reason="x")).code == "CONFLICT"
    await head.data(TRANSFER, id=case_id, to="440305", reason="管辖")
    assert (await head.error(TRANSFER, id=case_id, to="440305", reason="again")).code == "CONFLICT"
    assert (
        await subgraph.as_(NANSHAN_HEAD).error(TRANSFER, id=await registered(subgraph), to="440305", reason="x")
    ).code == "FORBIDDEN"

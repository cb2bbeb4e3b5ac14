"""The §7.2 loop: every legal move, every illegal one refused with the state named, evidence sealed at confirmation,
escalation (failed verification here; the deadline in test_escalation) asking supervision for one task."""

from __future__ import annotations

import asyncio
from typing import Any

from subgraphs.detection.vocabulary import ALERT_TRANSITIONS, AlertState
from tests.subgraphs.detection.conftest import (
    ALERT_FIELDS,
    FRAME,
    INSPECTOR,
    OPERATOR,
    USCC,
    Subgraph,
    an_alert,
)
from tests.support.identities import enterprise_user

START = f"mutation($id: ID!) {{ startAlertReview(id: $id) {{ alert {{ {ALERT_FIELDS} }} }} }}"
DECIDE = f"""mutation($id: ID!, $confirm: Boolean!) {{ decideAlertReview(id: $id, confirm: $confirm, note: "看过") {{
  alert {{ {ALERT_FIELDS} }} }} }}"""
NOTICE = f"""mutation($id: ID!, $by: Date!) {{ issueRectificationNotice(id: $id, rectifyBy: $by) {{
  alert {{ {ALERT_FIELDS} }} }} }}"""
SUBMIT = f"""mutation($id: ID!, $photos: [PhotoInput!]!) {{ submitRectification(id: $id, statement: "已整改",
  photos: $photos) {{ alert {{ {ALERT_FIELDS} }} }} }}"""
VERIFY = f"""mutation($id: ID!, $passed: Boolean!) {{ verifyRectification(id: $id, passed: $passed, note: "复核") {{
  alert {{ {ALERT_FIELDS} }} }} }}"""
PHOTOS = [{"ref": "s3://rectification/1.jpg", "sha256": "cd" * 32}]
TASK_REQUESTED = "task.requested"
STATE = "query($id: ID!) { kitchenAlert(id: $id) { state } }"


def steps(alert_id: str) -> dict[AlertState, tuple[Any, str, dict[str, Any]]]:
    """How to ask for each target state: (caller, document, variables)."""
    return {
        AlertState.IN_REVIEW: (INSPECTOR, START, {"id": alert_id}),
        AlertState.CONFIRMED: (INSPECTOR, DECIDE, {"id": alert_id, "confirm": True}),
        AlertState.REJECTED: (INSPECTOR, DECIDE, {"id": alert_id, "confirm": False}),
        AlertState.NOTICE_ISSUED: (INSPECTOR, NOTICE, {"id": alert_id, "by": "2025-10-10"}),
        AlertState.RECTIFICATION_SUBMITTED: (OPERATOR, SUBMIT, {"id": alert_id, "photos": PHOTOS}),
        AlertState.CLOSED: (INSPECTOR, VERIFY, {"id": alert_id, "passed": True}),
        AlertState.ESCALATED: (INSPECTOR, VERIFY, {"id": alert_id, "passed": False}),
    }


PATHS: dict[AlertState, tuple[AlertState, ...]] = {
    AlertState.CANDIDATE: (),
    AlertState.IN_REVIEW: (AlertState.IN_REVIEW,),
    AlertState.CONFIRMED: (AlertState.IN_REVIEW, AlertState.CONFIRMED),
    AlertState.REJECTED: (AlertState.IN_REVIEW, AlertState.REJECTED),
    AlertState.NOTICE_ISSUED: (AlertState.IN_REVIEW, AlertState.CONFIRMED, AlertState.NOTICE_ISSUED),
    AlertState.RECTIFICATION_SUBMITTED: (
        AlertState.IN_REVIEW, AlertState.CONFIRMED, AlertState.NOTICE_ISSUED, AlertState.RECTIFICATION_SUBMITTED),
    AlertState.CLOSED: (AlertState.IN_REVIEW, AlertState.CONFIRMED, AlertState.NOTICE_ISSUED,
                        AlertState.RECTIFICATION_SUBMITTED, AlertState.CLOSED),
}  # fmt: skip


async def move(subgraph: Subgraph, alert_id: str, target: AlertState) -> dict[str, Any]:
    caller, document, variables = steps(alert_id)[target]
    return await subgraph.as_(caller).execute(document, **variables)


async def test_from_each_state_exactly_the_edges_of_the_machine_are_taken(subgraph: Subgraph) -> None:
    """From every state, every target is tried on a fresh alert there: the machine's edges succeed, the rest are
    ILLEGAL_TRANSITION naming the state, and change nothing."""
    seq = 0
    for source, path in PATHS.items():
        for target in steps("x"):
            seq += 1
            alert = await an_alert(subgraph, seq=seq, at_minute=seq * 10)
            for step in path:
                assert "errors" not in await move(subgraph, alert["id"], step)
            body = await move(subgraph, alert["id"], target)
            if target in ALERT_TRANSITIONS[source]:
                assert "errors" not in body, (source, target, body)
                assert next(iter(body["data"].values()))["alert"]["state"] == target.value
            else:
                (error,) = body["errors"]
                assert error["extensions"]["code"] == "ILLEGAL_TRANSITION", (source, target, error)
                assert error["extensions"]["currentState"] == source.value
                assert (await subgraph.data(STATE, id=alert["id"]))["kitchenAlert"]["state"] == source.value


async def test_the_whole_loop_seals_evidence_and_closes(subgraph: Subgraph) -> None:
    alert = await an_alert(subgraph)
    assert alert["evidenceSha256"] is None
    await move(subgraph, alert["id"], AlertState.IN_REVIEW)
    confirmed = (await move(subgraph, alert["id"], AlertState.CONFIRMED))["data"]["decideAlertReview"]["alert"]
    assert (confirmed["evidenceSha256"], confirmed["reviewedBy"]) == (FRAME, "futian.inspector")
    assert confirmed["sealedAt"] is not None
    past = await subgraph.error(NOTICE, id=alert["id"], by=subgraph.clock.today.isoformat())
    assert past.extensions["code"] == "DEADLINE_IN_PAST"
    await move(subgraph, alert["id"], AlertState.NOTICE_ISSUED)
    stranger = enterprise_user("91440300MA5F000030", roles=("enterprise_owner",))
    foreign = await subgraph.as_(stranger).error(SUBMIT, id=alert["id"], photos=PHOTOS)
    assert foreign.extensions["code"] == "FORBIDDEN"
    no_photos = await subgraph.as_(OPERATOR).error(SUBMIT, id=alert["id"], photos=[])
    assert no_photos.extensions["code"] == "PHOTOS_REQUIRED"
    await move(subgraph, alert["id"], AlertState.RECTIFICATION_SUBMITTED)
    closed = (await move(subgraph, alert["id"], AlertState.CLOSED))["data"]["verifyRectification"]["alert"]
    assert closed["state"] == "CLOSED" and closed["allowedNextStates"] == []
    assert [t["toState"] for t in closed["transitions"]] == [
        "DETECTED",
        "CANDIDATE",
        "IN_REVIEW",
        "CONFIRMED",
        "NOTICE_ISSUED",
        "RECTIFICATION_SUBMITTED",
        "CLOSED",
    ]
    assert await subgraph.events() == []


async def test_a_failed_verification_escalates_and_asks_supervision_for_one_task(subgraph: Subgraph) -> None:
    alert = await an_alert(subgraph)
    for step in PATHS[AlertState.RECTIFICATION_SUBMITTED]:
        await move(subgraph, alert["id"], step)
    escalated = (await move(subgraph, alert["id"], AlertState.ESCALATED))["data"]["verifyRectification"]["alert"]
    assert escalated["state"] == "ESCALATED"
    assert escalated["escalationReason"] == "rectification failed verification: 复核"
    assert await subgraph.events() == [(TASK_REQUESTED, f"KitchenAlert:{alert['id']}")]
    again = await move(subgraph, alert["id"], AlertState.ESCALATED)
    assert again["errors"][0]["extensions"]["code"] == "ILLEGAL_TRANSITION"
    assert len(await subgraph.events()) == 1


async def test_two_reviewers_at_once_one_wins(subgraph: Subgraph) -> None:
    alert = await an_alert(subgraph)
    await move(subgraph, alert["id"], AlertState.IN_REVIEW)
    bodies = await asyncio.gather(
        move(subgraph, alert["id"], AlertState.CONFIRMED), move(subgraph, alert["id"], AlertState.REJECTED)
    )
    codes = sorted("ok" if "errors" not in b else b["errors"][0]["extensions"]["code"] for b in bodies)
    assert codes == ["ILLEGAL_TRANSITION", "ok"]


ENTITY = """query($uscc: String!) { _entities(representations: [{__typename: "MarketEntity", uscc: $uscc}]) {
  ... on MarketEntity { kitchenAlerts { category state }
    kitchenStatistics { score byCategory { category alerts confirmed } } } } }"""


async def test_the_entity_shows_its_alerts_and_kitchen_score_to_its_operator(subgraph: Subgraph) -> None:
    confirmed = await an_alert(subgraph, "NO_HAT", seq=1)
    rejected = await an_alert(subgraph, "RODENT", seq=2)
    escalated = await an_alert(subgraph, "SMOKING", seq=3)
    await an_alert(subgraph, "PHONE", seq=4)
    for step in PATHS[AlertState.CONFIRMED]:
        await move(subgraph, confirmed["id"], step)
    for step in PATHS[AlertState.REJECTED]:
        await move(subgraph, rejected["id"], step)
    for step in (*PATHS[AlertState.RECTIFICATION_SUBMITTED], AlertState.ESCALATED):
        await move(subgraph, escalated["id"], step)
    seen = (await subgraph.as_(OPERATOR).data(ENTITY, uscc=USCC))["_entities"][0]
    assert len(seen["kitchenAlerts"]) == 4
    assert seen["kitchenStatistics"] == {
        "score": 100 - 2 * 5 - 10,
        "byCategory": [
            {"category": "NO_HAT", "alerts": 1, "confirmed": 1},
            {"category": "PHONE", "alerts": 1, "confirmed": 0},
            {"category": "SMOKING", "alerts": 1, "confirmed": 1},
        ],
    }
    stranger = enterprise_user("91440300MA5F000030", roles=("enterprise_owner",))
    other = (await subgraph.as_(stranger).data(ENTITY, uscc=USCC))["_entities"][0]
    assert other["kitchenAlerts"] == []

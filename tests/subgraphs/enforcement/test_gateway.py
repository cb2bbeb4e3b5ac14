"""Through the gateway of the embedded hub: a case's loop as integrations see it, the MarketEntity join, the
jurisdiction of another district, and 秒批 reading the penalty publicity enforcement publishes."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from identity.records import Account, Client, Level, SignedIn
from kernel.roles import Population, Role
from tests.subgraphs.enforcement import operations as ops
from tests.subgraphs.permits.conftest import uscc
from tests.subgraphs.permits.operations import SUBMIT, catering
from tests.subgraphs.permits.test_registry import registered_in
from tests.support.hub import RunningHub, running_hub
from tests.support.identities import FUTIAN, NANSHAN

ENTITY = """
query($uscc: String!) {
  entity(uscc: $uscc) { name cases { stage fine } penaltyPublicity { status active } underFoodPenaltyPublicity }
}
"""
CASE_ROLES = (Role.CASE_OFFICER, Role.LEGAL_REVIEWER, Role.AGENCY_HEAD)


def officer_token(hub: RunningHub, org_path: str, scope: str = "openid enforcement:write") -> str:
    """An access token as the hub's provider mints it for a district officer holding every case role, signed in
    through a first-party app (the officer app's way)."""
    minter = hub.hub.identity.state.identity.provider.minter
    client = Client(
        client_id="officer-app", name="test officer app", token_endpoint_auth_method="none", secret_hash=None,
        jwks=None, redirect_uris=(), post_logout_redirect_uris=(), grant_types=(), scopes=tuple(scope.split()),
        org_path=None, first_party=True, disabled=False, roles=(),
    )  # fmt: skip
    subject = f"officer-{org_path.rsplit('/', 1)[-1]}"
    account = Account(
        id=subject, username=subject, display_name=subject, roles=CASE_ROLES, population=Population.OFFICER,
        disabled=False, level=Level.DISTRICT, org_path=org_path, usccs=(),
    )  # fmt: skip
    user = SignedIn(account, f"sid-{subject}", int(time.time()))
    return str(minter("authorization_code", client, user=user, scope=scope)["access_token"])


@pytest.fixture
async def hub(sqlite_database_url: str, tmp_path: Path) -> AsyncIterator[RunningHub]:
    async with running_hub(sqlite_database_url, tmp_path) as running:
        yield running


async def ok(hub: RunningHub, token: str, query: str, **variables: Any) -> dict[str, Any]:
    body = await hub.graphql(token, query, **variables)
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


async def penalised(hub: RunningHub, token: str, party: str) -> str:
    """A case against ``party`` walked to a published food-safety fine, every step through the gateway."""
    lead = ops.lead(partyUscc=party)
    case_id = str((await ok(hub, token, ops.REGISTER, input=lead))["registerLead"]["case"]["id"])
    for kind in ("LEAD_REGISTRATION", "VERIFICATION_REPORT", "FILING_APPROVAL", "INQUIRY_RECORD",
                 "INVESTIGATION_REPORT", "PRIOR_NOTICE", "DECISION"):  # fmt: skip
        await ok(hub, token, ops.DOCUMENT, caseId=case_id, kind=kind)
    await ok(hub, token, ops.MOVE, id=case_id, to="VERIFYING")
    await ok(hub, token, ops.FILE, id=case_id, officers=["officer-wang", "officer-chen"])
    for stage in ("INVESTIGATING", "GATHERING_EVIDENCE"):
        await ok(hub, token, ops.MOVE, id=case_id, to=stage)
    await ok(hub, token, ops.EVIDENCE, caseId=case_id, input=ops.evidence_input())
    for stage in ("PRESERVING", "REVIEWING"):
        await ok(hub, token, ops.MOVE, id=case_id, to=stage)
    await ok(hub, token, ops.REVIEW, id=case_id, passed=True, opinion="事实清楚")
    await ok(hub, token, ops.NOTIFY, id=case_id, intended={"kinds": ["FINE"], "fine": "8000"})
    decision = {"outcome": "PENALTY", "penalty": {"kinds": ["FINE"], "fine": "8000"}, "partyWaived": True}
    await ok(hub, token, ops.DECIDE, id=case_id, input=decision)
    await ok(hub, token, ops.PUBLISH, caseId=case_id)
    verdict = (await ok(hub, token, ops.VERIFY, caseId=case_id))["verifyEvidenceChain"]
    assert (verdict["intact"], verdict["items"]) == (True, 1)
    return case_id


async def test_a_published_penalty_shows_on_the_entity_and_stops_miaopi(hub: RunningHub) -> None:
    await registered_in(hub, 1, 2)
    officer = officer_token(hub, FUTIAN)
    await penalised(hub, officer, uscc(1))
    reader = await hub.machine_client("entities:read", "enforcement:read", "jurisdiction:city")
    entity = (await ok(hub, reader, ENTITY, uscc=uscc(1)))["entity"]
    assert entity["cases"] == [{"stage": "DECIDED", "fine": "8000.00"}]
    assert entity["penaltyPublicity"] == [{"status": "PUBLISHED", "active": True}]
    assert entity["underFoodPenaltyPublicity"] is True

    portal = await hub.machine_client("permits:write", "jurisdiction:city", roles=("service_portal",))
    for serial, approved in ((1, False), (2, True)):
        variables = {"input": catering(serial, route="COMMITMENT", commitmentSigned=True), "auto": True}
        application = (await ok(hub, portal, SUBMIT, **variables))["submitPermitApplication"]["application"]
        failed = [r["rule"] for r in application["autoCheck"]["results"] if not r["passed"]]
        assert (failed == [], application["state"] == "CERT_ISSUED") == (approved, approved), application


async def test_another_district_sees_and_changes_none_of_the_cases(hub: RunningHub) -> None:
    await registered_in(hub, 1)
    officer = officer_token(hub, FUTIAN)
    lead = ops.lead(partyUscc=uscc(1))
    case_id = (await ok(hub, officer, ops.REGISTER, input=lead))["registerLead"]["case"]["id"]
    nanshan = officer_token(hub, NANSHAN)
    assert (await ok(hub, nanshan, ops.GET, id=case_id))["case"] is None
    body = await hub.graphql(nanshan, ops.DOCUMENT, caseId=case_id, kind="LEAD_REGISTRATION")
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    reader = await hub.machine_client("enforcement:read", org_path=FUTIAN)
    assert (await ok(hub, reader, ops.GET, id=case_id))["case"]["stage"] == "ACCEPTED"
    body = await hub.graphql(reader, ops.MOVE, id=case_id, to="VERIFYING")
    # no write scope: the gateway refuses the field before planning
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHORIZED_FIELD_OR_TYPE"


async def test_cases_awaiting_me_and_their_next_steps_through_the_gateway(hub: RunningHub) -> None:
    token = officer_token(hub, FUTIAN)
    case_id = str((await ok(hub, token, ops.REGISTER, input=ops.lead()))["registerLead"]["case"]["id"])
    query = """{ cases(filter: {awaitingMe: true}, first: 5) { edges { node { id
      nextSteps { stage role mine documentsMissing basis } party { uscc } } } } }"""
    [edge] = (await ok(hub, token, query))["cases"]["edges"]
    assert edge["node"]["id"] == case_id
    assert edge["node"]["nextSteps"] == [
        {
            "stage": "VERIFYING", "role": "case_officer", "mine": True, "documentsMissing": ["LEAD_REGISTRATION"],
            "basis": "市场监督管理行政处罚程序规定 Art. 18: decide whether to open a case within 15 working days",
        }
    ]  # fmt: skip

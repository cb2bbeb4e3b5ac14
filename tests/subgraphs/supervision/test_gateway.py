"""Supervision through the whole hub (provider, gateway, subgraphs in process): the directory and a task written
through the gateway, the entity joined with its open tasks, risk grade and inspections across subgraphs, a draw
verified, and refusals carrying their codes through the gateway with nothing changed."""

from __future__ import annotations

import base64
import json
from pathlib import Path

from identity.directory import Directory
from identity.records import Level
from identity.seed import DEMO_BROWSER_CLIENT, DEMO_PASSWORD, OFFICER_APP_SCOPES
from kernel.roles import Role
from tests.identity.browser import REDIRECT_URI, Browser
from tests.subgraphs.entities.harness import application
from tests.subgraphs.supervision.conftest import FUTIAN, HUAQIANGBEI
from tests.subgraphs.supervision.operations import CLOSE, DRAW, OPEN, READ, VERIFY, complaint
from tests.support.hub import RunningHub, running_hub

CHANGES = """mutation($changes: [RegistryChangeInput!]!) { recordRegistryChanges(changes: $changes) { status } }"""
TARGETS = """mutation($t: [TargetInput!]!) { registerInspectionTargets(targets: $t) { written } }"""
INSPECTOR = """mutation($s: String!) {
  registerInspector(subject: $s, name: $s, districtCode: "440304", stationCode: "440304009") { written } }"""
ENTITY = """query($uscc: String!) { entity(uscc: $uscc) { name riskGrade openTasks { source status inspectors }
  inspections { outcome } } }"""


OFFICERS = (
    ("futian.head", [Role.AGENCY_HEAD, Role.ADMIN], Level.DISTRICT, "440300/440304"),
    ("insp-a", [Role.INSPECTOR], Level.STATION, "440300/440304/440304009"),
    ("insp-b", [Role.INSPECTOR], Level.STATION, "440300/440304/440304009"),
)


async def officers(hub: RunningHub) -> dict[str, tuple[str, str]]:
    """Each officer's access token and subject, signed in through the officer app (delegated supervision:write)."""
    directory = Directory(hub.hub.database)
    await directory.add_client(
        DEMO_BROWSER_CLIENT, "政务通", token_endpoint_auth_method="none", grant_types=["authorization_code"],
        scopes=OFFICER_APP_SCOPES, redirect_uris=[REDIRECT_URI],
    )  # fmt: skip
    tokens: dict[str, tuple[str, str]] = {}
    for username, roles, level, path in OFFICERS:
        await directory.add_officer(username, DEMO_PASSWORD, username, roles, level, path)
        hub.provider.cookies.clear()  # a fresh browser: no one signed in yet
        access = (await Browser(hub.provider).tokens(username, scope="openid supervision:write"))["access_token"]
        payload = access.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        tokens[username] = (access, str(claims["sub"]))
    return tokens


async def test_tasks_and_draws_through_the_gateway(database_url: str, tmp_path: Path) -> None:
    async with running_hub(database_url, tmp_path) as hub:
        registry = await hub.machine_client(
            "entities:read", "entities:write", "supervision:write", "jurisdiction:city", roles=("registry_feed",)
        )
        entity = application()
        established = {"ref": "1", "kind": "ESTABLISH", "uscc": entity["uscc"], "effectiveOn": "2024-03-01",
                       "registration": entity}  # fmt: skip
        await hub.graphql(registry, CHANGES, changes=[established])
        target = {"uscc": entity["uscc"], "name": entity["name"], "districtCode": FUTIAN,
                  "stationCode": HUAQIANGBEI, "riskGrade": "C"}  # fmt: skip
        assert (await hub.graphql(registry, TARGETS, t=[target]))["data"] == {
            "registerInspectionTargets": {"written": 1}
        }
        signed_in = await officers(hub)
        head, inspector = signed_in["futian.head"][0], signed_in["insp-a"][0]
        subjects = sorted(signed_in[name][1] for name in ("insp-a", "insp-b"))
        for subject in subjects:
            assert "errors" not in await hub.graphql(head, INSPECTOR, s=subject)
        opened = await hub.graphql(head, OPEN, input=complaint(entity["uscc"], *subjects))
        task = opened["data"]["openInspectionTask"]["task"]
        joined = (await hub.graphql(inspector, ENTITY, uscc=entity["uscc"]))["data"]["entity"]
        assert joined == {
            "name": entity["name"],
            "riskGrade": "C",
            "openTasks": [{"source": "COMPLAINT", "status": "ASSIGNED", "inspectors": subjects}],
            "inspections": [],
        }
        refused = await hub.graphql(head, CLOSE, id=task["id"])
        assert [error["extensions"]["code"] for error in refused["errors"]] == ["ILLEGAL_TRANSITION"]
        forbidden = await hub.graphql(
            inspector, DRAW, input={"name": "x", "districtCode": FUTIAN, "items": ["FOOD-PROCESSING"], "count": 1}
        )
        assert [error["extensions"]["code"] for error in forbidden.get("errors", [])] == [
            "UNAUTHORIZED_FIELD_OR_TYPE"
        ], forbidden  # @policy at the gateway
        assert (await hub.graphql(head, READ, id=task["id"]))["data"]["inspectionTask"]["status"] == "ASSIGNED"
        plan = {"name": "福田 第一批", "districtCode": FUTIAN, "items": ["FOOD-PROCESSING"], "count": 1}
        drawn = (await hub.graphql(head, DRAW, input=plan))["data"]["drawInspectionPlan"]
        assert drawn["drawn"] == 1
        verified = (await hub.graphql(head, VERIFY, id=drawn["plan"]["id"]))["data"]["verifyDraw"]
        assert verified["matches"] is True
        empty = await hub.graphql(head, DRAW, input={**plan, "stationCodes": ["440304001"]})
        assert [error["extensions"]["code"] for error in empty["errors"]] == ["EMPTY_TARGET_POOL"]
        reader = await hub.machine_client("entities:read", "jurisdiction:city")  # no supervision scope
        unscoped = await hub.graphql(reader, READ, id=task["id"])
        assert unscoped.get("data") in (None, {"inspectionTask": None})

"""An enterprise user (市场通) reaches its own entities and nothing else: in every supervised table, through every
query and ``_entities`` of each subgraph, in every write, and end to end — signed in at the provider's enterprise
entrance, through the gateway."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from hub.components import SUBGRAPHS
from identity.directory import Directory
from identity.seed import DEMO_PASSWORD
from kernel.db import Database
from kernel.orgtree import default_org_tree
from kernel.uscc import complete_uscc
from subgraphs.common.component import SubgraphComponent, Wiring
from subgraphs.common.jurisdiction import Jurisdiction, Supervised, open_request_session, request_sessions
from subgraphs.enforcement.component import component as enforcement
from subgraphs.enforcement.models import CaseRow, PenaltyPublicityRow
from subgraphs.entities.component import component as entities
from subgraphs.permits.component import component as permits
from tests.identity.browser import Browser
from tests.support.components import app_of, migrated
from tests.support.graphql import post_as
from tests.support.hub import RunningHub, running_hub
from tests.support.identities import CITY_OFFICER, enterprise_user

MINE, THEIRS = complete_uscc("91440300MA5F00001"), complete_uscc("91440300MA5F00002")
PREMISES = {MINE: "广东省深圳市福田区华强北街道振华路8号", THEIRS: "广东省深圳市南山区蛇口街道工业八路2号"}
REGISTER = "mutation($input: RegisterEntityInput!) { registerEntity(input: $input) { entity { uscc } } }"
RECORD = "mutation($input: RecordPermitInput!) { recordPermit(input: $input) { permit { id number } } }"
SUBMIT = """mutation($input: PermitApplicationInput!) {
  submitPermitApplication(input: $input) { application { id applicantUscc state } } }"""
RENEW = """mutation($id: ID!) {
  renewPermit(permitId: $id, input: {applicantName: "x", legalRepresentative: "张伟"}) { application { id } } }"""
ACCEPT = "mutation($id: ID!) { acceptApplication(id: $id) { application { id } } }"
ENTITIES = "{ entities(first: 100) { edges { node { uscc legalRepresentative { phone } } } } }"
ENTITY = "query($u: String!) { entity(uscc: $u) { uscc } }"
PERMITS = "{ permits(first: 100) { edges { node { id holderUscc } } } }"
APPLICATIONS = "{ permitApplications(first: 100) { edges { node { id applicantUscc } } } }"


def registration(uscc: str) -> dict[str, Any]:
    return {
        "uscc": uscc, "name": f"深圳市{uscc[-4:]}餐饮有限公司", "entityType": "COMPANY", "establishedOn": "2020-03-01",
        "legalRepresentative": {"name": "张伟", "idNumber": "440304199001011233", "phone": "13812345678"},
        "domicile": PREMISES[uscc], "premises": PREMISES[uscc], "businessScope": "餐饮服务。",
    }  # fmt: skip


def permit(uscc: str, serial: int) -> dict[str, Any]:
    region = "440304" if uscc == MINE else "440305"
    return {
        "kind": "JY", "number": f"JY2{region}0{serial:05d}7", "holderUscc": uscc, "holderName": "测试",
        "premisesAddress": PREMISES[uscc], "premisesRegion": region,
        "items": ["CATERING_HOT@JY-2015"], "validFrom": "2022-03-01", "validTo": "2027-02-28",
    }  # fmt: skip


def application(uscc: str) -> dict[str, Any]:
    return {
        "kind": "JY", "applicantUscc": uscc, "applicantName": "测试", "legalRepresentative": "张伟",
        "premisesAddress": PREMISES[uscc], "premisesRegion": "440304", "items": ["CATERING_HOT"], "businessForm": 2,
    }  # fmt: skip


LEAD = "mutation($input: LeadInput!) { registerLead(input: $input) { case { id } } }"


def case_lead(uscc: str) -> dict[str, Any]:
    region = "440304" if uscc == MINE else "440305"
    return {
        "partyUscc": uscc, "partyName": "测试", "premisesAddress": PREMISES[uscc], "premisesRegion": region,
        "summary": "x",
    }  # fmt: skip


async def publicity_of(database: Database, case_id: str) -> None:
    """A penalty publicity row of the case's party (written as the decision would write it)."""
    async with database.transaction() as session:
        case = await session.get(CaseRow, case_id)
        assert case is not None
        row = PenaltyPublicityRow(
            id=f"publicity-{case_id}", case_id=case_id, party_uscc=case.party_uscc, district_code=case.district_code,
            station_code=case.station_code, food_safety=True, penalties=["FINE"], fine=1000,
            decided_on=case.discovered_on, publish_due_on=case.discovered_on, status="PENDING", display_months=3,
            updated_at=case.updated_at,
        )  # fmt: skip
        session.add(row)


DEVICE = "mutation($input: RegisterDeviceInput!) { registerDevice(input: $input) { device { id } } }"
CAMERA = "mutation($input: RegisterCameraInput!) { registerCamera(input: $input) { camera { id } } }"
DETECTIONS = "mutation($input: KitchenDetectionsInput!) { reportKitchenDetections(input: $input) { seq } }"
QUICK_TESTS = "mutation($input: QuickTestsInput!) { recordQuickTests(input: $input) { accepted } }"
TASK = 'mutation { createSamplingTask(title: "抽检", unitCode: "440300") { id } }'
SAMPLE = """mutation($t: ID!, $u: String!, $a: String!, $r: String!) { recordSample(taskId: $t, uscc: $u,
  premisesAddress: $a, premisesRegion: $r, foodName: "大米", categoryCode: "大米", sampledOn: "2025-09-01",
  lab: "lab") { sample { id } } }"""


async def detection_records(http: httpx.AsyncClient, uscc: str, serial: int) -> None:
    """An edge box, its camera and an alert; a quick-test kit and a reading; a sample — at the entity's premises."""
    region = "440304" if uscc == MINE else "440305"
    box, kit, camera = f"EDGE-{serial}", f"KIT-{serial}", f"CAM-{serial}"
    where = {"uscc": uscc, "label": "x", "premisesAddress": PREMISES[uscc], "premisesRegion": region}
    for device_id, kind in ((box, "EDGE_BOX"), (kit, "QUICK_TEST_KIT")):
        data(await post_as(http, CITY_OFFICER, DEVICE, {"input": {"deviceId": device_id, "kind": kind, **where}}))
    data(await post_as(http, CITY_OFFICER, CAMERA, {"input": {"cameraId": camera, "deviceId": box, "location": "x"}}))
    frame = {
        "deviceId": box,
        "seq": 1,
        "cameraId": camera,
        "capturedAt": "2025-09-01T04:00:00+00:00",
        "frameSha256": "ab" * 32,
        "frameRef": "f",
        "modelName": "m",
        "modelVersion": "1",
        "detections": [{"category": "NO_HAT", "confidence": 0.9, "box": {"x": 0, "y": 0, "w": 1, "h": 1}}],
    }
    data(await post_as(http, CITY_OFFICER, DETECTIONS, {"input": frame}))
    reading = {
        "seq": 1,
        "uscc": uscc,
        "sampleName": "韭菜",
        "item": "PESTICIDE_INHIBITION",
        "value": 10.0,
        "unit": "%",
        "testedAt": "2025-09-01T04:00:00+00:00",
    }
    tested = data(await post_as(http, CITY_OFFICER, QUICK_TESTS, {"input": {"deviceId": kit, "readings": [reading]}}))
    assert tested["recordQuickTests"]["accepted"] == 1
    task = data(await post_as(http, CITY_OFFICER, TASK, {}))["createSamplingTask"]["id"]
    data(await post_as(http, CITY_OFFICER, SAMPLE, {"t": task, "u": uscc, "a": PREMISES[uscc], "r": region}))


def resolve(selection: str) -> str:
    """``_entities`` (what the gateway asks a subgraph for a join) with one inline fragment."""
    return f"query($r: [_Any!]!) {{ _entities(representations: $r) {{ ... on {selection} }} }}"


def data(body: dict[str, Any]) -> Any:
    assert "errors" not in body, body
    return body["data"]


def codes(body: dict[str, Any]) -> set[str]:
    return {error["extensions"]["code"] for error in body.get("errors") or ()}


SUPERVISION = {
    "targets": """mutation($t: [TargetInput!]!) { registerInspectionTargets(targets: $t) { written } }""",
    "inspector": """mutation($s: String!, $d: String!) {
      registerInspector(subject: $s, name: $s, districtCode: $d) { written } }""",
    "open": """mutation($i: OpenTaskInput!) { openInspectionTask(input: $i) { task { id } } }""",
    "start": """mutation($id: ID!) { startInspection(id: $id) { task { id } } }""",
    "record": """mutation($id: ID!) { recordInspection(id: $id, findings: [
      {itemCode: "FOOD-PROCESSING", outcome: COMPLIANT, handling: NONE}]) { record { id } } }""",
    "draw": """mutation { drawInspectionPlan(input: {name: "p", districtCode: "440304", items: ["FOOD-PROCESSING"],
      count: 1}) { drawn } }""",
}


async def inspected(http: httpx.AsyncClient) -> None:
    """One inspected task (with its target entry and record) per entity, and a random-inspection plan."""
    district = {MINE: "440304", THEIRS: "440305"}
    targets = [{"uscc": u, "name": "测试", "districtCode": d} for u, d in district.items()]
    data(await post_as(http, CITY_OFFICER, SUPERVISION["targets"], {"t": targets}))
    for subject in (CITY_OFFICER.subject, "inspector-2"):
        data(await post_as(http, CITY_OFFICER, SUPERVISION["inspector"], {"s": subject, "d": "440304"}))
    for uscc, code in district.items():
        task = {"source": "COMPLAINT", "uscc": uscc, "reason": "举报", "districtCode": code,
                "inspectors": [CITY_OFFICER.subject, "inspector-2"]}  # fmt: skip
        opened = data(await post_as(http, CITY_OFFICER, SUPERVISION["open"], {"i": task}))
        task_id = opened["openInspectionTask"]["task"]["id"]
        data(await post_as(http, CITY_OFFICER, SUPERVISION["start"], {"id": task_id}))
        data(await post_as(http, CITY_OFFICER, SUPERVISION["record"], {"id": task_id}))
    data(await post_as(http, CITY_OFFICER, SUPERVISION["draw"], {}))


@pytest.fixture(scope="module")
async def world(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[dict[str, Any]]:
    """Both subgraphs over one SQLite database with two entities, their permits and an application each."""
    path = tmp_path_factory.mktemp("enterprise") / "scope.db"
    database = await migrated(f"sqlite+aiosqlite:///{path}", *SUBGRAPHS)
    http = {}
    for component in SUBGRAPHS:
        app = app_of(component, database, component.services(Wiring()))
        http[component.name] = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sub")
    ids: dict[str, Any] = {"permit": {}, "application": {}}
    for serial, uscc in enumerate((MINE, THEIRS), start=1):
        data(await post_as(http["entities"], CITY_OFFICER, REGISTER, {"input": registration(uscc)}))
        recorded = data(await post_as(http["permits"], CITY_OFFICER, RECORD, {"input": permit(uscc, serial)}))
        ids["permit"][uscc] = recorded["recordPermit"]["permit"]["id"]
        submitted = data(await post_as(http["permits"], CITY_OFFICER, SUBMIT, {"input": application(uscc)}))
        ids["application"][uscc] = submitted["submitPermitApplication"]["application"]["id"]
        await detection_records(http["detection"], uscc, serial)
        lead = data(await post_as(http["enforcement"], CITY_OFFICER, LEAD, {"input": case_lead(uscc)}))
        await publicity_of(database, lead["registerLead"]["case"]["id"])
    await inspected(http["supervision"])
    yield {"http": http, "database": database, **ids}
    for client in http.values():
        await client.aclose()
    await database.dispose()


async def test_every_supervised_table_shows_an_enterprise_user_its_own_rows_only(world: dict[str, Any]) -> None:
    database: Database = world["database"]
    checked = []
    for component in SUBGRAPHS:
        for mapper in component.models.registry.mappers:
            model = mapper.class_
            if not issubclass(model, Supervised):
                continue
            for uscc in (MINE, THEIRS):  # one after the other: the cached statement binds each user's own USCCs
                async with database.transaction() as system:
                    held = await system.scalar(select(func.count()).select_from(model).where(model.holder_key == uscc))
                jurisdiction = Jurisdiction.of(enterprise_user(uscc), default_org_tree(), component.scopes)
                session = open_request_session(request_sessions(database.engine), jurisdiction)
                try:
                    seen = (await session.scalars(select(model))).all()
                finally:
                    await session.close()
                if model.holder is None:  # a district's plan: no entity holds it, an enterprise user sees none
                    assert seen == [] and held == 0, model.__name__
                    continue
                assert {row.holder_key for row in seen} == {uscc}, model.__name__
                assert len(seen) == held
            checked.append(model.__name__)
    assert {
        "MarketEntityRow",
        "PermitRow",
        "PermitApplicationRow",
        "InspectionTaskRow",
        "InspectionTargetRow",
        "CaseRow",
        "PenaltyPublicityRow",
    } <= set(checked)


async def test_every_query_and_entities_reference_of_each_subgraph_shows_its_own_only(world: dict[str, Any]) -> None:
    user, http = enterprise_user(MINE), world["http"]
    listed = data(await post_as(http["entities"], user, ENTITIES, {}))["entities"]["edges"]
    assert [edge["node"]["uscc"] for edge in listed] == [MINE]
    assert listed[0]["node"]["legalRepresentative"]["phone"] == "138****5678"  # no purpose of its role: masked
    theirs = await post_as(http["entities"], user, ENTITY, {"u": THEIRS})
    assert theirs["data"] == {"entity": None} and codes(theirs) == {"NOT_FOUND"}
    references = [{"__typename": "MarketEntity", "uscc": uscc} for uscc in (MINE, THEIRS)]
    found = data(await post_as(http["entities"], user, resolve("MarketEntity { uscc }"), {"r": references}))
    assert found["_entities"] == [{"uscc": MINE}, None]
    held = data(
        await post_as(http["permits"], user, resolve("MarketEntity { uscc permits { holderUscc } }"), {"r": references})
    )
    assert held["_entities"] == [{"uscc": MINE, "permits": [{"holderUscc": MINE}]}, {"uscc": THEIRS, "permits": []}]
    by_key = [{"__typename": "Permit", "id": world["permit"][uscc]} for uscc in (MINE, THEIRS)]
    permits_found = data(await post_as(http["permits"], user, resolve("Permit { holderUscc }"), {"r": by_key}))
    assert permits_found["_entities"] == [{"holderUscc": MINE}, None]
    listed_permits = data(await post_as(http["permits"], user, PERMITS, {}))["permits"]["edges"]
    assert [edge["node"]["holderUscc"] for edge in listed_permits] == [MINE]
    apps = data(await post_as(http["permits"], user, APPLICATIONS, {}))["permitApplications"]["edges"]
    assert [edge["node"]["applicantUscc"] for edge in apps] == [MINE]
    other = await post_as(http["permits"], user, "query($id: ID!) { permitApplication(id: $id) { id } }",
                          {"id": world["application"][THEIRS]})  # fmt: skip
    assert other["data"] == {"permitApplication": None}


async def test_an_enterprise_user_applies_and_renews_for_its_own_entities_only(world: dict[str, Any]) -> None:
    user, http = enterprise_user(MINE, roles=("enterprise_staff",)), world["http"]
    applied = data(await post_as(http["permits"], user, SUBMIT, {"input": application(MINE)}))
    assert applied["submitPermitApplication"]["application"]["applicantUscc"] == MINE
    for_another = await post_as(http["permits"], user, SUBMIT, {"input": application(THEIRS)})
    assert codes(for_another) == {"FORBIDDEN"}
    renew_theirs = await post_as(http["permits"], user, RENEW, {"id": world["permit"][THEIRS]})
    assert codes(renew_theirs) == {"FORBIDDEN"}
    renew_mine = await post_as(http["permits"], user, RENEW, {"id": world["permit"][MINE]})
    assert "FORBIDDEN" not in codes(renew_mine)  # (outside its renewal window: a domain answer, not a refusal)
    officer_step = await post_as(http["permits"], user, ACCEPT, {"id": world["application"][MINE]})
    assert codes(officer_step) == {"FORBIDDEN"}
    assert officer_step["errors"][0]["extensions"]["action"] == "permits.accept_application"
    entity_change = await post_as(http["entities"], user, REGISTER, {"input": registration(MINE)})
    assert codes(entity_change) == {"FORBIDDEN"}


async def test_without_a_confirmed_entity_an_enterprise_user_reaches_nothing(world: dict[str, Any]) -> None:
    pending = enterprise_user()  # registered, the legal representative has not confirmed yet
    http = world["http"]
    assert data(await post_as(http["entities"], pending, ENTITIES, {}))["entities"]["edges"] == []
    assert data(await post_as(http["permits"], pending, PERMITS, {}))["permits"]["edges"] == []
    assert codes(await post_as(http["permits"], pending, SUBMIT, {"input": application(MINE)})) == {"FORBIDDEN"}


def test_every_supervised_model_names_its_holder_column() -> None:
    components: list[SubgraphComponent[Any, Any]] = [entities, permits, enforcement]
    for component in components:
        for mapper in component.models.registry.mappers:
            model = mapper.class_
            if issubclass(model, Supervised):
                assert model.holder is not None and model.holder in mapper.columns, f"{model.__name__}: no holder"


# ---------------------------------------------------------------- end to end


@pytest.fixture
async def hub(sqlite_database_url: str, tmp_path: Path) -> AsyncIterator[RunningHub]:
    async with running_hub(sqlite_database_url, tmp_path) as running:
        yield running


async def test_through_the_gateway_a_signed_in_enterprise_user_sees_its_own_only(hub: RunningHub) -> None:
    feed = await hub.machine_client("entities:write", "permits:write", "jurisdiction:city",
                                    roles=("registry_feed", "permit_archive"))  # fmt: skip
    for serial, uscc in enumerate((MINE, THEIRS), start=1):
        data(await hub.graphql(feed, REGISTER, input=registration(uscc)))
        data(await hub.graphql(feed, RECORD, input=permit(uscc, serial)))
    directory = Directory(hub.hub.database)
    await directory.add_client(
        "shichangtong", "市场通", token_endpoint_auth_method="none", grant_types=["authorization_code"],
        scopes=["openid", "entities:read", "permits:read", "permits:write"],
        redirect_uris=["http://127.0.0.1:4000/auth/callback"],
    )  # fmt: skip
    await directory.add_enterprise_user("hq.owner", DEMO_PASSWORD, "华强 管理员", MINE, "张伟")
    browser = Browser(hub.provider)
    scope = "openid entities:read permits:read permits:write"
    refused = await browser.sign_in_for_code("hq.owner", "enterprise", client_id="shichangtong", scope=scope)
    before = (await browser.redeem(refused["code"], client_id="shichangtong")).json()["access_token"]
    nothing = data(await hub.graphql(before, "{ entities(first: 10) { edges { node { uscc } } } }"))
    assert nothing["entities"]["edges"] == []  # registered, not yet confirmed by the legal representative
    officer = await hub.machine_client("enterprise:confirm", roles=())
    confirmed = await hub.provider.post(
        "/enterprise/confirmations", json={"username": "hq.owner", "uscc": MINE, "confirmed": True},
        headers={"authorization": f"Bearer {officer}"},
    )  # fmt: skip
    assert confirmed.json()["status"] == "CONFIRMED", confirmed.text
    browser = Browser(hub.provider)
    query = await browser.sign_in_for_code("hq.owner", "enterprise", client_id="shichangtong", scope=scope)
    assert "code" in query
    token = (await browser.redeem(query["code"], client_id="shichangtong")).json()["access_token"]
    joined = "{ entities(first: 10) { edges { node { uscc name permits { number holderUscc } } } } }"
    edges = data(await hub.graphql(token, joined))["entities"]["edges"]
    assert [edge["node"]["uscc"] for edge in edges] == [MINE]
    assert [p["holderUscc"] for p in edges[0]["node"]["permits"]] == [MINE]
    theirs = await hub.graphql(token, ENTITY, u=THEIRS)
    assert theirs["data"] == {"entity": None}
    assert codes(await hub.graphql(token, SUBMIT, input=application(THEIRS))) == {"FORBIDDEN"}
    assert data(await hub.graphql(token, SUBMIT, input=application(MINE)))  # its own application goes through

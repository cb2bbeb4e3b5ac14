"""A real detection subgraph per test: migrated database (SQLite and PostgreSQL), ASGI app, settable clock; the
callers: a Futian inspector, the ingestion adapter's machine client, a lab analyst, the operator."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from kernel.clock import BEIJING
from kernel.db import Database
from kernel.principal import Principal
from kernel.uscc import complete_uscc
from subgraphs.detection.component import component
from subgraphs.detection.services import DetectionServices
from tests.support.clock import Clock
from tests.support.components import app_of, migrated
from tests.support.graphql import data_of, only_error, post_as
from tests.support.identities import FUTIAN, enterprise_user, machine, officer

USCC = complete_uscc("91440300MA5F00001")
OTHER_USCC = complete_uscc("91440300MA5F00002")
ADDRESS = "深圳市福田区南园街道滨河路1号"
NOW = dt.datetime(2025, 9, 26, 10, 0, tzinfo=BEIJING)  # a Friday
FRAME = "ab" * 32

INSPECTOR = officer(FUTIAN, subject="futian.inspector", roles=("inspector",))
LAB = officer(FUTIAN, subject="futian.lab", roles=("lab_analyst",))
GATEWAY = machine("zhijian-ingest", "detection:write", "jurisdiction:city", roles=("device_gateway",))
OPERATOR = enterprise_user(USCC, subject="operator", roles=("enterprise_owner",))

REGISTER_DEVICE = """mutation($input: RegisterDeviceInput!) { registerDevice(input: $input) {
  device { id kind uscc districtCode stationCode } } }"""
REGISTER_CAMERA = (
    """mutation($input: RegisterCameraInput!) { registerCamera(input: $input) { camera { id deviceId } } }"""
)
ALERT_FIELDS = """id state category confidence cameraId frameSha256 evidenceSha256 sealedAt rectifyBy reviewedBy
  escalationReason allowedNextStates boxes { x y w h confidence } transitions { fromState toState actor reason }"""
REPORT = f"""mutation($input: KitchenDetectionsInput!) {{ reportKitchenDetections(input: $input) {{
  deviceId seq duplicate alerts {{ {ALERT_FIELDS} }} suppressed {{ category reason }} }} }}"""
QUICK = """mutation($input: QuickTestsInput!) { recordQuickTests(input: $input) {
  deviceId accepted rejected results { seq accepted duplicate code reason
    quickTest { id item value unit outcome labTestRequired objectionUntil } } } }"""


@dataclass
class GraphQLError(Exception):
    message: str
    extensions: dict[str, Any]


@dataclass
class Subgraph:
    http: httpx.AsyncClient
    database: Database
    clock: Clock
    caller: Principal = INSPECTOR

    def as_(self, caller: Principal) -> Subgraph:
        return replace(self, caller=caller)

    async def execute(self, query: str, **variables: Any) -> dict[str, Any]:
        return await post_as(self.http, self.caller, query, variables)

    async def data(self, query: str, **variables: Any) -> dict[str, Any]:
        return data_of(await self.execute(query, **variables))

    async def error(self, query: str, **variables: Any) -> GraphQLError:
        error = only_error(await self.execute(query, **variables))
        return GraphQLError(error["message"], error.get("extensions") or {})

    async def count(self, table: str) -> int:
        prefix = "" if self.database.is_sqlite else "detection."
        async with self.database.engine.connect() as connection:
            return int((await connection.execute(text(f"SELECT count(*) FROM {prefix}{table}"))).scalar_one())

    async def events(self) -> list[tuple[str, str]]:
        prefix = "" if self.database.is_sqlite else "jobs."
        async with self.database.engine.connect() as connection:
            rows = await connection.execute(text(f"SELECT event_type, aggregate FROM {prefix}job_event ORDER BY id"))
            return [(row[0], row[1]) for row in rows]


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    database = await migrated(database_url, component)
    yield database
    await database.dispose()


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
async def subgraph(database: Database, clock: Clock) -> AsyncIterator[Subgraph]:
    app = app_of(component, database, DetectionServices(clock=clock))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://detection.test") as http:
        yield Subgraph(http=http, database=database, clock=clock)


def device(device_id: str = "EDGE-1", kind: str = "EDGE_BOX", uscc: str = USCC, **extra: Any) -> dict[str, Any]:
    return {
        "deviceId": device_id,
        "kind": kind,
        "uscc": uscc,
        "label": "后厨边缘盒",
        "premisesAddress": ADDRESS,
        "premisesRegion": "440304",
        **extra,
    }


def detections(
    seq: int, *items: tuple[str, float], at: dt.datetime = NOW, camera: str = "CAM-1", frame: str = FRAME
) -> dict[str, Any]:
    return {
        "deviceId": "EDGE-1", "seq": seq, "cameraId": camera, "capturedAt": at.isoformat(), "frameSha256": frame,
        "frameRef": f"s3://frames/EDGE-1/{seq}.jpg", "modelName": "kitchen_detector", "modelVersion": "1",
        "detections": [{"category": c, "confidence": p, "box": {"x": 0.1, "y": 0.2, "w": 0.3, "h": 0.4}}
                       for c, p in items],
    }  # fmt: skip


async def with_camera(subgraph: Subgraph) -> None:
    await subgraph.data(REGISTER_DEVICE, input=device())
    await subgraph.data(REGISTER_CAMERA, input={"cameraId": "CAM-1", "deviceId": "EDGE-1", "location": "热厨"})


async def an_alert(subgraph: Subgraph, category: str = "NO_HAT", seq: int = 1, at_minute: int = 0) -> dict[str, Any]:
    """A CANDIDATE alert from the edge box (registered first when needed), seen ``at_minute`` minutes before now."""
    if await subgraph.count("device") == 0:
        await with_camera(subgraph)
    at = NOW - dt.timedelta(minutes=at_minute)
    result = await subgraph.as_(GATEWAY).data(REPORT, input=detections(seq, (category, 0.9), at=at))
    alert: dict[str, Any] = result["reportKitchenDetections"]["alerts"][0]
    return alert

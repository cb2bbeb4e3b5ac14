"""Through the real gateway and provider: an officer registers an edge box and its camera, the ingestion adapter's
machine client (role device_gateway) reports detections and readings, a resend changes nothing, and the alert is
read back; callers without the role are refused at the gateway."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from kernel.roles import Role
from tests.subgraphs.detection.conftest import (
    QUICK,
    REGISTER_CAMERA,
    REGISTER_DEVICE,
    REPORT,
    detections,
    device,
)
from tests.subgraphs.detection.test_ingestion import reading
from tests.subgraphs.test_roles import token_for
from tests.support.hub import RunningHub, running_hub
from tests.support.identities import CITY, officer

ALERT = "query($id: ID!) { kitchenAlert(id: $id) { state category cameraId } }"


@pytest.fixture
async def hub(tmp_path: Path) -> AsyncIterator[RunningHub]:
    async with running_hub(f"sqlite+aiosqlite:///{tmp_path / 'hub.db'}", tmp_path) as running:
        yield running


async def test_devices_report_through_the_gateway_as_the_ingestion_client(hub: RunningHub) -> None:
    admin = officer(CITY, roles=("admin",), subject="city.admin")
    officer_token = await token_for(hub, Role.ADMIN, admin, "openid detection:write")
    for document, value in (
        (REGISTER_DEVICE, device()),
        (REGISTER_CAMERA, {"cameraId": "CAM-1", "deviceId": "EDGE-1", "location": "热厨"}),
        (REGISTER_DEVICE, device("KIT-1", "QUICK_TEST_KIT")),
    ):
        assert "errors" not in await hub.graphql(officer_token, document, input=value)

    ingest = await hub.machine_client("detection:write", "jurisdiction:city", roles=("device_gateway",))
    message = detections(1, ("NO_MASK", 0.88))
    first = await hub.graphql(ingest, REPORT, input=message)
    again = await hub.graphql(ingest, REPORT, input=message)
    assert "errors" not in first and "errors" not in again, (first, again)
    (alert,) = first["data"]["reportKitchenDetections"]["alerts"]
    assert again["data"]["reportKitchenDetections"]["alerts"] == [alert]
    assert again["data"]["reportKitchenDetections"]["duplicate"] is True
    quick = await hub.graphql(ingest, QUICK, input={"deviceId": "KIT-1", "readings": [reading(1)]})
    assert quick["data"]["recordQuickTests"]["accepted"] == 1

    read = await hub.graphql(officer_token, ALERT, id=alert["id"])
    assert read["data"]["kitchenAlert"] == {"state": "CANDIDATE", "category": "NO_MASK", "cameraId": "CAM-1"}

    stranger = await hub.machine_client("detection:write", "jurisdiction:city")
    refused = await hub.graphql(stranger, REPORT, input=detections(2, ("NO_MASK", 0.88)))
    assert refused["errors"][0]["extensions"]["code"] == "UNAUTHORIZED_FIELD_OR_TYPE"

"""Through the hub: a device's token from our provider in call metadata, the gateway's validator, and the detection
subgraph (owner of the device registry) reached through the gateway as the ingestion adapter's machine client.

A frame of a worker without a hat becomes one kitchen alert, once, however often the box resends it; readings are
taken once per (device, seq) across streams; a device of other premises, an unknown camera, a missing or weak token
are refused with their codes."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import grpc
import pytest

from adapters.component import INGEST_CLIENT
from adapters.ingest.auth import SCOPE, TokenAuthenticator
from adapters.ingest.client import upload
from adapters.ingest.detector import FrameDetector
from adapters.ingest.graph import GraphIngestSink
from adapters.ingest.proto import ingest_pb2 as pb
from adapters.ingest.proto.ingest_pb2_grpc import EdgeIngestStub
from adapters.ingest.server import RunningServer, serving
from identity.directory import Directory
from identity.passwords import generate_secret
from inference.backends import OnnxRuntimeBackend
from kernel.roles import Role
from tests.adapters.ingest.conftest import code_of, stamp
from tests.adapters.ingest.test_cameras import FRAME
from tests.subgraphs.detection.conftest import REGISTER_CAMERA, REGISTER_DEVICE, USCC, device
from tests.subgraphs.test_roles import token_for
from tests.support.hub import RunningHub, running_hub
from tests.support.identities import CITY, officer

LUNCH = dt.datetime(2026, 6, 1, 4, 0, tzinfo=dt.UTC)  # 12:00 in Beijing, opening hours
ALERTS = "{ kitchenAlerts { id category cameraId } }"
QUICK_TESTS = "query($uscc: String!) { quickTests(uscc: $uscc) { seq } }"


@pytest.fixture
async def hub(tmp_path: Path) -> AsyncIterator[RunningHub]:
    async with running_hub(f"sqlite+aiosqlite:///{tmp_path / 'hub.db'}", tmp_path) as running:
        yield running


@pytest.fixture
async def officer_token(hub: RunningHub) -> str:
    admin = officer(CITY, roles=("admin",), subject="city.admin")
    token = await token_for(hub, Role.ADMIN, admin, "openid detection:read detection:write")
    for document, value in (
        (REGISTER_DEVICE, device("EDGE-1")),
        (REGISTER_CAMERA, {"cameraId": "CAM-1", "deviceId": "EDGE-1", "location": "热厨"}),
        (REGISTER_DEVICE, device("KIT-1", "QUICK_TEST_KIT")),
    ):
        assert "errors" not in await hub.graphql(token, document, input=value)
    return token


@pytest.fixture
async def server(hub: RunningHub, officer_token: str, tmp_path: Path) -> AsyncIterator[RunningServer]:
    graph = hub.hub.jobs.services["adapters"].graph(INGEST_CLIENT)
    assert hub.hub.validator is not None
    detector = FrameDetector(OnnxRuntimeBackend())
    authenticators = [TokenAuthenticator(hub.hub.validator)]
    async with serving(GraphIngestSink(graph), authenticators, detector, frames=tmp_path / "frames", grace=0.5) as up:
        yield up


async def device_token(hub: RunningHub, client_id: str, *scopes: str) -> str:
    """A device's client at our provider (client id = device id) and a client-credentials token for it."""
    secret = generate_secret()
    await Directory(hub.hub.database).add_client(
        client_id, f"device {client_id}", token_endpoint_auth_method="client_secret_basic",
        grant_types=("client_credentials",), scopes=scopes, secret=secret, secret_generated=True,
    )  # fmt: skip
    answer = await hub.provider.post(
        "/token", data={"grant_type": "client_credentials", "scope": " ".join(scopes)}, auth=(client_id, secret)
    )
    assert answer.status_code == 200, answer.text
    return str(answer.json()["access_token"])


def frame(seq: int, **changes: object) -> pb.FrameRequest:
    fields: dict[str, object] = {
        "device_id": "EDGE-1", "seq": seq, "premises_id": USCC, "camera_id": "CAM-1", "captured_at": stamp(LUNCH),
        "image": FRAME,
    }  # fmt: skip
    return pb.FrameRequest(**{**fields, **changes})


def reading(seq: int, **changes: object) -> pb.Reading:
    fields: dict[str, object] = {
        "seq": seq, "premises_id": USCC, "sample": "小白菜", "analyte": "PESTICIDE_INHIBITION", "value": 12.5,
        "unit": "%", "measured_at": stamp(LUNCH + dt.timedelta(minutes=seq)),
    }  # fmt: skip
    return pb.Reading(**{**fields, **changes})


async def test_a_frame_becomes_one_kitchen_alert_however_often_it_is_sent(
    hub: RunningHub, server: RunningServer, officer_token: str
) -> None:
    token = await device_token(hub, "EDGE-1", SCOPE)
    async with grpc.aio.insecure_channel(f"127.0.0.1:{server.port}") as channel:
        box, auth = EdgeIngestStub(channel), (("authorization", f"Bearer {token}"),)
        first = await box.SubmitFrame(frame(1), metadata=auth, timeout=30)
        again = await box.SubmitFrame(frame(1), metadata=auth, timeout=30)

        elsewhere = box.SubmitFrame(frame(2, premises_id="91110000101623741K"), metadata=auth, timeout=30)
        unknown_camera = box.SubmitFrame(frame(3, camera_id="CAM-9"), metadata=auth, timeout=30)
        for call, status, code in (
            (elsewhere, grpc.StatusCode.PERMISSION_DENIED, "WRONG_PREMISES"),
            (unknown_camera, grpc.StatusCode.NOT_FOUND, "UNKNOWN_CAMERA"),
        ):
            with pytest.raises(grpc.aio.AioRpcError) as caught:
                await call
            assert (caught.value.code(), code_of(caught.value)) == (status, code), caught.value.details()

    assert (first.status, again.status) == (pb.Receipt.ACCEPTED, pb.Receipt.DUPLICATE)
    assert first.alerts == again.alerts == 1
    alerts = (await hub.graphql(officer_token, ALERTS))["data"]["kitchenAlerts"]
    assert [(a["category"], a["cameraId"]) for a in alerts] == [("NO_HAT", "CAM-1")]


async def test_readings_are_taken_once_across_streams_and_refused_one_by_one(
    hub: RunningHub, server: RunningServer, officer_token: str
) -> None:
    token = await device_token(hub, "KIT-1", SCOPE)
    future = stamp(dt.datetime(2099, 1, 1, tzinfo=dt.UTC))  # refused by the subgraph itself
    readings = [
        reading(1),
        reading(2, unit="kg"),
        reading(3),
        reading(4, value=150.0),
        reading(5),
        reading(6, measured_at=future),
    ]
    async with grpc.aio.insecure_channel(f"127.0.0.1:{server.port}") as channel:
        kit, auth = EdgeIngestStub(channel), (("authorization", f"Bearer {token}"),)
        report = await upload(lambda: kit, "KIT-1", readings, batch=2, metadata=auth)
        resent = await upload(lambda: kit, "KIT-1", readings, batch=5, metadata=auth)

    assert report.acked_through == 6
    assert sorted((r.seq, r.code) for r in report.rejected) == [
        (2, "INVALID_READING"),
        (4, "INVALID_READING"),
        (6, "READING_IN_FUTURE"),
    ]
    assert resent.duplicates == 3 and resent.acked_through == 6  # the subgraph recognised seqs 1, 3 and 5
    taken = (await hub.graphql(officer_token, QUICK_TESTS, uscc=USCC))["data"]["quickTests"]
    assert sorted(t["seq"] for t in taken) == [1, 3, 5]


async def test_devices_without_a_good_token_are_refused(hub: RunningHub, server: RunningServer) -> None:
    weak = await device_token(hub, "EDGE-1", "detection:read")  # a client of ours, but not a device's
    kit = await device_token(hub, "KIT-1", SCOPE)
    async with grpc.aio.insecure_channel(f"127.0.0.1:{server.port}") as channel:
        box = EdgeIngestStub(channel)
        for metadata, code in (
            ((), "UNAUTHENTICATED"),
            ((("authorization", "Bearer not.a.jwt"),), "UNAUTHENTICATED"),
            ((("authorization", f"Bearer {weak}"),), "UNAUTHENTICATED"),
            ((("authorization", f"Bearer {kit}"),), "UNKNOWN_DEVICE"),  # a kit is no camera box
        ):
            with pytest.raises(grpc.aio.AioRpcError) as caught:
                await box.SubmitFrame(frame(1), metadata=metadata, timeout=30)
            assert code_of(caught.value) == code, caught.value.details()

"""Camera edge boxes: a frame goes through the kitchen detector and its detections are recorded once per
(device, seq), the frame kept by its digest; the edge's own detections are checked against the taxonomy; anything
wrong is refused with a code, counted, and leaves nothing behind."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import grpc
import pytest

from adapters.ingest.local import SqliteIngestStore
from adapters.ingest.proto import ingest_pb2 as pb
from adapters.ingest.proto.ingest_pb2_grpc import EdgeIngestStub
from adapters.ingest.server import RunningServer
from inference.frames import MAX_FRAME_BYTES, encode_png
from kernel.clock import BEIJING
from tests.adapters.ingest.conftest import CAMERA_BOX, OTHER_PREMISES, PREMISES, channel, code_of, stamp
from tests.adapters.ingest.pki import Pki
from tests.inference.test_pipeline import NO_HAT_ONLY

NOON = dt.datetime(2026, 12, 4, 12, 0, tzinfo=BEIJING)
FRAME = encode_png(NO_HAT_ONLY.image)
SHA = "a" * 64


def frame(seq: int, image: bytes = FRAME, **changes: object) -> pb.FrameRequest:
    fields: dict[str, object] = {
        "device_id": CAMERA_BOX.device_id, "seq": seq, "premises_id": PREMISES, "camera_id": "cam-1",
        "captured_at": stamp(NOON), "image": image,
    }  # fmt: skip
    return pb.FrameRequest(**{**fields, **changes})


def detections(seq: int, *items: pb.Detection, **changes: object) -> pb.DetectionsRequest:
    fields: dict[str, object] = {
        "device_id": CAMERA_BOX.device_id, "seq": seq, "premises_id": PREMISES, "camera_id": "cam-2",
        "captured_at": stamp(NOON), "frame_sha256": SHA, "frame_ref": "box-1:/frames/7.jpg",
        "model_name": "edge-yolo", "model_version": "3", "detections": list(items),
    }  # fmt: skip
    return pb.DetectionsRequest(**{**fields, **changes})


BOX = pb.Box(left=0.1, top=0.1, width=0.2, height=0.3)
NO_MASK = pb.Detection(category="NO_MASK", confidence=0.91, box=pb.Box(left=0.1, top=0.1, width=0.2, height=0.3))


async def refused(call: object) -> grpc.aio.AioRpcError:
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await call  # type: ignore[misc]
    return caught.value


async def test_a_frame_is_run_through_the_detector_and_recorded_once(
    box: EdgeIngestStub, store: SqliteIngestStore, tmp_path: Path
) -> None:
    receipt = await box.SubmitFrame(frame(1), timeout=30)
    assert receipt.status == pb.Receipt.ACCEPTED and receipt.seq == 1
    rows = store._connection.execute("SELECT category, frame_ref, model FROM detections").fetchall()
    assert {category for category, _, _ in rows} == {"PERSON", "NO_HAT"}  # a worker without a hat
    sha = hashlib.sha256(FRAME).hexdigest()
    assert {(ref, model) for _, ref, model in rows} == {(f"sha256:{sha}", "kitchen_detector/1")}
    assert (tmp_path / "frames" / sha[:2] / sha).read_bytes() == FRAME  # the evidence an alert points to
    recorded = len(rows)

    again = await box.SubmitFrame(frame(1), timeout=30)  # the box did not hear the answer and sends again

    assert again.status == pb.Receipt.DUPLICATE
    assert await store.count("detections", CAMERA_BOX.device_id) == recorded


async def test_the_edges_own_detections_are_taken_once(box: EdgeIngestStub, store: SqliteIngestStore) -> None:
    first = await box.SubmitDetections(detections(7, NO_MASK), timeout=10)
    second = await box.SubmitDetections(detections(7, NO_MASK), timeout=10)

    assert (first.status, first.alerts, second.status) == (pb.Receipt.ACCEPTED, 1, pb.Receipt.DUPLICATE)
    assert await store.count("detections", CAMERA_BOX.device_id) == 1


async def test_a_replayed_seq_with_other_content_is_refused(
    box: EdgeIngestStub, store: SqliteIngestStore, server: RunningServer
) -> None:
    await box.SubmitDetections(detections(3, NO_MASK), timeout=10)

    error = await refused(box.SubmitDetections(detections(3, NO_MASK, camera_id="cam-1"), timeout=10))

    assert (error.code(), code_of(error)) == (grpc.StatusCode.ALREADY_EXISTS, "SEQ_REPLAYED")
    assert await store.count("detections", CAMERA_BOX.device_id) == 1
    assert (
        server.service.metrics.value("zhijian_ingest_refusals_total", rpc="SubmitDetections", code="SEQ_REPLAYED") == 1
    )


@pytest.mark.parametrize(
    ("request_", "status", "code"),
    [
        (frame(1, b"\x89PNG not really"), grpc.StatusCode.INVALID_ARGUMENT, "INVALID_FRAME"),
        (frame(1, b"\xff" * (MAX_FRAME_BYTES + 1)), grpc.StatusCode.INVALID_ARGUMENT, "INVALID_FRAME"),
        (frame(1, b""), grpc.StatusCode.INVALID_ARGUMENT, "INVALID_FRAME"),
        (frame(1, camera_id="cam-9"), grpc.StatusCode.NOT_FOUND, "UNKNOWN_CAMERA"),
        (frame(1, premises_id=OTHER_PREMISES), grpc.StatusCode.PERMISSION_DENIED, "WRONG_PREMISES"),
        (frame(0), grpc.StatusCode.INVALID_ARGUMENT, "INVALID_SEQ"),
        (frame(2**31), grpc.StatusCode.INVALID_ARGUMENT, "INVALID_SEQ"),
        (detections(1, pb.Detection(category="DANCING", confidence=0.9, box=BOX)), grpc.StatusCode.INVALID_ARGUMENT,
         "INVALID_DETECTION"),
        (detections(1, pb.Detection(category="RODENT", confidence=1.5, box=BOX)), grpc.StatusCode.INVALID_ARGUMENT,
         "INVALID_DETECTION"),
        (detections(1, pb.Detection(category="RODENT", confidence=0.8)), grpc.StatusCode.INVALID_ARGUMENT,
         "INVALID_DETECTION"),
        (detections(1, pb.Detection(category="RODENT", confidence=0.8, box=pb.Box(left=0.9, top=0, width=0.5,
         height=0.1))), grpc.StatusCode.INVALID_ARGUMENT, "INVALID_DETECTION"),
        (detections(1, NO_MASK, frame_ref=""), grpc.StatusCode.INVALID_ARGUMENT, "MISSING_FIELD"),
        (detections(1, NO_MASK, frame_sha256="not-a-digest"), grpc.StatusCode.INVALID_ARGUMENT, "INVALID_DETECTION"),
        (detections(1, NO_MASK, premises_id=OTHER_PREMISES), grpc.StatusCode.PERMISSION_DENIED, "WRONG_PREMISES"),
    ],
)  # fmt: skip
async def test_bad_input_is_refused_with_its_code_and_leaves_nothing(
    box: EdgeIngestStub, store: SqliteIngestStore, server: RunningServer,
    request_: pb.FrameRequest | pb.DetectionsRequest, status: grpc.StatusCode, code: str,
) -> None:  # fmt: skip
    rpc = "SubmitFrame" if isinstance(request_, pb.FrameRequest) else "SubmitDetections"
    error = await refused(getattr(box, rpc)(request_, timeout=10))

    assert (error.code(), code_of(error)) == (status, code), error.details()
    assert await store.count("detections", CAMERA_BOX.device_id) == 0
    assert server.service.metrics.value("zhijian_ingest_refusals_total", rpc=rpc, code=code) == 1


async def test_a_frame_beyond_the_message_limit_is_refused_by_grpc(
    box: EdgeIngestStub, store: SqliteIngestStore
) -> None:
    error = await refused(box.SubmitFrame(frame(1, b"\0" * (MAX_FRAME_BYTES + 2 * 1024 * 1024)), timeout=10))

    assert error.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
    assert await store.count("detections", CAMERA_BOX.device_id) == 0


async def test_only_registered_camera_boxes_with_a_certificate_of_our_ca_get_in(
    pki: Pki, server: RunningServer, store: SqliteIngestStore
) -> None:
    async with channel(pki, server.port, "box-unknown") as unknown:
        error = await refused(EdgeIngestStub(unknown).SubmitDetections(detections(1, NO_MASK), timeout=10))
    assert (error.code(), code_of(error)) == (grpc.StatusCode.PERMISSION_DENIED, "UNKNOWN_DEVICE")

    async with channel(pki, server.port, "kit-1") as kit:  # registered, but as a test kit
        error = await refused(EdgeIngestStub(kit).SubmitDetections(detections(1, NO_MASK), timeout=10))
    assert code_of(error) == "UNKNOWN_DEVICE"

    async with channel(pki, server.port, None) as anonymous:  # no client certificate: no TLS session at all
        error = await refused(EdgeIngestStub(anonymous).SubmitDetections(detections(1, NO_MASK), timeout=10))
    assert error.code() == grpc.StatusCode.UNAVAILABLE

    stranger = Pki()  # a certificate from another CA naming a registered box
    async with channel(stranger, server.port, CAMERA_BOX.device_id) as forged:
        error = await refused(EdgeIngestStub(forged).SubmitDetections(detections(1, NO_MASK), timeout=10))
    assert error.code() == grpc.StatusCode.UNAVAILABLE
    assert await store.count("detections", CAMERA_BOX.device_id) == 0

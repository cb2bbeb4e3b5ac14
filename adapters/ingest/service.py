"""The ``EdgeIngest`` service: authenticate, check the device against its registration, check the input, record the
effects once, and refuse anything else with a code (counted).

    frame      ─▶ decode ─▶ kitchen detector ─▶ detections ─┐
    detections ─▶ check taxonomy, confidences, boxes ──────┴▶ sink.report_detections   (device_id, seq) once
    readings (stream) ─▶ check unit and value ─▶ sink.record_readings ─▶ cumulative ack
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import grpc
from google.protobuf.message import Message

from adapters.ingest.auth import DeviceAuthenticator, authenticate
from adapters.ingest.detector import FrameDetector
from adapters.ingest.errors import CODE_KEY, STATUS, IngestCode, Refused
from adapters.ingest.metrics import IngestMetrics
from adapters.ingest.proto import ingest_pb2 as pb
from adapters.ingest.readings import ImpossibleReading, canonical
from adapters.ingest.records import (
    Detection,
    DetectionReport,
    Device,
    DeviceKind,
    IngestSink,
    Reading,
    Rejection,
    SeqReplayed,
    Taken,
)
from inference.backends import InferenceUnavailable
from inference.frames import decode
from inference.pipeline import Box
from inference.taxonomy import CHANNELS
from kernel.errors import ClientError
from kernel.jobs.retry import TransientError

T = TypeVar("T")
CATEGORIES = (*(str(channel) for channel in CHANNELS), "UNATTENDED")
"""What an edge box may report: the detector's channels (PERSON and the visual categories) and UNATTENDED."""
MAX_SEQ = 2**31 - 1
MAX_BATCH = 1000
"""Readings in one stream message at most."""


@dataclass(slots=True)
class EdgeIngestService:
    sink: IngestSink
    authenticators: Sequence[DeviceAuthenticator]
    detector: FrameDetector | None
    """The kitchen detector for frames (None: this server takes the edge's own detections only)."""
    frames: Path | None = None
    """Where frames received are kept by their SHA-256 (the evidence an alert points to); None: not kept."""
    call_timeout: float = 10.0
    """The most a call (or a stream batch) may take here, whatever deadline the device set."""
    metrics: IngestMetrics = field(default_factory=IngestMetrics)

    async def SubmitFrame(self, request: pb.FrameRequest, context: Any) -> pb.Receipt:
        return await self._unary("SubmitFrame", context, lambda: self._frame(request, context))

    async def SubmitDetections(self, request: pb.DetectionsRequest, context: Any) -> pb.Receipt:
        return await self._unary("SubmitDetections", context, lambda: self._detections(request, context))

    async def StreamReadings(
        self, requests: AsyncIterator[pb.ReadingBatch], context: Any
    ) -> AsyncIterator[pb.ReadingAck]:
        try:
            device = await self._device(context, DeviceKind.TEST_KIT, None)
            position = await self.sink.reading_position(device.device_id)
        except Refused as refusal:
            await self._abort("StreamReadings", context, refusal)
            return
        yield pb.ReadingAck(acked_through=position or 0)
        async for batch in requests:
            try:
                async with asyncio.timeout(self.call_timeout):
                    ack, position = await self._batch(device, position, batch)
            except Refused as refusal:
                await self._abort("StreamReadings", context, refusal)
                return
            except TimeoutError:
                self.metrics.refused("StreamReadings", "DEADLINE_EXCEEDED")
                await context.abort(grpc.StatusCode.DEADLINE_EXCEEDED, "the batch took too long; resend from the ack")
                return
            self.metrics.served("StreamReadings")
            yield ack

    # --- calls ---------------------------------------------------------------------------------------------------

    async def _frame(self, request: pb.FrameRequest, context: Any) -> pb.Receipt:
        device = await self._device(context, DeviceKind.CAMERA_BOX, request.premises_id, request.camera_id)
        _seq(request.seq)
        if self.detector is None:
            raise Refused(IngestCode.INVALID_FRAME, "this server takes the edge's detections only (no detector)")
        try:
            frame = decode(request.image)
        except ClientError as error:
            raise Refused(IngestCode.INVALID_FRAME, error.message) from None
        captured = _moment(request, "captured_at")
        try:
            detections = await self.detector.detect(frame)
        except InferenceUnavailable as error:
            raise Refused(IngestCode.INGEST_UNAVAILABLE, error.message) from None
        ref = f"sha256:{frame.sha256}"
        if self.frames is not None:
            await asyncio.to_thread(_keep, self.frames, frame.sha256, request.image)
        name, version = self.detector.model
        return await self._report(device, request, captured, frame.sha256, ref, (name, version), detections)

    async def _detections(self, request: pb.DetectionsRequest, context: Any) -> pb.Receipt:
        device = await self._device(context, DeviceKind.CAMERA_BOX, request.premises_id, request.camera_id)
        _seq(request.seq)
        _need(request.model_name, "model_name")
        _need(request.model_version, "model_version")
        _need(request.frame_ref, "frame_ref")
        if len(request.frame_sha256) != 64 or any(c not in "0123456789abcdef" for c in request.frame_sha256):
            raise Refused(IngestCode.INVALID_DETECTION, "frame_sha256 must be the frame's SHA-256 in lower-case hex")
        detections = tuple(_detection(item) for item in request.detections)
        model = (request.model_name, request.model_version)
        captured = _moment(request, "captured_at")
        return await self._report(device, request, captured, request.frame_sha256, request.frame_ref, model, detections)

    async def _report(
        self, device: Device, request: Any, captured: dt.datetime, sha256: str, ref: str, model: tuple[str, str],
        detections: tuple[Detection, ...],
    ) -> pb.Receipt:  # fmt: skip
        report = DetectionReport(
            device_id=device.device_id, seq=request.seq, digest=_digest(request), premises_id=device.premises_id,
            camera_id=request.camera_id, captured_at=captured, frame_sha256=sha256, frame_ref=ref,
            model_name=model[0], model_version=model[1], detections=detections,
        )  # fmt: skip
        try:
            outcome = await self.sink.report_detections(report)
        except SeqReplayed:
            raise Refused(
                IngestCode.SEQ_REPLAYED, f"seq {request.seq} was already used by this device for other content"
            ) from None
        except TransientError as error:
            raise Refused(IngestCode.INGEST_UNAVAILABLE, str(error)) from None
        if outcome.taken is Taken.DUPLICATE:
            self.metrics.duplicate("detections")
            return pb.Receipt(status=pb.Receipt.DUPLICATE, seq=request.seq, alerts=outcome.alerts)
        self.metrics.taken("detections", len(detections))
        return pb.Receipt(status=pb.Receipt.ACCEPTED, seq=request.seq, alerts=outcome.alerts)

    async def _batch(
        self, device: Device, position: int | None, batch: pb.ReadingBatch
    ) -> tuple[pb.ReadingAck, int | None]:
        if batch.device_id and batch.device_id != device.device_id:
            raise Refused(IngestCode.UNKNOWN_DEVICE, f"the stream is {device.device_id}'s, not {batch.device_id}'s")
        if len(batch.readings) > MAX_BATCH:
            raise Refused(IngestCode.INVALID_READING, f"{len(batch.readings)} readings in a batch; at most {MAX_BATCH}")
        for item in batch.readings:
            _seq(item.seq)
        fresh = sorted((r for r in batch.readings if position is None or r.seq > position), key=lambda r: r.seq)
        duplicates = len(batch.readings) - len(fresh)
        if not fresh:
            self.metrics.duplicate("readings", duplicates)
            return pb.ReadingAck(acked_through=position or 0, duplicates=duplicates), position
        expected = fresh[0].seq if position is None else position + 1
        for item in fresh:
            if item.seq != expected:
                raise Refused(IngestCode.SEQ_GAP, f"reading seq {item.seq} after {expected - 1}: resend from the ack")
            expected += 1
        readings: list[Reading] = []
        rejected: list[Rejection] = []
        for item in fresh:
            try:
                readings.append(_reading(device, item))
            except Refused as refusal:
                rejected.append(Rejection(item.seq, refusal.code.value, refusal.reason))
        try:
            taken = await self.sink.record_readings(device.device_id, readings, rejected)
        except TransientError as error:
            raise Refused(IngestCode.INGEST_UNAVAILABLE, str(error)) from None
        rejected += taken.rejected
        duplicates += taken.duplicates
        self.metrics.taken("readings", len(readings) - len(taken.rejected) - taken.duplicates)
        self.metrics.duplicate("readings", duplicates)
        for rejection in rejected:
            self.metrics.refused("StreamReadings", rejection.code)
        ack = pb.ReadingAck(
            acked_through=taken.position,
            rejected=[pb.Rejection(seq=r.seq, code=r.code, reason=r.reason) for r in rejected],
            duplicates=duplicates,
        )
        return ack, taken.position

    # --- shared --------------------------------------------------------------------------------------------------

    async def _unary(self, rpc: str, context: Any, call: Callable[[], Awaitable[T]]) -> T:
        try:
            async with asyncio.timeout(self.call_timeout):
                result = await call()
        except Refused as refusal:
            await self._abort(rpc, context, refusal)
            raise AssertionError("unreachable") from None  # pragma: no cover - abort raises
        except TimeoutError:
            self.metrics.refused(rpc, "DEADLINE_EXCEEDED")
            await context.abort(grpc.StatusCode.DEADLINE_EXCEEDED, f"{rpc} took longer than {self.call_timeout}s")
            raise AssertionError("unreachable") from None  # pragma: no cover
        self.metrics.served(rpc)
        return result

    async def _abort(self, rpc: str, context: Any, refusal: Refused) -> None:
        self.metrics.refused(rpc, refusal.code.value)
        await context.abort(STATUS[refusal.code], refusal.reason, ((CODE_KEY, refusal.code.value),))

    async def _device(self, context: Any, kind: DeviceKind, premises: str | None, camera: str | None = None) -> Device:
        device_id = await authenticate(self.authenticators, context)
        try:
            device = await self.sink.device(device_id)
        except TransientError as error:
            raise Refused(IngestCode.INGEST_UNAVAILABLE, str(error)) from None
        if device is None or device.kind is not kind:
            raise Refused(IngestCode.UNKNOWN_DEVICE, f"{device_id} is not a registered {kind.value}")
        if premises is not None and premises != device.premises_id:
            raise Refused(IngestCode.WRONG_PREMISES, f"{device_id} is not registered to premises {premises!r}")
        if camera is not None and device.cameras is not None and camera not in device.cameras:
            raise Refused(IngestCode.UNKNOWN_CAMERA, f"camera {camera!r} is not registered to {device_id}")
        return device


def _seq(seq: int) -> None:
    if not 0 < seq <= MAX_SEQ:
        raise Refused(IngestCode.INVALID_SEQ, f"seq {seq} is not within 1–{MAX_SEQ}")


def _need(value: object, name: str) -> None:
    if not value:
        raise Refused(IngestCode.MISSING_FIELD, f"{name} is required")


def _moment(request: Any, name: str) -> dt.datetime:
    if not request.HasField(name):
        raise Refused(IngestCode.MISSING_FIELD, f"{name} is required")
    return getattr(request, name).ToDatetime(tzinfo=dt.UTC)  # type: ignore[no-any-return]


def _digest(request: Message) -> str:
    return hashlib.sha256(request.SerializeToString(deterministic=True)).hexdigest()


def _detection(item: pb.Detection) -> Detection:
    if item.category not in CATEGORIES:
        raise Refused(
            IngestCode.INVALID_DETECTION, f"unknown category {item.category!r}; known: {', '.join(CATEGORIES)}"
        )
    if not 0.0 <= item.confidence <= 1.0:
        raise Refused(IngestCode.INVALID_DETECTION, f"confidence {item.confidence} is not within 0–1")
    box = item.box
    inside = min(box.left, box.top) >= 0 and max(box.left + box.width, box.top + box.height) <= 1.0001
    if not item.HasField("box") or not inside or box.width <= 0 or box.height <= 0:
        raise Refused(IngestCode.INVALID_DETECTION, "a detection's box must lie within the frame (fractions 0–1)")
    confidence = round(item.confidence, 4)
    return Detection(item.category, confidence, Box(box.left, box.top, box.width, box.height, confidence))


def _keep(folder: Path, sha256: str, data: bytes) -> None:
    """The frame under its digest, written whole or not at all."""
    target = folder / sha256[:2] / sha256
    if target.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    partial.write_bytes(data)
    partial.replace(target)


def _reading(device: Device, item: pb.Reading) -> Reading:
    if item.premises_id != device.premises_id:
        raise Refused(IngestCode.WRONG_PREMISES, f"{device.device_id} is not registered to {item.premises_id!r}")
    if not item.sample.strip():
        raise Refused(IngestCode.MISSING_FIELD, "sample is required")
    if not item.HasField("measured_at"):
        raise Refused(IngestCode.MISSING_FIELD, "measured_at is required")
    try:
        value, unit = canonical(item.analyte, item.value, item.unit)
    except ImpossibleReading as error:
        raise Refused(IngestCode.INVALID_READING, str(error)) from None
    measured = item.measured_at.ToDatetime(tzinfo=dt.UTC)
    return Reading(item.seq, item.premises_id, item.sample.strip(), item.analyte, value, unit, measured)

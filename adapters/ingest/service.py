"""The ``EdgeIngest`` service: authenticate, check the device against its registration, check the input, record the
effects once, and refuse anything else with a code (counted).

    frame  ─▶ decode ─▶ kitchen pipeline ─▶ alerts ─┐
    alerts ─▶ check taxonomy, confidences, boxes ───┴▶ sink.report_alerts   (device_id, seq) once
    readings (stream) ─▶ check unit and value ─▶ sink.record_readings ─▶ cumulative ack
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import grpc
from google.protobuf.message import Message

from adapters.ingest.auth import DeviceAuthenticator, authenticate
from adapters.ingest.errors import CODE_KEY, STATUS, IngestCode, Refused
from adapters.ingest.metrics import IngestMetrics
from adapters.ingest.proto import ingest_pb2 as pb
from adapters.ingest.readings import ImpossibleReading, canonical
from adapters.ingest.records import (
    Alert,
    AlertReport,
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
from inference.pipeline import Box, CameraFrame, FramePipeline
from inference.taxonomy import Category
from kernel.errors import ClientError
from kernel.jobs.retry import TransientError

T = TypeVar("T")
MAX_BATCH = 1000
"""Readings in one stream message at most."""


@dataclass(slots=True)
class EdgeIngestService:
    sink: IngestSink
    authenticators: Sequence[DeviceAuthenticator]
    pipeline: FramePipeline | None
    """The kitchen pipeline for frames (None: this server takes pre-detected alerts only)."""
    call_timeout: float = 10.0
    """The most a call (or a stream batch) may take here, whatever deadline the device set."""
    metrics: IngestMetrics = field(default_factory=IngestMetrics)

    async def SubmitFrame(self, request: pb.FrameRequest, context: Any) -> pb.Receipt:
        return await self._unary("SubmitFrame", context, lambda: self._frame(request, context))

    async def SubmitAlerts(self, request: pb.AlertsRequest, context: Any) -> pb.Receipt:
        return await self._unary("SubmitAlerts", context, lambda: self._alerts(request, context))

    async def StreamReadings(
        self, requests: AsyncIterator[pb.ReadingBatch], context: Any
    ) -> AsyncIterator[pb.ReadingAck]:
        try:
            device = await self._device(context, DeviceKind.TEST_KIT, None)
            position = await self.sink.reading_position(device.device_id)
        except Refused as refusal:
            await self._abort("StreamReadings", context, refusal)
            return
        yield pb.ReadingAck(acked_through=position)
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
        _need(request.seq, "seq")
        if self.pipeline is None:
            raise Refused(IngestCode.INVALID_FRAME, "this server takes pre-detected alerts only (no pipeline)")
        try:
            frame = decode(request.image)
        except ClientError as error:
            raise Refused(IngestCode.INVALID_FRAME, error.message) from None
        captured = _moment(request, "captured_at")
        try:
            candidates = await self.pipeline.judge([CameraFrame(request.camera_id, captured, frame)])
        except InferenceUnavailable as error:
            raise Refused(IngestCode.INGEST_UNAVAILABLE, error.message) from None
        alerts = tuple(Alert(c.category.value, c.confidence, c.boxes) for c in candidates)
        model = self.pipeline.model
        return await self._report(device, request, captured, frame.sha256, model, alerts)

    async def _alerts(self, request: pb.AlertsRequest, context: Any) -> pb.Receipt:
        device = await self._device(context, DeviceKind.CAMERA_BOX, request.premises_id, request.camera_id)
        _need(request.seq, "seq")
        _need(request.model, "model")
        if len(request.frame_sha256) != 64 or any(c not in "0123456789abcdef" for c in request.frame_sha256):
            raise Refused(IngestCode.INVALID_ALERT, "frame_sha256 must be the frame's SHA-256 in lower-case hex")
        alerts = tuple(_alert(item) for item in request.alerts)
        return await self._report(
            device, request, _moment(request, "captured_at"), request.frame_sha256, request.model, alerts
        )

    async def _report(
        self, device: Device, request: Any, captured: dt.datetime, sha256: str, model: str, alerts: tuple[Alert, ...]
    ) -> pb.Receipt:
        report = AlertReport(
            device_id=device.device_id, seq=request.seq, digest=_digest(request), premises_id=device.premises_id,
            camera_id=request.camera_id, captured_at=captured, frame_sha256=sha256, model=model, alerts=alerts,
        )  # fmt: skip
        try:
            taken = await self.sink.report_alerts(report)
        except SeqReplayed:
            raise Refused(
                IngestCode.SEQ_REPLAYED, f"seq {request.seq} was already used by this device for other content"
            ) from None
        except TransientError as error:
            raise Refused(IngestCode.INGEST_UNAVAILABLE, str(error)) from None
        if taken is Taken.DUPLICATE:
            self.metrics.duplicate("alerts")
            return pb.Receipt(status=pb.Receipt.DUPLICATE, seq=request.seq)
        self.metrics.taken("alerts", len(alerts))
        return pb.Receipt(status=pb.Receipt.ACCEPTED, seq=request.seq, alerts=len(alerts))

    async def _batch(self, device: Device, position: int, batch: pb.ReadingBatch) -> tuple[pb.ReadingAck, int]:
        if batch.device_id and batch.device_id != device.device_id:
            raise Refused(IngestCode.UNKNOWN_DEVICE, f"the stream is {device.device_id}'s, not {batch.device_id}'s")
        if len(batch.readings) > MAX_BATCH:
            raise Refused(IngestCode.INVALID_READING, f"{len(batch.readings)} readings in a batch; at most {MAX_BATCH}")
        fresh = sorted((r for r in batch.readings if r.seq > position), key=lambda r: r.seq)
        duplicates = len(batch.readings) - len(fresh)
        expected = position + 1
        for item in fresh:
            if item.seq != expected:
                raise Refused(
                    IngestCode.SEQ_GAP, f"reading seq {item.seq} after ack {position}: expected {expected}; resend"
                )
            expected += 1
        readings: list[Reading] = []
        rejected: list[Rejection] = []
        for item in fresh:
            try:
                readings.append(_reading(device, item))
            except Refused as refusal:
                rejected.append(Rejection(item.seq, refusal.code.value, refusal.reason))
        if fresh:
            try:
                position = await self.sink.record_readings(device.device_id, position, readings, rejected)
            except TransientError as error:
                raise Refused(IngestCode.INGEST_UNAVAILABLE, str(error)) from None
        self.metrics.taken("readings", len(readings))
        self.metrics.duplicate("readings", duplicates)
        for rejection in rejected:
            self.metrics.refused("StreamReadings", rejection.code)
        ack = pb.ReadingAck(
            acked_through=position,
            rejected=[pb.Rejection(seq=r.seq, code=r.code, reason=r.reason) for r in rejected],
            duplicates=duplicates,
        )
        return ack, position

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
        device = await self.sink.device(device_id)
        if device is None or device.kind is not kind:
            raise Refused(IngestCode.UNKNOWN_DEVICE, f"{device_id} is not a registered {kind.value}")
        if premises is not None and premises != device.premises_id:
            raise Refused(IngestCode.WRONG_PREMISES, f"{device_id} is not registered to premises {premises!r}")
        if camera is not None and camera not in device.cameras:
            raise Refused(IngestCode.UNKNOWN_CAMERA, f"camera {camera!r} is not registered to {device_id}")
        return device


def _need(value: object, name: str) -> None:
    if not value:
        raise Refused(IngestCode.MISSING_FIELD, f"{name} is required")


def _moment(request: Any, name: str) -> dt.datetime:
    if not request.HasField(name):
        raise Refused(IngestCode.MISSING_FIELD, f"{name} is required")
    return getattr(request, name).ToDatetime(tzinfo=dt.UTC)  # type: ignore[no-any-return]


def _digest(request: Message) -> str:
    return hashlib.sha256(request.SerializeToString(deterministic=True)).hexdigest()


def _alert(item: pb.DetectedAlert) -> Alert:
    try:
        category = Category(item.category)
    except ValueError:
        raise Refused(IngestCode.INVALID_ALERT, f"unknown category {item.category!r}") from None
    if not 0.0 <= item.confidence <= 1.0:
        raise Refused(IngestCode.INVALID_ALERT, f"confidence {item.confidence} is not within 0–1")
    boxes = []
    for box in item.boxes:
        inside = min(box.left, box.top) >= 0 and max(box.left + box.width, box.top + box.height) <= 1.0001
        if not inside or box.width <= 0 or box.height <= 0 or not 0 <= box.score <= 1:
            raise Refused(IngestCode.INVALID_ALERT, "a box must lie within the frame (fractions 0–1) with a score 0–1")
        boxes.append(Box(box.left, box.top, box.width, box.height, round(box.score, 4)))
    return Alert(category.value, round(item.confidence, 4), tuple(boxes))


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

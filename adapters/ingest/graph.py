"""The ingestion sink in the hub: the detection subgraph, reached through the gateway as the ingestion adapter's
machine client (role ``device_gateway``). The subgraph owns the device registry and is the ledger: both mutations are
idempotent on ``(deviceId, seq)``, so a resend after a lost answer or a restart changes nothing there.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from adapters.ingest.errors import IngestCode, Refused
from adapters.ingest.records import (
    DetectionReport,
    Device,
    DeviceKind,
    Outcome,
    Reading,
    ReadingsTaken,
    Rejection,
    SeqReplayed,
    Taken,
)
from kernel.jobs.retry import TransientError
from kernel.machine_client import GraphClient, GraphUnavailable

DEVICE = "query($id: ID!) { device(id: $id) { id kind uscc active } }"
REPORT = """mutation($input: KitchenDetectionsInput!) {
  reportKitchenDetections(input: $input) { duplicate alerts { id } }
}"""
QUICK_TESTS = """mutation($input: QuickTestsInput!) {
  recordQuickTests(input: $input) { results { seq accepted duplicate code reason } }
}"""
KINDS = {"EDGE_BOX": DeviceKind.CAMERA_BOX, "QUICK_TEST_KIT": DeviceKind.TEST_KIT}
REFUSALS: Mapping[str, IngestCode] = {
    "UNKNOWN_DEVICE": IngestCode.UNKNOWN_DEVICE,
    "WRONG_DEVICE_KIND": IngestCode.UNKNOWN_DEVICE,
    "UNKNOWN_CAMERA": IngestCode.UNKNOWN_CAMERA,
    "PREMISES_MISMATCH": IngestCode.WRONG_PREMISES,
}
"""The subgraph's codes for a whole message, as the device is told them; any other is about the detections."""
CHUNK = 200
"""Readings per mutation."""


@dataclass(slots=True)
class GraphIngestSink:
    graph: GraphClient
    device_ttl: float = 30.0
    """How long a device's registration is trusted before it is asked again (a re-registration shows after this)."""
    tries: int = 3
    clock: Callable[[], float] = time.monotonic
    _devices: dict[str, tuple[float, Device | None]] = field(default_factory=dict)

    async def device(self, device_id: str) -> Device | None:
        cached = self._devices.get(device_id)
        if cached is not None and self.clock() < cached[0]:
            return cached[1]
        body = await self._call(DEVICE, {"id": device_id})
        found = (body.get("data") or {}).get("device")
        device = None
        if found is not None and found["active"] and found["kind"] in KINDS:
            device = Device(found["id"], KINDS[found["kind"]], found["uscc"], cameras=None)
        self._devices[device_id] = (self.clock() + self.device_ttl, device)
        return device

    async def report_detections(self, report: DetectionReport) -> Outcome:
        body = await self._call(REPORT, {"input": _detections(report)})
        answer = (body.get("data") or {}).get("reportKitchenDetections")
        if answer is None:
            code, message = _error(body)
            if code == "SEQUENCE_REUSED":
                raise SeqReplayed(message)
            raise Refused(REFUSALS.get(code, IngestCode.INVALID_DETECTION), f"{message} ({code})")
        taken = Taken.DUPLICATE if answer["duplicate"] else Taken.ACCEPTED
        return Outcome(taken, len(answer["alerts"]))

    async def reading_position(self, device_id: str) -> int | None:
        return None  # the subgraph recognises what it took by (deviceId, seq); the kit resumes from its own ack

    async def record_readings(
        self, device_id: str, readings: Sequence[Reading], rejected: Sequence[Rejection]
    ) -> ReadingsTaken:
        refused: list[Rejection] = []
        duplicates = 0
        for start in range(0, len(readings), CHUNK):
            chunk = readings[start : start + CHUNK]
            body = await self._call(QUICK_TESTS, {"input": {"deviceId": device_id, "readings": _readings(chunk)}})
            answer = (body.get("data") or {}).get("recordQuickTests")
            if answer is None:
                code, message = _error(body)
                raise Refused(REFUSALS.get(code, IngestCode.INVALID_READING), f"{message} ({code})")
            for result in answer["results"]:
                if not result["accepted"]:
                    refused.append(Rejection(result["seq"], str(result["code"]), str(result["reason"])))
                elif result["duplicate"]:
                    duplicates += 1
        position = max([*(r.seq for r in readings), *(r.seq for r in rejected)], default=0)
        return ReadingsTaken(position, tuple(refused), duplicates)

    async def _call(self, document: str, variables: Mapping[str, Any]) -> dict[str, Any]:
        for attempt in range(1, self.tries + 1):
            try:
                return await self.graph.query(document, variables)
            except GraphUnavailable as error:
                if attempt == self.tries:
                    raise TransientError(f"the detection subgraph did not answer: {error.message}") from error
                await asyncio.sleep(0.2 * attempt)
        raise AssertionError("unreachable")  # pragma: no cover


def _error(body: Mapping[str, Any]) -> tuple[str, str]:
    (first, *_) = body.get("errors") or [{"message": "no answer", "extensions": {}}]
    return str((first.get("extensions") or {}).get("code", "INTERNAL_SERVER_ERROR")), str(first.get("message"))


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat()


def _detections(report: DetectionReport) -> dict[str, Any]:
    return {
        "deviceId": report.device_id, "seq": report.seq, "cameraId": report.camera_id,
        "capturedAt": _iso(report.captured_at), "frameSha256": report.frame_sha256, "frameRef": report.frame_ref,
        "modelName": report.model_name, "modelVersion": report.model_version,
        "detections": [
            {"category": d.category, "confidence": d.confidence,
             "box": {"x": d.box.left, "y": d.box.top, "w": d.box.width, "h": d.box.height}}
            for d in report.detections
        ],
    }  # fmt: skip


def _readings(readings: Sequence[Reading]) -> list[dict[str, Any]]:
    return [
        {"seq": r.seq, "uscc": r.premises_id, "sampleName": r.sample, "item": r.analyte, "value": r.value,
         "unit": r.unit, "testedAt": _iso(r.measured_at)}
        for r in readings
    ]  # fmt: skip

"""Detections from a camera edge box become kitchen alerts by the rules of :mod:`inference.pipeline`: a threshold per
category, one alert per camera and category per de-duplication window, and the business-hours rule (a person seen
while the premises are closed is an after-hours alert). A message is idempotent on ``(device_id, seq)``."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import uuid
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from inference.pipeline import BusinessHours
from inference.taxonomy import CHANNELS, Category
from kernel.errors import ClientError, ConflictError
from subgraphs.detection.alerts import log_move
from subgraphs.detection.errors import DetectionCode
from subgraphs.detection.models import CameraRow, DeviceMessageRow, DeviceRow, KitchenAlertRow
from subgraphs.detection.quick_tests import CLOCK_SKEW
from subgraphs.detection.services import SYSTEM_ACTOR, DetectionServices
from subgraphs.detection.vocabulary import AlertState, DeviceKind

SHA256 = re.compile(r"^[0-9a-f]{64}$")
PERSON = CHANNELS[0]
MESSAGE_KIND = "KITCHEN_DETECTIONS"


@dataclass(frozen=True, slots=True)
class Detection:
    category: str
    """A detector channel: a §7.1 category, or PERSON (for the business-hours rule)."""
    confidence: float
    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True, slots=True)
class DetectionReport:
    device_id: str
    seq: int
    camera_id: str
    captured_at: dt.datetime
    frame_sha256: str
    frame_ref: str
    model_name: str
    model_version: str
    detections: tuple[Detection, ...]

    def digest(self) -> str:
        data = {**asdict(self), "captured_at": self.captured_at.astimezone(dt.UTC).isoformat()}
        return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Suppressed:
    category: str
    reason: str
    """BELOW_THRESHOLD, DUPLICATE_IN_WINDOW or WITHIN_HOURS (a person seen while the premises are open)."""


@dataclass(frozen=True, slots=True)
class ReportOutcome:
    alert_ids: tuple[str, ...]
    suppressed: tuple[Suppressed, ...]
    duplicate: bool = False

    def stored(self) -> dict[str, Any]:
        return {"alerts": list(self.alert_ids), "suppressed": [asdict(s) for s in self.suppressed]}

    @classmethod
    def from_stored(cls, data: dict[str, Any]) -> ReportOutcome:
        return cls(tuple(data["alerts"]), tuple(Suppressed(**s) for s in data["suppressed"]), duplicate=True)


async def report_detections(
    session: AsyncSession, services: DetectionServices, report: DetectionReport
) -> ReportOutcome:
    """The alerts this message creates; a resend (same ``(device, seq)``, same content) creates nothing and is answered
    as the first time; the same ``seq`` with other content is ``SEQUENCE_REUSED``."""
    device = await session.get(DeviceRow, report.device_id, with_for_update=True, populate_existing=True)
    if device is None or not device.active:
        raise ClientError(
            f"no active device {report.device_id}",
            code=DetectionCode.UNKNOWN_DEVICE,
            details={"deviceId": report.device_id},
        )
    if device.kind != DeviceKind.EDGE_BOX.value:
        raise ClientError(
            f"device {device.id} is a {device.kind}, not an edge box", code=DetectionCode.WRONG_DEVICE_KIND
        )
    digest = report.digest()
    earlier = await session.get(DeviceMessageRow, (device.id, report.seq))
    if earlier is not None:
        if earlier.digest != digest:
            raise ConflictError(
                f"device {device.id} already sent seq {report.seq} with other content; nothing was changed",
                code=DetectionCode.SEQUENCE_REUSED,
                details={"deviceId": device.id, "seq": report.seq},
            )
        return ReportOutcome.from_stored(earlier.result)
    camera = await session.get(CameraRow, report.camera_id)
    if camera is None or camera.device_id != device.id:
        raise ClientError(
            f"no camera {report.camera_id} behind device {device.id}",
            code=DetectionCode.UNKNOWN_CAMERA,
            details={"cameraId": report.camera_id},
        )
    now = services.now()
    _check(report, now)
    outcome = await _alerts(session, services, device, camera, report, now)
    session.add(
        DeviceMessageRow(
            device_id=device.id,
            seq=report.seq,
            kind=MESSAGE_KIND,
            digest=digest,
            result=outcome.stored(),
            received_at=now,
        )
    )
    await session.flush()
    return outcome


def _check(report: DetectionReport, now: dt.datetime) -> None:
    if report.seq < 0:
        raise ClientError(f"seq {report.seq} is negative", code=DetectionCode.IMPOSSIBLE_VALUE)
    if not SHA256.match(report.frame_sha256):
        raise ClientError("frameSha256 must be 64 lower-case hex digits", code=DetectionCode.INVALID_FRAME_HASH)
    if report.captured_at > now + CLOCK_SKEW:
        raise ClientError(
            f"captured at {report.captured_at.isoformat()}, after its receipt", code=DetectionCode.READING_IN_FUTURE
        )
    for index, item in enumerate(report.detections):
        if item.category not in CHANNELS and item.category != Category.UNATTENDED:
            raise ClientError(
                f"detections[{index}]: unknown category {item.category!r}; known: {', '.join(CHANNELS)}, UNATTENDED",
                code=DetectionCode.UNKNOWN_CATEGORY,
            )
        inside = all(0.0 <= v <= 1.0 for v in (item.x, item.y, item.w, item.h))
        if not (0.0 <= item.confidence <= 1.0) or not inside or item.x + item.w > 1.0001 or item.y + item.h > 1.0001:
            raise ClientError(
                f"detections[{index}]: confidence and box (fractions of the frame) must lie within 0–1",
                code=DetectionCode.INVALID_DETECTION,
            )


async def _alerts(
    session: AsyncSession,
    services: DetectionServices,
    device: DeviceRow,
    camera: CameraRow,
    report: DetectionReport,
    now: dt.datetime,
) -> ReportOutcome:
    settings = services.pipeline
    by_category: dict[str, list[Detection]] = {}
    for item in report.detections:
        by_category.setdefault(item.category, []).append(item)
    rows: list[tuple[KitchenAlertRow, float]] = []
    suppressed: list[Suppressed] = []
    people = by_category.pop(PERSON, [])
    if people and BusinessHours(opens=device.opens, closes=device.closes).open_at(report.captured_at):
        suppressed.append(Suppressed(PERSON, "WITHIN_HOURS"))
    elif people:
        by_category.setdefault(Category.UNATTENDED.value, []).extend(people)  # work while the premises are closed
    for category, items in sorted(by_category.items()):
        threshold = settings.thresholds.get(category, settings.thresholds[PERSON])
        hits = [item for item in items if item.confidence > threshold]
        if not hits:
            suppressed.append(Suppressed(category, "BELOW_THRESHOLD"))
            continue
        window = settings.dedup_window
        recent = await session.scalar(
            select(KitchenAlertRow.id)
            .where(
                KitchenAlertRow.camera_id == camera.id,
                KitchenAlertRow.category == category,
                KitchenAlertRow.captured_at > report.captured_at - window,
                KitchenAlertRow.captured_at < report.captured_at + window,
            )
            .limit(1)
        )
        if recent is not None:
            suppressed.append(Suppressed(category, "DUPLICATE_IN_WINDOW"))
            continue
        hits.sort(key=lambda item: -item.confidence)
        rows.append((_alert(device, camera, report, category, hits, now), threshold))
    session.add_all([row for row, _ in rows])
    await session.flush()  # the alerts before their moves (which reference them), in one statement
    for row, threshold in rows:
        log_move(
            session,
            row,
            None,
            AlertState.DETECTED,
            actor=SYSTEM_ACTOR,
            at=now,
            reason=f"{report.model_name}/{report.model_version} on device {device.id}",
        )
        log_move(
            session,
            row,
            AlertState.DETECTED,
            AlertState.CANDIDATE,
            actor=SYSTEM_ACTOR,
            at=now,
            reason=f"confidence {row.confidence:.3f} > {threshold:g}; none in the last {settings.dedup_window}",
        )
    return ReportOutcome(tuple(row.id for row, _ in rows), tuple(suppressed))


def _alert(
    device: DeviceRow,
    camera: CameraRow,
    report: DetectionReport,
    category: str,
    hits: list[Detection],
    now: dt.datetime,
) -> KitchenAlertRow:
    return KitchenAlertRow(
        id=str(uuid.uuid4()),
        category=category,
        confidence=hits[0].confidence,
        boxes=[{"x": h.x, "y": h.y, "w": h.w, "h": h.h, "confidence": h.confidence} for h in hits],
        camera_id=camera.id,
        device_id=device.id,
        seq=report.seq,
        uscc=device.uscc,
        district_code=device.district_code,
        station_code=device.station_code,
        captured_at=report.captured_at,
        frame_sha256=report.frame_sha256,
        frame_ref=report.frame_ref,
        model_name=report.model_name,
        model_version=report.model_version,
        created_at=now,
        updated_at=now,
        state=AlertState.CANDIDATE.value,  # as the moves logged next leave it (so no second write)
    )

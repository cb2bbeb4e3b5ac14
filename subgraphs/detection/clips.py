"""Video clips judged on the long queue: an edge box that cannot run the detector itself leaves a clip (one file per
frame, named ``<seq>-<captured unix ms>.png|jpg``, in one directory); the job runs the frame pipeline over it
(:mod:`inference.pipeline`, embedded ONNX Runtime) and records each frame as the box would have reported it, so a
frame already reported (same device and seq) changes nothing and a re-run of the job creates no second alert."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from pathlib import Path

from inference.backends import OnnxRuntimeBackend
from inference.frames import decode
from inference.pipeline import AlertCandidate, BusinessHours, CameraFrame, FramePipeline
from kernel.db import Database, write_transactions
from kernel.errors import ClientError
from subgraphs.detection.alert_feed import announce_commits
from subgraphs.detection.errors import DetectionCode
from subgraphs.detection.kitchen_reports import Detection, DetectionReport, report_detections
from subgraphs.detection.models import DeviceRow
from subgraphs.detection.services import DetectionServices

FRAME_NAME = re.compile(r"^(?P<seq>\d{1,9})-(?P<ms>\d{10,14})\.(?:png|jpg|jpeg)$", re.IGNORECASE)


def frames_of(clip: Path) -> list[tuple[int, dt.datetime, Path]]:
    """The clip's frames in capture order: (seq, captured at, file); other files are ignored."""
    if not clip.is_dir():
        raise ClientError(f"no clip at {clip}", code=DetectionCode.UNKNOWN_CAMERA)
    found = []
    for path in clip.iterdir():
        match = FRAME_NAME.match(path.name)
        if match and path.is_file():
            at = dt.datetime.fromtimestamp(int(match["ms"]) / 1000, tz=dt.UTC)
            found.append((int(match["seq"]), at, path))
    return sorted(found, key=lambda item: (item[1], item[0]))


def _detections(candidates: list[AlertCandidate]) -> tuple[Detection, ...]:
    out = []
    for candidate in candidates:
        boxes = candidate.boxes or ()
        if not boxes:  # unattended: nobody to box, the whole frame
            out.append(Detection(candidate.category.value, candidate.confidence, 0.0, 0.0, 1.0, 1.0))
        out += [Detection(candidate.category.value, b.score, b.left, b.top, b.width, b.height) for b in boxes]
    return tuple(out)


async def judge_clip(database: Database, services: DetectionServices, device_id: str, camera_id: str, clip: str) -> int:
    """Alerts created from the clip's frames (0 when every frame was judged before)."""
    frames = await asyncio.to_thread(frames_of, Path(clip))
    async with database.transaction() as session:
        device = await session.get(DeviceRow, device_id)
        if device is None:
            raise ClientError(f"no device {device_id}", code=DetectionCode.UNKNOWN_DEVICE)
        hours = BusinessHours(opens=device.opens, closes=device.closes)
    backend = OnnxRuntimeBackend()
    pipeline = FramePipeline(backend, services.pipeline)
    created = 0
    try:
        for seq, at, path in frames:
            frame = decode(await asyncio.to_thread(path.read_bytes))
            candidates = await pipeline.judge([CameraFrame(camera_id, at, frame, hours)])
            report = DetectionReport(
                device_id=device_id, seq=seq, camera_id=camera_id, captured_at=at, frame_sha256=frame.sha256,
                frame_ref=path.resolve().as_uri(), model_name=backend.name, model_version=backend.model_version,
                detections=_detections(candidates),
            )  # fmt: skip
            async with database.sessions() as session:
                write_transactions(session)
                announce_commits(session, services.alert_feed)
                async with session.begin():
                    outcome = await report_detections(session, services, report)
            created += 0 if outcome.duplicate else len(outcome.alert_ids)
    finally:
        await backend.close()
    return created

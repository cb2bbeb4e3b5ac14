"""What crosses the seam between the ingestion server and where effects are recorded: devices, alerts, readings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from inference.pipeline import Box


class DeviceKind(StrEnum):
    CAMERA_BOX = "CAMERA_BOX"
    """A kitchen-camera edge box (明厨亮灶), with its cameras."""
    TEST_KIT = "TEST_KIT"
    """A quick-test kit (快检)."""


@dataclass(frozen=True, slots=True)
class Device:
    """A registered edge device and the premises it serves."""

    device_id: str
    kind: DeviceKind
    premises_id: str
    """The market entity (USCC) the device is installed at."""
    cameras: frozenset[str] | None = frozenset()
    """Its cameras; None where the sink checks the camera itself (the detection subgraph)."""


@dataclass(frozen=True, slots=True)
class Detection:
    """One thing seen in a frame: a kitchen category (or PERSON), how sure, and where."""

    category: str
    confidence: float
    box: Box


@dataclass(frozen=True, slots=True)
class DetectionReport:
    """What one frame showed (detected here, or at the edge); ``(device_id, seq)`` is its key and ``digest`` its
    content, so a resend is recognised and a reuse of the seq for something else is refused."""

    device_id: str
    seq: int
    digest: str
    premises_id: str
    camera_id: str
    captured_at: dt.datetime
    frame_sha256: str
    frame_ref: str
    model_name: str
    model_version: str
    detections: tuple[Detection, ...]


class Taken(StrEnum):
    ACCEPTED = "ACCEPTED"
    DUPLICATE = "DUPLICATE"


@dataclass(frozen=True, slots=True)
class Outcome:
    taken: Taken
    alerts: int
    """Kitchen alerts the report raised."""


@dataclass(frozen=True, slots=True)
class Reading:
    """A quick-test reading, in its analyte's canonical unit."""

    seq: int
    premises_id: str
    sample: str
    analyte: str
    value: float
    unit: str
    measured_at: dt.datetime


@dataclass(frozen=True, slots=True)
class Rejection:
    seq: int
    code: str
    reason: str


@dataclass(frozen=True, slots=True)
class ReadingsTaken:
    position: int
    """The device's last seq taken now."""
    rejected: tuple[Rejection, ...] = ()
    """Readings the sink refused itself."""
    duplicates: int = 0
    """Readings the sink had taken before (sent again): nothing changed."""


class SeqReplayed(Exception):
    """The device used this seq before for different content."""


class IngestSink(Protocol):
    """Where a device's effects are recorded, each exactly once: the local store, or the detection subgraph."""

    async def device(self, device_id: str) -> Device | None:
        """The registered device, or None."""
        ...

    async def report_detections(self, report: DetectionReport) -> Outcome:
        """Record the detections once per ``(device_id, seq)``; ``DUPLICATE`` for a resend, ``SeqReplayed`` for a seq
        reused with other content."""
        ...

    async def reading_position(self, device_id: str) -> int | None:
        """The device's last seq taken (0: none yet; None: not known here, the device resumes from its own last ack
        and what was taken already is recognised by its key)."""
        ...

    async def record_readings(
        self, device_id: str, readings: Sequence[Reading], rejected: Sequence[Rejection]
    ) -> ReadingsTaken:
        """Take the readings, each once per ``(device_id, seq)``, and the rejections, and move the device's position
        to the highest seq of both."""
        ...

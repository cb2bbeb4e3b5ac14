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
    cameras: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Alert:
    category: str
    confidence: float
    boxes: tuple[Box, ...]


@dataclass(frozen=True, slots=True)
class AlertReport:
    """One call's alerts (judged here from a frame, or detected at the edge); ``(device_id, seq)`` is its key and
    ``digest`` its content, so a resend is recognised and a reuse of the seq for something else is refused."""

    device_id: str
    seq: int
    digest: str
    premises_id: str
    camera_id: str
    captured_at: dt.datetime
    frame_sha256: str
    model: str
    alerts: tuple[Alert, ...]


class Taken(StrEnum):
    ACCEPTED = "ACCEPTED"
    DUPLICATE = "DUPLICATE"


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


class SeqReplayed(Exception):
    """The device used this seq before for different content."""


class IngestSink(Protocol):
    """Where a device's effects are recorded, each exactly once: the local store, or the detection subgraph."""

    async def device(self, device_id: str) -> Device | None:
        """The registered device, or None."""
        ...

    async def report_alerts(self, report: AlertReport) -> Taken:
        """Record the alerts once per ``(device_id, seq)``; ``DUPLICATE`` for a resend, ``SeqReplayed`` for a seq
        reused with other content."""
        ...

    async def reading_position(self, device_id: str) -> int:
        """The device's last seq taken (0: none yet)."""
        ...

    async def record_readings(
        self, device_id: str, after: int, readings: Sequence[Reading], rejected: Sequence[Rejection]
    ) -> int:
        """Take the readings and rejections with seqs after ``after`` in one transaction and move the position to the
        highest; seqs at or below the stored position are skipped. The new position."""
        ...

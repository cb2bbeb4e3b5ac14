"""From camera frames to alert candidates: detect, threshold per category, box, de-duplicate, apply business hours.

    frames ──▶ backend (score maps) ──▶ detections per category (cells above its threshold, merged into boxes)
           ──▶ candidates: one per camera and category per de-duplication window; UNATTENDED from rules

The result is plain data (:class:`AlertCandidate`); the detection subgraph turns a candidate into a
``KitchenAlert`` that a person reviews. Nothing here decides a violation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from inference.backends import InferenceBackend
from inference.frames import Frame
from inference.taxonomy import CHANNELS, Category
from kernel.clock import BEIJING

GRID = 6


@dataclass(frozen=True, slots=True)
class Box:
    """Where in the frame, as fractions of its width and height (0–1), and how sure."""

    left: float
    top: float
    width: float
    height: float
    score: float


@dataclass(frozen=True, slots=True)
class BusinessHours:
    """When the premises operate (Beijing time); work outside them is an after-hours alert."""

    opens: dt.time = dt.time(6, 0)
    closes: dt.time = dt.time(23, 0)

    def open_at(self, moment: dt.datetime) -> bool:
        local = moment.astimezone(BEIJING).time()
        if self.opens <= self.closes:
            return self.opens <= local < self.closes
        return local >= self.opens or local < self.closes  # across midnight


@dataclass(frozen=True, slots=True)
class CameraFrame:
    """One frame from one camera, with the premises' hours."""

    camera_id: str
    captured_at: dt.datetime
    frame: Frame
    hours: BusinessHours = field(default_factory=BusinessHours)


@dataclass(frozen=True, slots=True)
class AlertCandidate:
    """A possible violation for a person to review."""

    camera_id: str
    category: Category
    confidence: float
    boxes: tuple[Box, ...]
    frame_sha256: str
    captured_at: dt.datetime
    model: str
    """Backend and model version that scored the frame, e.g. ``onnxruntime:kitchen_detector/1``."""


DEFAULT_THRESHOLDS: Mapping[str, float] = {channel: 0.5 for channel in CHANNELS}


@dataclass(frozen=True, slots=True)
class PipelineSettings:
    thresholds: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_THRESHOLDS))
    """Per detector channel; a category with too many false alarms gets a higher one."""
    dedup_window: dt.timedelta = dt.timedelta(minutes=10)
    """One alert per camera and category in this window: a worker without a hat for an hour is one alert."""
    unattended_after: dt.timedelta = dt.timedelta(minutes=15)
    """During business hours, no one seen for this long makes an UNATTENDED alert."""


def boxes(scores: NDArray[np.float32], threshold: float) -> tuple[Box, ...]:
    """The 4-connected groups of cells scoring above ``threshold``, each as one box with its best score."""
    above = scores > threshold
    seen = np.zeros_like(above)
    found = []
    for row, column in zip(*np.nonzero(above), strict=True):
        if seen[row, column]:
            continue
        stack, cells = [(int(row), int(column))], []
        seen[row, column] = True
        while stack:
            r, c = stack.pop()
            cells.append((r, c))
            for nr, nc in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):
                if 0 <= nr < GRID and 0 <= nc < GRID and above[nr, nc] and not seen[nr, nc]:
                    seen[nr, nc] = True
                    stack.append((nr, nc))
        rows, columns = [r for r, _ in cells], [c for _, c in cells]
        found.append(
            Box(
                left=min(columns) / GRID,
                top=min(rows) / GRID,
                width=(max(columns) - min(columns) + 1) / GRID,
                height=(max(rows) - min(rows) + 1) / GRID,
                score=round(float(max(scores[r, c] for r, c in cells)), 4),
            )
        )
    return tuple(sorted(found, key=lambda box: -box.score))


class FramePipeline:
    """Judges batches of camera frames; remembers, per camera, the last alert of each category and the last person
    seen (the state of de-duplication and of the unattended rule)."""

    def __init__(self, backend: InferenceBackend, settings: PipelineSettings | None = None) -> None:
        self.backend = backend
        self.settings = settings or PipelineSettings()
        self._last_alert: dict[tuple[str, Category], dt.datetime] = {}
        self._last_person: dict[str, dt.datetime] = {}

    @property
    def model(self) -> str:
        return f"{self.backend.name}:{self.backend.model_version}"

    async def judge(self, frames: Sequence[CameraFrame]) -> list[AlertCandidate]:
        """Alert candidates for a batch of frames, in frame order; frames of one camera in capture order."""
        if not frames:
            return []
        scores = await self.backend.detect(np.stack([item.frame.tensor for item in frames]))
        candidates: list[AlertCandidate] = []
        for item, maps in zip(frames, scores, strict=True):
            candidates += self._candidates(item, maps)
        return candidates

    def _candidates(self, item: CameraFrame, maps: NDArray[np.float32]) -> list[AlertCandidate]:
        found: dict[Category, tuple[Box, ...]] = {}
        person = boxes(maps[0], self.settings.thresholds["PERSON"])
        for index, channel in enumerate(CHANNELS[1:], start=1):
            hits = boxes(maps[index], self.settings.thresholds[channel])
            if hits:
                found[Category(channel)] = hits
        open_now = item.hours.open_at(item.captured_at)
        if person:
            self._last_person[item.camera_id] = item.captured_at
            if not open_now:
                found[Category.UNATTENDED] = person  # work outside business hours
        elif open_now:
            seen = self._last_person.setdefault(item.camera_id, item.captured_at)
            if item.captured_at - seen >= self.settings.unattended_after:
                found[Category.UNATTENDED] = ()
        return [self._candidate(item, category, hits) for category, hits in found.items() if self._due(item, category)]

    def _due(self, item: CameraFrame, category: Category) -> bool:
        key = (item.camera_id, category)
        last = self._last_alert.get(key)
        if last is not None and item.captured_at - last < self.settings.dedup_window:
            return False
        self._last_alert[key] = item.captured_at
        return True

    def _candidate(self, item: CameraFrame, category: Category, hits: tuple[Box, ...]) -> AlertCandidate:
        return AlertCandidate(
            camera_id=item.camera_id,
            category=category,
            confidence=max((box.score for box in hits), default=1.0),
            boxes=hits,
            frame_sha256=item.frame.sha256,
            captured_at=item.captured_at,
            model=self.model,
        )

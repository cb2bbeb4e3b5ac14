"""Frames to detections with the kitchen detector (the model of ``inference/``, run by ONNX Runtime in process or on
Triton): each detector channel's cells above its threshold, merged into boxes by :func:`inference.pipeline.boxes`.

What becomes an alert (de-duplication window, business hours) is decided where alerts live, from these detections.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from adapters.ingest.records import Detection
from inference.backends import InferenceBackend
from inference.frames import Frame
from inference.pipeline import DEFAULT_THRESHOLDS, boxes
from inference.taxonomy import CHANNELS


@dataclass(slots=True)
class FrameDetector:
    backend: InferenceBackend
    thresholds: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_THRESHOLDS))

    @property
    def model(self) -> tuple[str, str]:
        """The model's name and version, e.g. ``("kitchen_detector", "1")``."""
        name, _, version = self.backend.model_version.partition("/")
        return name, version

    async def detect(self, frame: Frame) -> tuple[Detection, ...]:
        (maps,) = await self.backend.detect(np.stack([frame.tensor]))
        return tuple(
            Detection(channel, box.score, box)
            for index, channel in enumerate(CHANNELS)
            for box in boxes(maps[index], self.thresholds[channel])
        )

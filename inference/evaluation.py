"""How well the detector sees each category, frame by frame: does it flag a frame that shows the thing, and only
those (precision and recall per category on a held-out set)."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from inference.taxonomy import CHANNELS

THRESHOLD = 0.5
HELD_OUT_SEED, HELD_OUT = 7, 2000
"""The held-out scenes: a seed the training never draws from, and how many frames the recorded figures cover."""


def frame_accuracy(
    scores: NDArray[np.float32], labels: NDArray[np.float32], threshold: float = THRESHOLD
) -> dict[str, Any]:
    """Precision and recall per channel: a frame is predicted positive when any cell scores above ``threshold``."""
    predicted = scores.reshape(scores.shape[0], scores.shape[1], -1).max(axis=2) > threshold
    actual = labels.reshape(labels.shape[0], labels.shape[1], -1).max(axis=2) > 0.5
    categories: dict[str, dict[str, float]] = {}
    for index, channel in enumerate(CHANNELS):
        hit = int(np.sum(predicted[:, index] & actual[:, index]))
        flagged, present = int(np.sum(predicted[:, index])), int(np.sum(actual[:, index]))
        categories[channel] = {
            "precision": round(hit / flagged, 4) if flagged else 1.0,
            "recall": round(hit / present, 4) if present else 1.0,
            "support": present,
        }
    return {"held_out_frames": int(scores.shape[0]), "threshold": threshold, "categories": categories}

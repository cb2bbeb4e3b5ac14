"""The committed detector still sees what its accuracy report says: re-scored on held-out scenes (a seed the
training never drew from), every category keeps its precision and recall above the floor."""

from __future__ import annotations

import json

import numpy as np

from inference.backends import OnnxRuntimeBackend
from inference.evaluation import HELD_OUT_SEED, frame_accuracy
from inference.repository import DETECTOR, MODELS
from inference.taxonomy import CHANNELS
from inference.training.scenes import scenes

FLOOR = 0.85


def test_the_committed_model_meets_its_recorded_accuracy_on_held_out_scenes() -> None:
    recorded = json.loads((MODELS / DETECTOR / "accuracy.json").read_text(encoding="utf-8"))
    images, labels = scenes(400, HELD_OUT_SEED)
    scores = OnnxRuntimeBackend().run((images.transpose(0, 3, 1, 2) / 255.0).astype(np.float32))
    measured = frame_accuracy(scores, labels)["categories"]
    assert set(measured) == set(CHANNELS) == set(recorded["categories"])
    for channel, figures in measured.items():
        assert figures["support"] > 0, channel
        assert figures["precision"] >= FLOOR and figures["recall"] >= FLOOR, (channel, figures)
        assert recorded["categories"][channel]["recall"] >= FLOOR, channel

"""The alert pipeline with the committed detector: what it sees becomes a candidate once per window, thresholds are
per category, and the unattended / after-hours rule follows the premises' hours.

Frames are synthetic kitchen scenes chosen by their labels (what was drawn), encoded as PNG as a camera would send
them; the model is the one shipped in the repository, run by ONNX Runtime.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np
import pytest

from inference.backends import OnnxRuntimeBackend
from inference.frames import decode, encode_png
from inference.pipeline import BusinessHours, CameraFrame, FramePipeline, PipelineSettings
from inference.taxonomy import CHANNELS, Category
from inference.training.scenes import Scene, scene
from kernel.clock import BEIJING

NOON = dt.datetime(2026, 12, 4, 12, 0, tzinfo=BEIJING)
MIDNIGHT = dt.datetime(2026, 12, 5, 2, 0, tzinfo=BEIJING)
_INDEX = {name: index for index, name in enumerate(CHANNELS)}


def drawn(wanted: Callable[[set[str]], bool], seed: int = 5) -> Scene:
    """The first scene from ``seed`` whose drawn things (channels with a label) satisfy ``wanted``."""
    rng = np.random.default_rng(seed)
    for _ in range(2000):
        candidate = scene(rng)
        present = {name for name in CHANNELS if candidate.labels[_INDEX[name]].any()}
        if wanted(present):
            return candidate
    raise AssertionError("no such scene in 2000 draws")


NO_HAT_ONLY = drawn(lambda present: present == {"PERSON", "NO_HAT"})
EMPTY = drawn(lambda present: not present)
TIDY_WORKER = drawn(lambda present: present == {"PERSON"})


def frame(picture: Scene, camera: str, at: dt.datetime, hours: BusinessHours | None = None) -> CameraFrame:
    return CameraFrame(camera, at, decode(encode_png(picture.image)), hours or BusinessHours())


@pytest.fixture
def pipeline() -> FramePipeline:
    return FramePipeline(OnnxRuntimeBackend())


async def test_a_worker_without_a_hat_is_one_candidate_with_a_box_around_the_head(pipeline: FramePipeline) -> None:
    [candidate] = await pipeline.judge([frame(NO_HAT_ONLY, "cam-1", NOON)])
    assert candidate.category is Category.NO_HAT
    assert candidate.camera_id == "cam-1" and candidate.captured_at == NOON
    assert candidate.confidence > 0.5 and candidate.model == "onnxruntime:kitchen_detector/1"
    row, column = (int(i) for i in np.argwhere(NO_HAT_ONLY.labels[_INDEX["NO_HAT"]])[0])
    box = candidate.boxes[0]
    assert box.left <= column / 6 < box.left + box.width and box.top <= row / 6 < box.top + box.height
    assert candidate.frame_sha256 == decode(encode_png(NO_HAT_ONLY.image)).sha256


async def test_a_tidy_kitchen_in_business_hours_raises_nothing(pipeline: FramePipeline) -> None:
    assert await pipeline.judge([frame(TIDY_WORKER, "cam-1", NOON)]) == []


async def test_the_same_violation_on_one_camera_is_one_alert_per_window(pipeline: FramePipeline) -> None:
    minute = dt.timedelta(minutes=1)
    first = await pipeline.judge([frame(NO_HAT_ONLY, "cam-1", NOON + i * minute) for i in range(5)])
    assert [c.captured_at for c in first] == [NOON]
    other_camera = await pipeline.judge([frame(NO_HAT_ONLY, "cam-2", NOON + 5 * minute)])
    assert [c.camera_id for c in other_camera] == ["cam-2"]
    after_window = await pipeline.judge([frame(NO_HAT_ONLY, "cam-1", NOON + 10 * minute)])
    assert [c.category for c in after_window] == [Category.NO_HAT]


async def test_a_category_threshold_of_one_silences_that_category_only() -> None:
    strict = PipelineSettings(thresholds={**PipelineSettings().thresholds, "NO_HAT": 1.0})
    pipeline = FramePipeline(OnnxRuntimeBackend(), strict)
    assert await pipeline.judge([frame(NO_HAT_ONLY, "cam-1", NOON)]) == []


async def test_an_empty_kitchen_in_business_hours_is_unattended_after_fifteen_minutes(pipeline: FramePipeline) -> None:
    at = [NOON + dt.timedelta(minutes=m) for m in (0, 14, 15, 20)]
    judged = [await pipeline.judge([frame(EMPTY, "cam-1", moment)]) for moment in at]
    assert [[c.category for c in found] for found in judged] == [[], [], [Category.UNATTENDED], []]
    assert judged[2][0].boxes == ()


async def test_someone_seen_resets_the_unattended_clock(pipeline: FramePipeline) -> None:
    await pipeline.judge([frame(EMPTY, "cam-1", NOON)])
    await pipeline.judge([frame(TIDY_WORKER, "cam-1", NOON + dt.timedelta(minutes=10))])
    later = await pipeline.judge([frame(EMPTY, "cam-1", NOON + dt.timedelta(minutes=20))])
    assert later == []


async def test_work_outside_business_hours_is_an_after_hours_alert_with_the_person_boxed(
    pipeline: FramePipeline,
) -> None:
    [candidate] = await pipeline.judge([frame(TIDY_WORKER, "cam-1", MIDNIGHT)])
    assert candidate.category is Category.UNATTENDED and len(candidate.boxes) == 1
    night_shift = BusinessHours(opens=dt.time(18, 0), closes=dt.time(4, 0))
    assert await pipeline.judge([frame(TIDY_WORKER, "cam-9", MIDNIGHT, night_shift)]) == []
    assert await pipeline.judge([frame(EMPTY, "cam-7", MIDNIGHT)]) == []  # closed and empty is as it should be


async def test_one_batch_serves_many_cameras_in_order(pipeline: FramePipeline) -> None:
    batch = [frame(NO_HAT_ONLY, f"cam-{i}", NOON) for i in range(8)]
    assert [c.camera_id for c in await pipeline.judge(batch)] == [f"cam-{i}" for i in range(8)]

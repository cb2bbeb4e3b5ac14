"""A video clip judged on the long queue by the real job runner: the frame pipeline (embedded ONNX Runtime) over the
clip's frames, alerts recorded as the edge box would have reported them, once, however often the job runs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hub.jobs import InProcessJobQueue, JobContext
from inference.frames import encode_png
from subgraphs.common.component import Queue
from subgraphs.detection.component import component
from subgraphs.detection.services import DetectionServices
from tests.inference.test_pipeline import NO_HAT_ONLY, TIDY_WORKER
from tests.subgraphs.detection.conftest import NOW, Subgraph, with_camera

JOB = "detection.judge_clip"
ALERTS = "{ kitchenAlerts { category state frameRef modelName } }"


def clip(folder: Path) -> Path:
    start = NOW - dt.timedelta(minutes=30)
    for seq, (scene, minutes) in enumerate(((NO_HAT_ONLY, 0), (NO_HAT_ONLY, 1), (TIDY_WORKER, 2)), start=100):
        at = start + dt.timedelta(minutes=minutes)
        (folder / f"{seq}-{int(at.timestamp() * 1000)}.png").write_bytes(encode_png(scene.image))
    (folder / "notes.txt").write_text("not a frame")
    return folder


async def test_a_clip_is_judged_on_the_long_queue_once(subgraph: Subgraph, tmp_path: Path) -> None:
    await with_camera(subgraph)
    context = JobContext.build(
        subgraph.database, (component,), services={"detection": DetectionServices(clock=subgraph.clock)}
    )
    job, _ = context.job(JOB)
    assert job.queue is Queue.LONG
    queue = InProcessJobQueue(context)
    ids = {"device_id": "EDGE-1", "camera_id": "CAM-1", "clip": str(clip(tmp_path))}
    assert await queue.enqueue(JOB, job_id="clip-1", ids=ids)
    await queue.drain()
    assert queue.results["clip-1"].rows == 1  # one worker without a hat, seen twice within the window
    assert await queue.enqueue(JOB, job_id="clip-1-again", ids=ids)
    await queue.drain()
    assert queue.results["clip-1-again"].rows == 0
    (alert,) = (await subgraph.data(ALERTS))["kitchenAlerts"]
    assert (alert["category"], alert["state"], alert["modelName"]) == ("NO_HAT", "CANDIDATE", "onnxruntime")
    assert alert["frameRef"].startswith("file://") and "/100-" in alert["frameRef"]
    assert await subgraph.count("device_message") == 3

"""Kitchen-camera inference: per-frame latency on Triton (gRPC, HTTP) and ONNX Runtime, batch 1 and larger batches;
frames per second per CPU core through the whole pipeline (decode → detect → candidates); per-category precision
and recall on the held-out synthetic set.

    .venv/bin/python -m benchmarks.inference_bench [--frames 300] [--no-triton]

Needs `make triton` for the Triton figures. The machine is shared: read the ratios more than the absolute times.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import resource
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from inference.backends import InferenceBackend, OnnxRuntimeBackend, TritonBackend
from inference.evaluation import frame_accuracy
from inference.frames import decode, encode_png
from inference.pipeline import CameraFrame, FramePipeline
from inference.training.scenes import scenes
from inference.triton import running

BATCHES = (1, 4, 16, 64)


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


async def latency(backend: InferenceBackend, frames: np.ndarray, label: str) -> None:
    for _ in range(5):
        await backend.detect(frames[:1])
    times = []
    for frame in frames:
        began = time.perf_counter()
        await backend.detect(frame[None])
        times.append((time.perf_counter() - began) * 1000)
    best = ""
    for batch in BATCHES:
        began = time.perf_counter()
        done = 0
        for start in range(0, len(frames) - batch + 1, batch):
            await backend.detect(frames[start : start + batch])
            done += batch
        rate = done / (time.perf_counter() - began)
        best += f" b{batch}={rate:,.0f}/s"
    print(f"{label:<14} batch 1: p50 {percentile(times, 0.5):.2f} ms, p99 {percentile(times, 0.99):.2f} ms;{best}")


async def pipeline_rate(frames: list[bytes]) -> None:
    backend = OnnxRuntimeBackend(threads=1)
    pipeline = FramePipeline(backend)
    start = dt.datetime(2026, 12, 4, 12, 0, tzinfo=dt.UTC)
    began_wall, began_cpu = time.perf_counter(), cpu_seconds()
    alerts = 0
    for index in range(0, len(frames), 16):
        batch = [
            CameraFrame(f"cam-{i % 8}", start + dt.timedelta(seconds=i), decode(data))
            for i, data in enumerate(frames[index : index + 16], start=index)
        ]
        alerts += len(await pipeline.judge(batch))
    wall, cpu = time.perf_counter() - began_wall, cpu_seconds() - began_cpu
    print(
        f"pipeline (decode PNG 96×96 + ONNX Runtime 1 thread + candidates): {len(frames) / wall:,.0f} frames/s wall, "
        f"{len(frames) / cpu:,.0f} frames per CPU-second, {alerts} candidates"
    )


async def main(count: int, triton: bool) -> None:
    images, labels = scenes(count, seed=4242)
    frames = (images.transpose(0, 3, 1, 2) / 255.0).astype(np.float32)
    print(f"{count} synthetic frames; {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.1f}")
    await latency(OnnxRuntimeBackend(threads=1), frames, "onnxruntime")
    if triton:
        with tempfile.TemporaryDirectory() as work:
            async with running(Path(work)) as server:
                for protocol, url in (("grpc", server.grpc_url), ("http", server.http_url)):
                    backend = TritonBackend(url, protocol=protocol)  # type: ignore[arg-type]
                    await latency(backend, frames, f"triton {protocol}")
                    await backend.close()
    await pipeline_rate([encode_png(image) for image in images])
    scores = OnnxRuntimeBackend().run(frames)
    report = frame_accuracy(scores, labels)
    print("held-out accuracy (frame level, threshold 0.5):")
    for category, figures in report["categories"].items():
        precision, recall, support = figures["precision"], figures["recall"], figures["support"]
        print(f"  {category:<13} precision {precision:.3f}  recall {recall:.3f}  (n={support})")
    print(f"mean recall {statistics.mean(f['recall'] for f in report['categories'].values()):.3f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=300)
    parser.add_argument("--no-triton", action="store_true")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.frames, not arguments.no_triton))

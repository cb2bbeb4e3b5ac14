"""Kitchen detector on Triton on a GPU: the same model repository, with the GPU configuration
(``configs/gpu.pbtxt``: one instance per GPU running the TorchScript weights), measured over gRPC with binary tensors.

    python3 -m benchmarks.triton_gpu --venv DIR [--seconds 8]

``DIR`` is a Python environment holding ``nvidia-pytriton`` (``lib/python3.X/site-packages/pytriton``) and PyTorch
with CUDA; ``benchmarks/triton_gpu.sh`` prepares one on the lent GPU machine from carried wheels. Prints frames/s for
batches of 1 to 64 with 1 and 8 concurrent callers (Triton's dynamic batching joins the callers' requests).
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np

from inference.backends import TritonBackend
from inference.repository import DETECTOR, MODELS
from inference.triton import TritonInstall, TritonPorts, start


def gpu_repository(into: Path) -> Path:
    """A copy of the repository whose detector uses its GPU configuration."""
    repository = into / "models"
    shutil.copytree(MODELS, repository)
    model = repository / DETECTOR
    (model / "config.pbtxt").write_text((model / "configs" / "gpu.pbtxt").read_text(encoding="utf-8"), encoding="utf-8")
    return repository


async def rate(url: str, frames: np.ndarray, batch: int, callers: int, seconds: float) -> float:
    backends = [TritonBackend(url) for _ in range(callers)]
    for backend in backends:
        await backend.detect(frames[:batch])
    done = 0
    deadline = time.perf_counter() + seconds

    async def call(backend: TritonBackend) -> None:
        nonlocal done
        while time.perf_counter() < deadline:
            await backend.detect(frames[:batch])
            done += batch

    began = time.perf_counter()
    await asyncio.gather(*(call(backend) for backend in backends))
    elapsed = time.perf_counter() - began
    for backend in backends:
        await backend.close()
    return done / elapsed


async def main(venv: Path, seconds: float) -> None:
    frames = np.random.default_rng(1).random((64, 3, 96, 96), dtype=np.float32)
    with tempfile.TemporaryDirectory() as work:
        repository = gpu_repository(Path(work))
        server = start(Path(work), TritonPorts.free(), repository, TritonInstall(venv))
        try:
            began = time.perf_counter()
            await server.wait_ready(timeout_s=300)
            print(f"Triton ready with the GPU configuration in {time.perf_counter() - began:.1f} s", flush=True)
            for callers in (1, 8):
                for batch in (1, 8, 64):
                    figure = await rate(server.grpc_url, frames, batch, callers, seconds)
                    print(f"gRPC, {callers} caller(s), batch {batch:>2}: {figure:>9,.0f} frames/s", flush=True)
        finally:
            server.stop()
            log = Path(work) / "tritonserver.log"
            print("--- tritonserver.log (tail) ---\n" + "\n".join(log.read_text(errors="replace").splitlines()[-25:]))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venv", type=Path, required=True)
    parser.add_argument("--seconds", type=float, default=8.0)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.venv, arguments.seconds))

"""Edge ingestion (gRPC, mutual TLS, local SQLite store): readings per second by batch size (batch 1 is the baseline
of the same run); frames per CPU-second through SubmitFrame (decode → kitchen detector on ONNX Runtime → record)
beside the detector called directly; loss and duplication when the server is killed twice mid-stream.

    .venv/bin/python -m benchmarks.ingest_bench [--readings 3000] [--frames 150]

Client and in-process server share one event loop (one core); read the ratios more than the absolute figures.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import resource
import signal
import socket
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path

import grpc
import numpy as np
from google.protobuf.timestamp_pb2 import Timestamp

from adapters.ingest.auth import CertificateAuthenticator
from adapters.ingest.client import upload
from adapters.ingest.detector import FrameDetector
from adapters.ingest.local import SqliteIngestStore
from adapters.ingest.proto import ingest_pb2 as pb
from adapters.ingest.proto.ingest_pb2_grpc import EdgeIngestStub
from adapters.ingest.records import Device, DeviceKind
from adapters.ingest.server import serving
from inference.backends import OnnxRuntimeBackend
from inference.frames import decode, encode_png
from inference.training.scenes import scenes
from tests.adapters.ingest.pki import Pki

PREMISES = "91440300MA5H7K2P12"
KIT = Device("kit-bench", DeviceKind.TEST_KIT, PREMISES)
BOX = Device("box-bench", DeviceKind.CAMERA_BOX, PREMISES, frozenset({"cam-1"}))
NOON = dt.datetime(2026, 6, 1, 4, 0, tzinfo=dt.UTC)


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def stamp(moment: dt.datetime) -> Timestamp:
    found = Timestamp()
    found.FromDatetime(moment)
    return found


def readings(count: int) -> list[pb.Reading]:
    return [
        pb.Reading(seq=n, premises_id=PREMISES, sample="小白菜", analyte="PESTICIDE_INHIBITION", value=float(n % 90),
                   unit="%", measured_at=stamp(NOON + dt.timedelta(seconds=n)))
        for n in range(1, count + 1)
    ]  # fmt: skip


def channel_to(pki: Pki, port: int, device_id: str) -> grpc.aio.Channel:
    identity = pki.issue(device_id)
    credentials = grpc.ssl_channel_credentials(pki.ca_pem, identity.key, identity.certificate)
    return grpc.aio.secure_channel(f"127.0.0.1:{port}", credentials)


async def readings_per_second(pki: Pki, folder: Path, count: int) -> None:
    print("readings per second (one kit, lock-step batches, acknowledged and committed):")
    baseline = None
    for batch in (1, 10, 100, 500):
        store = SqliteIngestStore(folder / f"readings-{batch}.sqlite3")
        await store.register(KIT)
        total = count if batch > 1 else max(count // 5, 100)
        async with (
            serving(store, [CertificateAuthenticator()], None, tls=pki.tls, grace=0.1) as running,
            channel_to(pki, running.port, KIT.device_id) as opened,
        ):
            stub = EdgeIngestStub(opened)
            started = time.perf_counter()
            report = await upload(lambda: stub, KIT.device_id, readings(total), batch=batch)  # noqa: B023
            seconds = time.perf_counter() - started
        store.close()
        assert report.acked_through == total
        rate = total / seconds
        baseline = baseline or rate
        print(f"  batch {batch:>4}: {rate:>9,.0f} readings/s   ×{rate / baseline:5.1f} vs batch 1   ({total} readings)")


async def frames_per_cpu_second(pki: Pki, folder: Path, count: int) -> None:
    images, _ = scenes(count, seed=11)
    encoded = [encode_png(image) for image in images]
    backend = OnnxRuntimeBackend(threads=1)
    detector = FrameDetector(backend)
    await detector.detect(decode(encoded[0]))  # load the model
    cpu, started = cpu_seconds(), time.perf_counter()
    for data in encoded:
        await detector.detect(decode(data))
    direct_cpu, direct_wall = cpu_seconds() - cpu, time.perf_counter() - started

    store = SqliteIngestStore(folder / "frames.sqlite3")
    await store.register(BOX)
    latencies: list[float] = []
    async with (
        serving(store, [CertificateAuthenticator()], detector, tls=pki.tls, grace=0.1) as running,
        channel_to(pki, running.port, BOX.device_id) as opened,
    ):
        stub = EdgeIngestStub(opened)
        cpu, started = cpu_seconds(), time.perf_counter()
        for seq, data in enumerate(encoded, start=1):
            request = pb.FrameRequest(device_id=BOX.device_id, seq=seq, premises_id=PREMISES, camera_id="cam-1",
                                      captured_at=stamp(NOON), image=data)  # fmt: skip
            before = time.perf_counter()
            await stub.SubmitFrame(request, timeout=30)
            latencies.append(time.perf_counter() - before)
        grpc_cpu, grpc_wall = cpu_seconds() - cpu, time.perf_counter() - started
    store.close()
    await backend.close()
    p50, p99 = (float(np.percentile(latencies, q)) * 1000 for q in (50, 99))
    print(
        f"frames through SubmitFrame ({count} PNG frames 96×96, ONNX Runtime 1 thread, client and server in process):"
    )
    print(
        f"  detector alone (decode + detect): {count / direct_cpu:7.1f} frames/CPU-s  "
        f"{count / direct_wall:7.1f} frames/s"
    )
    print(f"  SubmitFrame over gRPC + record:   {count / grpc_cpu:7.1f} frames/CPU-s  {count / grpc_wall:7.1f} frames/s"
          f"   p50 {p50:.1f} ms  p99 {p99:.1f} ms   ({grpc_cpu / direct_cpu:.2f}× the detector's CPU)")  # fmt: skip


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@asynccontextmanager
async def server_process(store: Path, tls: Path, port: int) -> AsyncIterator[asyncio.subprocess.Process]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "adapters.ingest.server", "--port", str(port), "--store", str(store),
        "--tls-dir", str(tls), "--no-detector", stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    assert process.stdout is not None
    await asyncio.wait_for(process.stdout.readline(), timeout=60)
    try:
        yield process
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGKILL)
        await process.wait()


async def kill_mid_stream(pki: Pki, folder: Path, count: int) -> None:
    path, port, kills = folder / "crash.sqlite3", free_port(), [0]
    setup = SqliteIngestStore(path)
    await setup.register(KIT)
    setup.close()
    tls = pki.write(folder / "tls")
    async with AsyncExitStack() as resources:
        servers = [await resources.enter_async_context(server_process(path, tls, port))]

        def connect() -> EdgeIngestStub:
            opened = channel_to(pki, port, KIT.device_id)
            resources.push_async_callback(opened.close)
            return EdgeIngestStub(opened)

        async def kill(ack: pb.ReadingAck) -> None:
            if kills[0] < 2 and ack.acked_through >= (kills[0] + 1) * count // 3:
                kills[0] += 1
                os.kill(servers[-1].pid, signal.SIGKILL)
                await servers[-1].wait()
                servers.append(await resources.enter_async_context(server_process(path, tls, port)))

        started = time.perf_counter()
        report = await upload(connect, KIT.device_id, readings(count), batch=100, on_ack=kill)
        seconds = time.perf_counter() - started
    check = SqliteIngestStore(path)
    seqs = [row[0] for row in check._connection.execute("SELECT seq FROM readings")]
    check.close()
    lost = count - len(set(seqs))
    duplicated = len(seqs) - len(set(seqs))
    print(f"server killed (SIGKILL) {kills[0]}× mid-stream, {count} readings in batches of 100:")
    print(f"  loss {lost}  duplication {duplicated}  reconnects {report.reconnects}  "
          f"acked through {report.acked_through}  {seconds:.1f} s including two restarts")  # fmt: skip


async def main(args: argparse.Namespace) -> None:
    pki = Pki()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        await readings_per_second(pki, folder, args.readings)
        await frames_per_cpu_second(pki, folder, args.frames)
        await kill_mid_stream(pki, folder, args.readings)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--readings", type=int, default=3000)
    parser.add_argument("--frames", type=int, default=150)
    asyncio.run(main(parser.parse_args()))

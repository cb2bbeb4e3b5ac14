"""Quick-test kits: readings in batches on a bidirectional stream, cumulative acks, resume after the last ack; a bad
reading is refused on its own (in the ack, counted) and the others are taken; every reading is taken exactly once,
even when the server is killed mid-stream and started again."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path

import grpc
import pytest

from adapters.ingest.client import upload
from adapters.ingest.local import SqliteIngestStore
from adapters.ingest.proto import ingest_pb2 as pb
from adapters.ingest.proto.ingest_pb2_grpc import EdgeIngestStub
from adapters.ingest.server import RunningServer
from tests.adapters.ingest.conftest import OTHER_PREMISES, PREMISES, TEST_KIT, channel, code_of, stamp
from tests.adapters.ingest.pki import Pki

MORNING = dt.datetime(2026, 12, 4, 1, 30, tzinfo=dt.UTC)


def reading(seq: int, **changes: object) -> pb.Reading:
    fields: dict[str, object] = {
        "seq": seq, "premises_id": PREMISES, "sample": "小白菜", "analyte": "PESTICIDE_INHIBITION",
        "value": float(seq % 90), "unit": "%", "measured_at": stamp(MORNING + dt.timedelta(seconds=seq)),
    }  # fmt: skip
    return pb.Reading(**{**fields, **changes})


async def test_batches_are_acknowledged_cumulatively_and_bad_readings_refused_alone(
    kit: EdgeIngestStub, store: SqliteIngestStore, server: RunningServer
) -> None:
    readings = [reading(n) for n in range(1, 11)]
    readings[2] = reading(3, unit="kg")  # pesticide inhibition is a percentage
    readings[4] = reading(5, value=-1.0)
    readings[6] = reading(7, premises_id=OTHER_PREMISES)
    readings[7] = reading(8, analyte="FORMALDEHYDE", value=2.5, unit="g/kg")  # converted: 2500 mg/kg

    report = await upload(lambda: kit, TEST_KIT.device_id, readings, batch=4)

    assert report.acked_through == 10
    assert [(r.seq, r.code) for r in report.rejected] == [
        (3, "INVALID_READING"),
        (5, "INVALID_READING"),
        (7, "WRONG_PREMISES"),
    ]
    assert "PESTICIDE_INHIBITION is not measured in 'kg'" in report.rejected[0].reason
    assert await store.count("readings", TEST_KIT.device_id) == 7
    assert await store.count("reading_rejections", TEST_KIT.device_id) == 3
    assert (
        server.service.metrics.value("zhijian_ingest_refusals_total", rpc="StreamReadings", code="INVALID_READING") == 2
    )
    assert server.service.metrics.value("zhijian_ingest_effects_total", kind="readings", outcome="taken") == 7


async def test_a_new_stream_starts_from_the_last_ack_and_ignores_what_was_taken(
    kit: EdgeIngestStub, store: SqliteIngestStore
) -> None:
    await upload(lambda: kit, TEST_KIT.device_id, [reading(n) for n in range(1, 6)], batch=5)

    call = kit.StreamReadings(timeout=10)
    assert (await call.read()).acked_through == 5
    await call.write(pb.ReadingBatch(device_id=TEST_KIT.device_id, readings=[reading(n) for n in range(4, 8)]))
    ack = await call.read()
    await call.done_writing()

    assert (ack.acked_through, ack.duplicates) == (7, 2)
    assert await store.count("readings", TEST_KIT.device_id) == 7


@pytest.mark.parametrize(
    ("batch", "code"),
    [
        (pb.ReadingBatch(device_id=TEST_KIT.device_id, readings=[reading(2)]), "SEQ_GAP"),
        (pb.ReadingBatch(device_id="kit-2", readings=[reading(1)]), "UNKNOWN_DEVICE"),
    ],
)
async def test_a_gap_or_another_devices_batch_ends_the_stream(
    kit: EdgeIngestStub, store: SqliteIngestStore, batch: pb.ReadingBatch, code: str
) -> None:
    call = kit.StreamReadings(timeout=10)
    await call.read()
    await call.write(batch)
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await call.read()
    assert code_of(caught.value) == code
    assert await store.count("readings", TEST_KIT.device_id) == 0


async def test_a_camera_box_cannot_stream_readings(pki: Pki, server: RunningServer) -> None:
    async with channel(pki, server.port, "box-1") as opened:
        call = EdgeIngestStub(opened).StreamReadings(timeout=10)
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await call.read()
    assert (caught.value.code(), code_of(caught.value)) == (grpc.StatusCode.PERMISSION_DENIED, "UNKNOWN_DEVICE")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@asynccontextmanager
async def _server_process(store: Path, tls: Path, port: int) -> AsyncIterator[asyncio.subprocess.Process]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "adapters.ingest.server", "--port", str(port), "--store", str(store),
        "--tls-dir", str(tls), "--no-detector", stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        line = await asyncio.wait_for(process.stdout.readline(), timeout=60)
        assert b"ingestion server on" in line, line
        yield process
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGKILL)
        await process.wait()


async def test_killing_the_server_mid_stream_loses_and_duplicates_nothing(pki: Pki, tmp_path: Path) -> None:
    path, port, total = tmp_path / "ingest.sqlite3", _free_port(), 3000
    setup = SqliteIngestStore(path)
    await setup.register(TEST_KIT)
    setup.close()
    tls = pki.write(tmp_path / "tls")
    kills = 0
    async with AsyncExitStack() as resources:
        servers = [await resources.enter_async_context(_server_process(path, tls, port))]

        def connect() -> EdgeIngestStub:
            opened = channel(pki, port, TEST_KIT.device_id)
            resources.push_async_callback(opened.close)
            return EdgeIngestStub(opened)

        async def kill_at_each_thousand(ack: pb.ReadingAck) -> None:
            nonlocal kills
            if kills < 2 and ack.acked_through >= (kills + 1) * 1000:
                kills += 1
                os.kill(servers[-1].pid, signal.SIGKILL)  # mid-stream: the kit has more to send
                await servers[-1].wait()
                servers.append(await resources.enter_async_context(_server_process(path, tls, port)))

        report = await upload(
            connect, TEST_KIT.device_id, [reading(n) for n in range(1, total + 1)], batch=50,
            on_ack=kill_at_each_thousand,
        )  # fmt: skip

    check = SqliteIngestStore(path)
    seqs = [row[0] for row in check._connection.execute("SELECT seq FROM readings ORDER BY seq")]
    check.close()
    assert kills == 2 and report.reconnects >= 2
    assert report.acked_through == total
    assert seqs == list(range(1, total + 1))  # loss 0, duplication 0 (each seq once)

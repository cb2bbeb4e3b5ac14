"""The kit's side of the reading stream (a reference client for device makers, the tests and the benchmark): send
readings in batches, learn from the server where to resume, and after a disconnect resume after the last ack."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

import grpc

from adapters.ingest.proto import ingest_pb2 as pb
from adapters.ingest.proto.ingest_pb2_grpc import EdgeIngestStub

RETRIED = frozenset({grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED, grpc.StatusCode.CANCELLED})


@dataclass(slots=True)
class UploadReport:
    acked_through: int = 0
    rejected: list[pb.Rejection] = field(default_factory=list)
    duplicates: int = 0
    """Readings the server had taken already (sent again after a disconnect): ignored there."""
    reconnects: int = 0


async def upload(
    connect: Callable[[], EdgeIngestStub],
    device_id: str,
    readings: Sequence[pb.Reading],
    *,
    batch: int = 100,
    call_timeout: float = 30.0,
    retry_delay: float = 0.2,
    tries: int = 50,
    on_ack: Callable[[pb.ReadingAck], Awaitable[None]] | None = None,
    metadata: Sequence[tuple[str, str]] = (),
) -> UploadReport:
    """Send ``readings`` (seq 1…n, in order) until the server has acknowledged the last one; ``metadata`` goes with
    each stream (the device's token: ``(("authorization", "Bearer …"),)``)."""
    report = UploadReport()
    last = readings[-1].seq if readings else 0
    by_seq = {reading.seq: reading for reading in readings}
    for _ in range(tries):
        call = connect().StreamReadings(timeout=call_timeout, metadata=tuple(metadata))
        try:
            first = await call.read()
            if first is grpc.aio.EOF:
                raise ConnectionError("the server ended the stream")
            report.acked_through = first.acked_through
            while report.acked_through < last:
                start = report.acked_through + 1
                chunk = [by_seq[seq] for seq in range(start, min(start + batch, last + 1))]
                await call.write(pb.ReadingBatch(device_id=device_id, readings=chunk))
                ack = await call.read()
                if ack is grpc.aio.EOF:
                    raise ConnectionError("the server ended the stream")
                report.acked_through = ack.acked_through
                report.rejected += ack.rejected
                report.duplicates += ack.duplicates
                if on_ack is not None:
                    await on_ack(ack)
            await call.done_writing()
            return report
        except grpc.aio.AioRpcError as error:
            if error.code() not in RETRIED:
                raise
        except (ConnectionError, asyncio.InvalidStateError):  # the stream ended under us: the server went away
            pass
        finally:
            call.cancel()
        report.reconnects += 1
        await asyncio.sleep(retry_delay)
    raise ConnectionError(f"gave up after {tries} tries at ack {report.acked_through} of {last}")

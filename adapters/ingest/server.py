"""The ingestion gRPC server: ``EdgeIngest`` with the standard health-checking service and reflection, on 127.0.0.1,
plain (tokens in metadata) or mutual TLS (client certificates of the devices' CA).

Standalone, on a local SQLite store (an edge gateway, the crash tests)::

    python -m adapters.ingest.server --port 50051 --store ingest.sqlite3 [--tls-dir DIR] [--no-detector]

In the hub, ``zhijian up`` serves it with the detection subgraph as its sink (:mod:`hub.ingest`).
"""

from __future__ import annotations

import argparse
import asyncio
import signal
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from adapters.ingest.auth import CertificateAuthenticator, DeviceAuthenticator
from adapters.ingest.detector import FrameDetector
from adapters.ingest.proto import ingest_pb2, ingest_pb2_grpc
from adapters.ingest.records import IngestSink
from adapters.ingest.service import EdgeIngestService
from inference.frames import MAX_FRAME_BYTES

SERVICE = ingest_pb2.DESCRIPTOR.services_by_name["EdgeIngest"].full_name
MAX_MESSAGE = MAX_FRAME_BYTES + 1024 * 1024
"""Messages up to this size reach the service, so a frame over the frame limit is refused with its reason; beyond
it gRPC refuses the message itself (RESOURCE_EXHAUSTED)."""


@dataclass(frozen=True, slots=True)
class Tls:
    """Mutual TLS: the server's key and certificate, and the CA that signs the devices' certificates."""

    key: bytes
    certificate: bytes
    client_ca: bytes

    @classmethod
    def from_dir(cls, folder: Path) -> Tls:
        """``server.key``, ``server.crt`` and ``devices-ca.crt`` in ``folder``."""
        names = ("server.key", "server.crt", "devices-ca.crt")
        key, certificate, client_ca = ((folder / name).read_bytes() for name in names)
        return cls(key, certificate, client_ca)


@dataclass(slots=True)
class RunningServer:
    server: grpc.aio.Server
    port: int
    service: EdgeIngestService


@asynccontextmanager
async def serving(
    sink: IngestSink,
    authenticators: Sequence[DeviceAuthenticator],
    detector: FrameDetector | None,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    tls: Tls | None = None,
    call_timeout: float = 10.0,
    frames: Path | None = None,
    grace: float = 5.0,
) -> AsyncIterator[RunningServer]:
    """The server started on ``host:port`` (0: any free port) until the block ends."""
    service = EdgeIngestService(sink, authenticators, detector, frames, call_timeout=call_timeout)
    server = grpc.aio.server(
        options=[("grpc.max_receive_message_length", MAX_MESSAGE), ("grpc.so_reuseport", 0)],
    )
    ingest_pb2_grpc.add_EdgeIngestServicer_to_server(service, server)
    checks = health.aio.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(checks, server)
    reflection.enable_server_reflection((SERVICE, health.SERVICE_NAME, reflection.SERVICE_NAME), server)
    address = f"{host}:{port}"
    try:
        if tls is None:
            bound = server.add_insecure_port(address)
        else:
            credentials = grpc.ssl_server_credentials(
                [(tls.key, tls.certificate)], root_certificates=tls.client_ca, require_client_auth=True
            )
            bound = server.add_secure_port(address, credentials)
    except RuntimeError:
        bound = 0
    if bound == 0:
        raise OSError(f"cannot listen on {address} for the edge ingestion (gRPC): the port is taken")
    await server.start()
    for name in ("", SERVICE):
        await checks.set(name, health_pb2.HealthCheckResponse.SERVING)
    try:
        yield RunningServer(server, bound, service)
    finally:
        await checks.enter_graceful_shutdown()
        await server.stop(grace)


async def _main(args: argparse.Namespace) -> int:
    from adapters.ingest.local import SqliteIngestStore

    store = SqliteIngestStore(args.store)
    detector = None
    if not args.no_detector:
        from inference.backends import OnnxRuntimeBackend

        detector = FrameDetector(OnnxRuntimeBackend())
    tls = None if args.tls_dir is None else Tls.from_dir(args.tls_dir)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with serving(store, [CertificateAuthenticator()], detector, port=args.port, tls=tls) as running:
        print(f"ingestion server on 127.0.0.1:{running.port}", flush=True)
        await stop.wait()
    store.close()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m adapters.ingest.server", description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=50051)
    parser.add_argument("--store", type=Path, required=True, help="the SQLite file of devices and effects")
    parser.add_argument("--tls-dir", type=Path, help="server.key, server.crt, devices-ca.crt (mutual TLS)")
    parser.add_argument("--no-detector", action="store_true", help="take the edge boxes' own detections only")
    return asyncio.run(_main(parser.parse_args(argv)))


if __name__ == "__main__":
    raise SystemExit(main())

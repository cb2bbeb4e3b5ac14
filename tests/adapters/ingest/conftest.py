"""The ingestion server in process over mutual TLS, on a local SQLite store with a camera box and a test kit
registered; devices call it as a device would, with their own client certificate."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import grpc
import pytest
from google.protobuf.timestamp_pb2 import Timestamp

from adapters.ingest.auth import CertificateAuthenticator
from adapters.ingest.detector import FrameDetector
from adapters.ingest.local import SqliteIngestStore
from adapters.ingest.proto import ingest_pb2_grpc
from adapters.ingest.records import Device, DeviceKind
from adapters.ingest.server import RunningServer, serving
from inference.backends import OnnxRuntimeBackend
from tests.adapters.ingest.pki import Pki

PREMISES = "91440300MA5H7K2P12"
OTHER_PREMISES = "91110000101623741K"
CAMERA_BOX = Device("box-1", DeviceKind.CAMERA_BOX, PREMISES, frozenset({"cam-1", "cam-2"}))
TEST_KIT = Device("kit-1", DeviceKind.TEST_KIT, PREMISES)


def stamp(moment: dt.datetime) -> Timestamp:
    found = Timestamp()
    found.FromDatetime(moment)
    return found


@pytest.fixture(scope="session")
def pki() -> Pki:
    return Pki()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteIngestStore]:
    found = SqliteIngestStore(tmp_path / "ingest.sqlite3")
    yield found
    found.close()


@pytest.fixture
async def server(store: SqliteIngestStore, pki: Pki, tmp_path: Path) -> AsyncIterator[RunningServer]:
    await store.register(CAMERA_BOX)
    await store.register(TEST_KIT)
    detector = FrameDetector(OnnxRuntimeBackend())
    frames = tmp_path / "frames"
    async with serving(store, [CertificateAuthenticator()], detector, tls=pki.tls, frames=frames, grace=0.5) as running:
        yield running


def channel(pki: Pki, port: int, device_id: str | None) -> grpc.aio.Channel:
    """A secure channel to the server, as ``device_id`` (its own certificate) or without a client certificate."""
    identity = None if device_id is None else pki.issue(device_id)
    credentials = grpc.ssl_channel_credentials(
        root_certificates=pki.ca_pem,
        private_key=None if identity is None else identity.key,
        certificate_chain=None if identity is None else identity.certificate,
    )
    return grpc.aio.secure_channel(f"127.0.0.1:{port}", credentials)


@pytest.fixture
async def box(pki: Pki, server: RunningServer) -> AsyncIterator[ingest_pb2_grpc.EdgeIngestStub]:
    async with channel(pki, server.port, CAMERA_BOX.device_id) as opened:
        yield ingest_pb2_grpc.EdgeIngestStub(opened)


@pytest.fixture
async def kit(pki: Pki, server: RunningServer) -> AsyncIterator[ingest_pb2_grpc.EdgeIngestStub]:
    async with channel(pki, server.port, TEST_KIT.device_id) as opened:
        yield ingest_pb2_grpc.EdgeIngestStub(opened)


def code_of(error: grpc.aio.AioRpcError) -> str | None:
    """The machine code of a refusal (``zhijian-code`` trailing metadata)."""
    for key, value in error.trailing_metadata() or ():
        if key == "zhijian-code":
            return str(value)
    return None

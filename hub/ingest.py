"""The edge-device ingestion server (gRPC) as ``zhijian up`` serves it: devices authenticate with a token of the
hub's provider (and by client certificate where mutual TLS is configured); what they send goes to the detection
subgraph through the gateway, as the ingestion adapter's machine client. Its counters (calls, refusals by code,
effects taken and duplicates) are scraped with the gateway's at ``/metrics`` while it serves."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from adapters.component import INGEST_CLIENT, AdapterServices
from adapters.ingest.auth import CertificateAuthenticator, DeviceAuthenticator, TokenAuthenticator
from adapters.ingest.detector import FrameDetector
from adapters.ingest.graph import GraphIngestSink
from adapters.ingest.server import RunningServer, Tls, serving
from hub.embedded import Hub
from hub.settings import Settings
from inference.backends import InferenceBackend, OnnxRuntimeBackend, TritonBackend


@asynccontextmanager
async def ingestion(hub: Hub, settings: Settings) -> AsyncIterator[RunningServer | None]:
    """The ingestion server on ``settings.host`` while the block runs (None: switched off by ``ZHIJIAN_INGEST``)."""
    services: AdapterServices = hub.jobs.services["adapters"]
    config = services.settings
    if not config.ingest or services.graph is None or hub.validator is None:
        yield None
        return
    authenticators: list[DeviceAuthenticator] = [TokenAuthenticator(hub.validator)]
    tls = None if config.ingest_tls_dir is None else Tls.from_dir(config.ingest_tls_dir)
    if tls is not None:
        authenticators.append(CertificateAuthenticator())
    backend: InferenceBackend = (
        OnnxRuntimeBackend() if config.triton_url is None else TritonBackend(config.triton_url, protocol="http")
    )
    sink = GraphIngestSink(services.graph(INGEST_CLIENT))
    try:
        async with serving(
            sink, authenticators, FrameDetector(backend), host=settings.host, port=config.ingest_port, tls=tls,
            frames=settings.data_dir / "frames",
        ) as running:  # fmt: skip
            scraped = hub.gateway.metrics.registry
            scraped.register(running.service.metrics.registry)
            try:
                yield running
            finally:
                scraped.unregister(running.service.metrics.registry)
    finally:
        await backend.close()

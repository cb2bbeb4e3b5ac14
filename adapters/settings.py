"""Where the legacy sources are (``ZHIJIAN_*`` variables, read at the entry point); an adapter whose source is not
configured does nothing."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from kernel.settings import Env


@dataclass(frozen=True, slots=True)
class AdapterSettings:
    registry_url: str | None = None
    """``ZHIJIAN_REGISTRY_URL``: the registry WebService's SOAP address (the demo simulator: …:4020/registry)."""
    registry_timeout: float = 30.0
    exchange_url: str | None = None
    """``ZHIJIAN_EXCHANGE_DATABASE_URL``: the 前置库 (``postgresql+asyncpg://…``), shared with the legacy party."""
    drop_dir: Path | None = None
    """``ZHIJIAN_DROP_DIR``: where senders drop files (``incoming/``; reports go to ``rejected/``)."""
    permits_api_url: str | None = None
    """``ZHIJIAN_PERMITS_API_URL``: the legacy permit system's REST/JSON base URL."""
    permits_api_rate: float = 5.0
    """``ZHIJIAN_PERMITS_API_RATE``: requests per second at most to that endpoint."""
    permits_api_timeout: float = 10.0
    ingest: bool = True
    """``ZHIJIAN_INGEST``: serve the edge-device ingestion (gRPC) with the hub."""
    ingest_port: int = 50051
    """``ZHIJIAN_INGEST_PORT``: where edge devices call (on the hub's host)."""
    ingest_tls_dir: Path | None = None
    """``ZHIJIAN_INGEST_TLS_DIR``: ``server.key``, ``server.crt`` and ``devices-ca.crt`` for mutual TLS (devices then
    authenticate by certificate or by token); unset: plain gRPC, devices authenticate by token."""
    triton_url: str | None = None
    """``ZHIJIAN_TRITON_URL``: Triton's HTTP endpoint (``host:port``), the kitchen detector's server for the whole
    hub (the detection subgraph's health shows it); unset: ONNX Runtime in process."""

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> AdapterSettings:
        env = Env(environ)
        drop, tls = env.get("ZHIJIAN_DROP_DIR"), env.get("ZHIJIAN_INGEST_TLS_DIR")
        return cls(
            registry_url=env.get("ZHIJIAN_REGISTRY_URL"),
            registry_timeout=env.seconds("ZHIJIAN_REGISTRY_TIMEOUT", 30.0),
            exchange_url=env.get("ZHIJIAN_EXCHANGE_DATABASE_URL"),
            drop_dir=None if drop is None else Path(drop),
            permits_api_url=env.get("ZHIJIAN_PERMITS_API_URL"),
            permits_api_rate=env.seconds("ZHIJIAN_PERMITS_API_RATE", 5.0),
            permits_api_timeout=env.seconds("ZHIJIAN_PERMITS_API_TIMEOUT", 10.0),
            ingest=env.flag("ZHIJIAN_INGEST", True),
            ingest_port=env.port("ZHIJIAN_INGEST_PORT", 50051),
            ingest_tls_dir=None if tls is None else Path(tls),
            triton_url=env.get("ZHIJIAN_TRITON_URL"),
        )

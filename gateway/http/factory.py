"""Build the app from the environment alone (each uvicorn worker process calls this)."""

from __future__ import annotations

from pathlib import Path

from gateway.http.app import GatewayApp, create_app
from gateway.settings import PREFIX, GatewaySettings


def app_from_env() -> GatewayApp:
    """The gateway app for `ZHIJIAN_GATEWAY_SUPERGRAPH` and the other settings."""
    settings = GatewaySettings.from_env()
    if not settings.supergraph_path:
        raise RuntimeError(f"{PREFIX}SUPERGRAPH is not set")
    return create_app(Path(settings.supergraph_path).read_text(encoding="utf-8"), settings)

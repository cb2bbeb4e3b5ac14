"""Each uvicorn worker (`--workers N`) builds its app from the environment alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from gateway.http.factory import app_from_env
from tests.gateway.market import market_federation


def test_worker_app_reads_the_supergraph_named_in_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "supergraph.graphql"
    path.write_text(market_federation().supergraph_sdl, encoding="utf-8")
    monkeypatch.setenv("ZHIJIAN_GATEWAY_SUPERGRAPH", str(path))
    monkeypatch.setenv("ZHIJIAN_GATEWAY_PLAN_CACHE_SIZE", "7")
    app = app_from_env()
    assert [s.name for s in app.gateway.supergraph.subgraphs] == ["entities", "permits", "supervision"]
    assert app.settings.plan_cache_size == 7


def test_worker_without_a_supergraph_fails_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ZHIJIAN_GATEWAY_SUPERGRAPH", raising=False)
    with pytest.raises(RuntimeError, match="ZHIJIAN_GATEWAY_SUPERGRAPH"):
        app_from_env()

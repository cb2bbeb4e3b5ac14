"""What operators see: Prometheus metrics scraped and parsed, readiness per subgraph, request ids and W3C trace
context passed to subgraphs, and a JSON access log without documents or tokens."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import orjson
import pytest
from prometheus_client.parser import text_string_to_metric_families
from starlette.types import Receive, Scope, Send

from gateway.execution import AsgiSubgraphClient, HttpSubgraphClient
from gateway.http import create_app
from gateway.http.app import GatewayApp
from gateway.settings import GatewaySettings
from tests.gateway.market import market_federation
from tests.gateway.operation.test_limits import fragment_bomb
from tests.gateway.servers import serving

QUERY = 'query Entity { entity(uscc: "91440300B") { name riskLevel } }'
TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"


class HeaderRecorder:
    """Delegates to a subgraph app and keeps the headers each request came with."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.seen: list[dict[bytes, bytes]] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            self.seen.append(dict(scope["headers"]))
        await self.app(scope, receive, send)


@pytest.fixture
async def served() -> AsyncIterator[tuple[httpx.AsyncClient, GatewayApp, HeaderRecorder]]:
    fed = market_federation()
    recorder = HeaderRecorder(fed.apps["entities"])
    transports = {**fed.transports(), "entities": AsgiSubgraphClient("entities", recorder)}
    app = create_app(fed.supergraph_sdl, GatewaySettings(), transports)
    async with serving(app, lifespan="on") as url, httpx.AsyncClient(base_url=url) as client:
        yield client, app, recorder


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


async def test_metrics_count_requests_errors_fetches_and_cache_hits(
    served: tuple[httpx.AsyncClient, GatewayApp, HeaderRecorder],
) -> None:
    client, _, _ = served
    for _ in range(2):
        assert "errors" not in (await client.post("/graphql", json={"query": QUERY})).json()
    await client.post("/graphql", json={"query": fragment_bomb(18)})
    scraped = await client.get("/metrics")
    assert scraped.headers["content-type"].startswith("text/plain; version=0.0.4")
    found = samples(scraped.text)
    assert found[("zhijian_gateway_requests_total", (("operation", "Entity"), ("outcome", "ok")))] == 2
    assert found[("zhijian_gateway_requests_total", (("operation", "-"), ("outcome", "refused")))] == 1
    assert found[("zhijian_gateway_errors_total", (("code", "FIELD_LIMIT_EXCEEDED"),))] == 1
    assert found[("zhijian_gateway_request_seconds_count", ())] == 3
    assert found[("zhijian_gateway_subgraph_fetch_seconds_count", (("subgraph", "entities"),))] == 2
    assert found[("zhijian_gateway_cache_lookups_total", (("cache", "documents"), ("result", "hit")))] == 1
    assert ("zhijian_gateway_event_loop_lag_seconds", ()) in found


async def test_request_ids_and_trace_context_reach_the_subgraphs(
    served: tuple[httpx.AsyncClient, GatewayApp, HeaderRecorder],
) -> None:
    client, _, recorder = served
    traceparent = f"00-{TRACE_ID}-00f067aa0ba902b7-01"
    given = await client.post(
        "/graphql", json={"query": QUERY}, headers={"x-request-id": "req-42", "traceparent": traceparent}
    )
    assert given.headers["x-request-id"] == "req-42"
    upstream = recorder.seen[-1]
    assert upstream[b"x-request-id"] == b"req-42"
    version, trace, parent, flags = upstream[b"traceparent"].decode().split("-")
    assert (version, trace, flags) == ("00", TRACE_ID, "01") and parent != "00f067aa0ba902b7"
    minted = await client.post("/graphql", json={"query": QUERY}, headers={"x-request-id": "bad id\twith spaces"})
    assert len(minted.headers["x-request-id"]) == 24
    assert b"traceparent" not in recorder.seen[-1]


async def test_the_access_log_is_json_without_the_document(
    served: tuple[httpx.AsyncClient, GatewayApp, HeaderRecorder], caplog: pytest.LogCaptureFixture
) -> None:
    client, _, _ = served
    with caplog.at_level("INFO", logger="zhijian.gateway.access"):
        await client.post("/graphql", json={"query": QUERY}, headers={"x-request-id": "req-7"})
    lines = [orjson.loads(r.getMessage()) for r in caplog.records if r.name == "zhijian.gateway.access"]
    assert lines[-1]["request_id"] == "req-7" and lines[-1]["operation"] == "Entity"
    assert lines[-1]["status"] == 200 and lines[-1]["outcome"] == "ok"
    assert "91440300B" not in caplog.text


async def test_ready_reports_each_subgraph_and_the_supergraph_version() -> None:
    fed = market_federation()
    app = create_app(fed.supergraph_sdl, GatewaySettings(), fed.transports())
    down = {**fed.transports(), "permits": HttpSubgraphClient("permits", "http://127.0.0.1:9/graphql")}
    broken = create_app(fed.supergraph_sdl, GatewaySettings(), down)
    async with serving(app) as url, serving(broken) as broken_url, httpx.AsyncClient() as http:
        ready = await http.get(f"{url}/ready")
        unready = await http.get(f"{broken_url}/ready")
        health = await http.get(f"{broken_url}/health")
    assert ready.status_code == 200
    assert ready.json() == {
        "status": "ready",
        "supergraph": app.gateway.version,
        "subgraphs": {"entities": "ok", "permits": "ok", "supervision": "ok"},
    }
    assert unready.status_code == 503
    assert unready.json()["subgraphs"]["permits"] == "SUBGRAPH_UNAVAILABLE"
    assert health.status_code == 200  # liveness stays cheap: the process is fine

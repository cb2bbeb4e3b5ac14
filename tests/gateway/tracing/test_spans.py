"""OpenTelemetry spans through the real app (the SDK's in-memory exporter): parse, validate, plan and one span per
subgraph fetch under the request span, which continues the client's trace; each subgraph gets the fetch span as
its `traceparent` parent."""

from __future__ import annotations

from typing import Any

import httpx
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from starlette.types import Receive, Scope, Send

from gateway.execution import AsgiSubgraphClient
from gateway.http.app import create_app
from gateway.settings import GatewaySettings
from gateway.tracing import tracer_for
from tests.gateway.subscriptions.fixture import entities_app, permits_app, supergraph

TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
CLIENT_SPAN = "00f067aa0ba902b7"


class Recording:
    def __init__(self, app: Any) -> None:
        self.app = app
        self.traceparents: list[str] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.traceparents.append(dict(scope["headers"]).get(b"traceparent", b"").decode())
        await self.app(scope, receive, send)


async def test_spans_nest_under_the_client_trace_and_fetches_carry_their_span_to_subgraphs() -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    entities, permits = Recording(entities_app()), Recording(permits_app())
    transports = {
        "entities": AsgiSubgraphClient("entities", entities),
        "permits": AsgiSubgraphClient("permits", permits),
    }
    app = create_app(supergraph(), GatewaySettings(), transports, tracer=provider.get_tracer("test"))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw") as http:
        headers = {"traceparent": f"00-{TRACE}-{CLIENT_SPAN}-01"}
        response = await http.post("/graphql", json={"query": "{ entities { name permits } }"}, headers=headers)
    assert response.json()["data"]["entities"][0] == {"name": "海鲜酒楼", "permits": ["JY1", "SC1"]}
    spans = {s.name: s for s in exporter.get_finished_spans() if s.name != "subgraph.fetch"}
    fetches = [s for s in exporter.get_finished_spans() if s.name == "subgraph.fetch"]
    request = spans["graphql.request"]
    assert request.context is not None and request.parent is not None
    assert (format(request.context.trace_id, "032x"), format(request.parent.span_id, "016x")) == (TRACE, CLIENT_SPAN)
    for name in ("graphql.parse", "graphql.validate", "graphql.plan"):
        assert _parent(spans[name]) == request.context.span_id, name
    assert sorted(str(f.attributes["subgraph.name"]) for f in fetches if f.attributes) == ["entities", "permits"]
    for fetch, recording in zip(sorted(fetches, key=_subgraph), (entities, permits), strict=True):
        assert _parent(fetch) == request.context.span_id
        assert fetch.context is not None
        (sent,) = recording.traceparents
        assert sent == f"00-{TRACE}-{format(fetch.context.span_id, '016x')}-01"


def _parent(span: ReadableSpan) -> int | None:
    return span.parent.span_id if span.parent is not None else None


def _subgraph(span: ReadableSpan) -> str:
    return str((span.attributes or {}).get("subgraph.name"))


def test_tracing_is_off_unless_an_exporter_is_named() -> None:
    assert tracer_for("none", "zhijian-gateway") is None
    assert create_app(supergraph(), GatewaySettings()).gateway.tracer is None
    assert tracer_for("console", "zhijian-gateway") is not None

"""Federated subscriptions end to end over real sockets: Strawberry subgraphs served by uvicorn, the gateway in
front, clients speaking graphql-transport-ws (the `websockets` client) and GraphQL over SSE (httpx)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
import uvicorn
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from gateway.execution import AsgiSubgraphClient, Gateway
from gateway.http.app import GatewayApp, create_app
from gateway.http.server import GatewayServer
from gateway.settings import GatewaySettings
from kernel.forwarding import IdentitySigner, generate_private_pem
from tests.gateway.auth.issuer import AUDIENCE, Issuer
from tests.gateway.servers import free_port, serving
from tests.gateway.subscriptions import fixture
from tests.gateway.subscriptions.fixture import entities_app, permits_app, supergraph

CHANGES = "subscription Changes($n: Int!) { entityChanged(count: $n) { uscc name permits } }"
HELD = "subscription { entityChanged(count: 1, hold: true) { name permits } }"
FIRST = {"uscc": "91440300A", "name": "海鲜酒楼", "permits": ["JY1", "SC1"]}
SECOND = {"uscc": "91440300B", "name": "便利店", "permits": []}
KEY = generate_private_pem()


@dataclass
class Hub:
    url: str
    app: GatewayApp
    issuer: Issuer

    @property
    def ws(self) -> str:
        return "ws" + self.url[4:] + "/graphql"


async def _hub(stack: AsyncExitStack, settings: GatewaySettings, issuer: Issuer) -> Hub:
    entities = await stack.enter_async_context(serving(entities_app()))
    permits = await stack.enter_async_context(serving(permits_app()))
    app = create_app(supergraph(f"{entities}/graphql", f"{permits}/graphql"), settings)
    url = await stack.enter_async_context(serving(app, lifespan="on"))
    return Hub(url, app, issuer)


@pytest.fixture
async def hub() -> AsyncIterator[Hub]:
    async with AsyncExitStack() as stack:
        yield await _hub(stack, GatewaySettings(), Issuer())


@pytest.fixture
async def secured(tmp_path: Path) -> AsyncIterator[Hub]:
    key_file = tmp_path / "forwarding.pem"
    key_file.write_text(KEY, encoding="ascii")
    issuer = Issuer()
    async with AsyncExitStack() as stack:
        issuer.url = await stack.enter_async_context(serving(issuer.app))
        settings = GatewaySettings(issuer=issuer.url, audience=AUDIENCE, forwarding_key_file=key_file)
        yield await _hub(stack, settings, issuer)


async def _open(url: str, init: dict[str, Any] | None = None) -> ClientConnection:
    socket = await connect(url, subprotocols=["graphql-transport-ws"])  # type: ignore[list-item]
    await socket.send(orjson.dumps({"type": "connection_init", "payload": init or {}}).decode())
    return socket


async def _next(socket: ClientConnection) -> dict[str, Any]:
    async with asyncio.timeout(5):
        message: dict[str, Any] = orjson.loads(await socket.recv())
        return message


async def _closed(condition: Any) -> None:
    async with asyncio.timeout(5):
        while not condition():  # noqa: ASYNC110 - the subgraph exposes only a set, no event
            await asyncio.sleep(0.01)


async def test_in_process_subscription_joins_the_other_subgraph_per_event() -> None:
    gateway = Gateway(
        supergraph(),
        {
            "entities": AsgiSubgraphClient("entities", entities_app()),
            "permits": AsgiSubgraphClient("permits", permits_app()),
        },
    )
    results = [r async for r in gateway.subscribe(CHANGES, variables={"n": 3})]
    assert results == [{"data": {"entityChanged": e}} for e in (FIRST, SECOND, FIRST)]
    assert not fixture.OPEN


async def test_graphql_ws_events_are_joined_across_subgraphs_then_completed(hub: Hub) -> None:
    socket = await _open(hub.ws)
    assert await _next(socket) == {"type": "connection_ack"}
    payload = {"query": CHANGES, "variables": {"n": 2}}
    await socket.send(orjson.dumps({"id": "a", "type": "subscribe", "payload": payload}).decode())
    assert await _next(socket) == {"id": "a", "type": "next", "payload": {"data": {"entityChanged": FIRST}}}
    assert await _next(socket) == {"id": "a", "type": "next", "payload": {"data": {"entityChanged": SECOND}}}
    assert await _next(socket) == {"id": "a", "type": "complete"}
    await socket.send('{"type":"ping"}')
    assert await _next(socket) == {"type": "pong"}
    await socket.close()


async def test_complete_and_disconnect_close_the_subgraph_subscription(hub: Hub) -> None:
    socket = await _open(hub.ws)
    await _next(socket)
    await socket.send(orjson.dumps({"id": "1", "type": "subscribe", "payload": {"query": HELD}}).decode())
    first = {
        "id": "1",
        "type": "next",
        "payload": {"data": {"entityChanged": {"name": "海鲜酒楼", "permits": ["JY1", "SC1"]}}},
    }
    assert await _next(socket) == first
    assert len(fixture.OPEN) == 1
    await socket.send('{"id":"1","type":"complete"}')
    await _closed(lambda: not fixture.OPEN)
    await socket.send(orjson.dumps({"id": "2", "type": "subscribe", "payload": {"query": HELD}}).decode())
    assert (await _next(socket))["id"] == "2"
    assert len(fixture.OPEN) == 1
    await socket.close()  # the client goes away
    await _closed(lambda: not fixture.OPEN)


async def test_limits_and_validation_apply_to_the_subscription_document(hub: Hub) -> None:
    socket = await _open(hub.ws)
    await _next(socket)
    wide = "subscription { entityChanged(count: 1) { " + "name " * 2000 + "} }"
    await socket.send(orjson.dumps({"id": "x", "type": "subscribe", "payload": {"query": wide}}).decode())
    refusal = await _next(socket)
    assert (refusal["id"], refusal["type"]) == ("x", "error")
    assert refusal["payload"][0]["extensions"]["code"] == "FIELD_LIMIT_EXCEEDED"
    wrong = "subscription { entityChanged(count: 1) { nope } }"
    await socket.send(orjson.dumps({"id": "y", "type": "subscribe", "payload": {"query": wrong}}).decode())
    assert (await _next(socket))["payload"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    await socket.send(orjson.dumps({"id": "q", "type": "subscribe", "payload": {"query": "{ permitCount }"}}).decode())
    assert await _next(socket) == {"id": "q", "type": "next", "payload": {"data": {"permitCount": 2}}}
    assert await _next(socket) == {"id": "q", "type": "complete"}
    await socket.close()


async def test_sse_streams_events_then_complete(hub: Hub) -> None:
    async with httpx.AsyncClient(timeout=10) as http:
        body = {"query": CHANGES, "variables": {"n": 2}}
        async with http.stream("POST", f"{hub.url}/graphql", json=body, headers={"accept": "text/event-stream"}) as r:
            assert r.status_code == 200
            assert r.headers["content-type"].startswith("text/event-stream")
            assert r.headers["x-request-id"]
            text = (await r.aread()).decode()
    events = [block for block in text.split("\n\n") if block]
    assert events == [
        "event: next\ndata: " + orjson.dumps({"data": {"entityChanged": FIRST}}).decode(),
        "event: next\ndata: " + orjson.dumps({"data": {"entityChanged": SECOND}}).decode(),
        "event: complete\ndata:",
    ]


async def test_sse_refuses_a_bad_document_with_its_code_before_streaming(hub: Hub) -> None:
    async with httpx.AsyncClient(timeout=10) as http:
        body = {"query": "subscription { entityChanged(count: 1) { nope } }"}
        response = await http.post(f"{hub.url}/graphql", json=body, headers={"accept": "text/event-stream"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_shutdown_ends_websockets_and_sse_streams_and_their_subgraph_subscriptions(hub: Hub) -> None:
    socket = await _open(hub.ws)
    await _next(socket)
    await socket.send(orjson.dumps({"id": "1", "type": "subscribe", "payload": {"query": HELD}}).decode())
    await _next(socket)
    async with httpx.AsyncClient(timeout=10) as http:
        body = {"query": HELD}
        async with http.stream("POST", f"{hub.url}/graphql", json=body, headers={"accept": "text/event-stream"}) as r:
            chunks = r.aiter_text()
            assert (await anext(chunks)).startswith("event: next")
            assert len(fixture.OPEN) == 2
            await hub.app.end_streams()
            rest = "".join([chunk async for chunk in chunks])
    assert rest == "event: complete\ndata:\n\n"
    with pytest.raises(ConnectionClosed) as closed:
        await _next(socket)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1001
    await _closed(lambda: not fixture.OPEN)
    assert len(hub.app.streams) == 0


async def test_a_bad_token_is_refused_on_connection_init(secured: Hub) -> None:
    socket = await _open(secured.ws, {"Authorization": "Bearer not-a-token"})
    with pytest.raises(ConnectionClosed) as closed:
        await _next(socket)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403


async def test_the_caller_is_signed_to_the_subgraph_and_an_expired_token_ends_the_subscription(
    secured: Hub,
) -> None:
    fixture.SEEN_IDENTITY.clear()
    socket = await _open(secured.ws, {"Authorization": f"Bearer {secured.issuer.token()}"})
    assert await _next(socket) == {"type": "connection_ack"}
    await socket.send(
        orjson.dumps({"id": "a", "type": "subscribe", "payload": {"query": CHANGES, "variables": {"n": 1}}}).decode()
    )
    assert (await _next(socket))["payload"] == {"data": {"entityChanged": FIRST}}
    assert await _next(socket) == {"id": "a", "type": "complete"}
    (identity,) = fixture.SEEN_IDENTITY
    assert identity is not None
    verifier = IdentitySigner.from_private_pem(KEY).verifier()
    assert verifier.verify(identity).subject == "officer-7"
    await socket.close()

    stale = secured.issuer.token(exp=int(time.time()) - 5)  # within the validator's leeway: accepted once
    socket = await _open(secured.ws, {"Authorization": f"Bearer {stale}"})
    assert await _next(socket) == {"type": "connection_ack"}
    await socket.send(orjson.dumps({"id": "b", "type": "subscribe", "payload": {"query": HELD}}).decode())
    ended = await _next(socket)
    assert ended["payload"]["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert await _next(socket) == {"id": "b", "type": "complete"}
    await _closed(lambda: not fixture.OPEN)
    await socket.close()


async def test_the_gateway_server_ends_sse_streams_when_it_stops() -> None:
    async with AsyncExitStack() as stack:
        entities = await stack.enter_async_context(serving(entities_app()))
        permits = await stack.enter_async_context(serving(permits_app()))
        app = create_app(supergraph(f"{entities}/graphql", f"{permits}/graphql"), GatewaySettings())
        port = free_port()
        server = GatewayServer(uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="on", log_level="error"))
        task = asyncio.create_task(server.serve())
        while not server.started:  # noqa: ASYNC110 - uvicorn exposes only a flag, no event
            await asyncio.sleep(0.01)
        async with httpx.AsyncClient(timeout=10) as http:
            url = f"http://127.0.0.1:{port}/graphql"
            async with http.stream("POST", url, json={"query": HELD}, headers={"accept": "text/event-stream"}) as r:
                chunks = r.aiter_text()
                assert (await anext(chunks)).startswith("event: next")
                server.should_exit = True  # as on SIGTERM
                rest = "".join([chunk async for chunk in chunks])
        assert rest == "event: complete\ndata:\n\n"
        async with asyncio.timeout(10):
            await task
        await _closed(lambda: not fixture.OPEN)

"""Subscribing to a subgraph: the `graphql-transport-ws` protocol (graphql-ws) spoken as a client, over a real
WebSocket (`WebSocketSubscriber`) or in process to the subgraph's ASGI app (`AsgiSubscriber`, embedded mode).

Each yields the subgraph's events as GraphQL responses (`{"data": …, "errors": […]}`); closing the iterator
completes the subscription upstream and closes the connection.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator, Mapping
from typing import Any, Protocol

import orjson
from starlette.types import ASGIApp, Message, Scope

from gateway.execution.errors import SubgraphUnavailable

PROTOCOL = "graphql-transport-ws"
ACK_TIMEOUT_S = 10.0


class SubgraphSubscriber(Protocol):
    """Opens one subscription on one subgraph; raises `SubgraphUnavailable` when it cannot."""

    def subscribe(
        self, payload: Mapping[str, Any], headers: Mapping[str, str] | None = None
    ) -> AsyncGenerator[dict[str, Any], None]:
        """Run `payload` (`query`, `variables`) as a subscription; `headers` go on the connection
        (the upgrade request, and the `connection_init` payload)."""
        ...


class _Channel(Protocol):
    async def send(self, text: str) -> None: ...

    async def receive(self) -> str | None:
        """The next text frame; None once the connection is closed."""
        ...


async def _speak(
    name: str, channel: _Channel, payload: Mapping[str, Any], headers: Mapping[str, str]
) -> AsyncGenerator[dict[str, Any], None]:
    """The client side of `graphql-transport-ws` for one subscription (id "1") on a fresh connection."""
    await channel.send(orjson.dumps({"type": "connection_init", "payload": dict(headers)}).decode())
    try:
        async with asyncio.timeout(ACK_TIMEOUT_S):
            while True:
                message = _decode(await channel.receive())
                if message is None:
                    raise SubgraphUnavailable(name, f"Subgraph {name} closed the subscription connection.")
                if message.get("type") == "connection_ack":
                    break
    except TimeoutError as error:
        raise SubgraphUnavailable(name, f"Subgraph {name} did not acknowledge the subscription.") from error
    await channel.send(orjson.dumps({"id": "1", "type": "subscribe", "payload": dict(payload)}).decode())
    completed = False
    try:
        while True:
            message = _decode(await channel.receive())
            if message is None:
                raise SubgraphUnavailable(name, f"Subgraph {name} closed the subscription.")
            kind = message.get("type")
            if kind == "next":
                event = message.get("payload")
                if isinstance(event, dict):
                    yield event
            elif kind == "error":
                completed = True
                errors = message.get("payload")
                yield {"data": None, "errors": errors if isinstance(errors, list) else [{"message": str(errors)}]}
                return
            elif kind == "complete":
                completed = True
                return
            elif kind == "ping":
                await channel.send('{"type":"pong"}')
    finally:
        if not completed:
            with contextlib.suppress(Exception):
                await channel.send('{"id":"1","type":"complete"}')


def _decode(text: str | None) -> dict[str, Any] | None:
    if text is None:
        return None
    try:
        message = orjson.loads(text)
    except orjson.JSONDecodeError:
        return {}
    return message if isinstance(message, dict) else {}


class WebSocketSubscriber:
    """Subscribes over a WebSocket at the subgraph's URL (`http` → `ws`), one connection per subscription."""

    def __init__(self, name: str, url: str) -> None:
        self.name = name
        self.url = "ws" + url[4:] if url.startswith("http") else url

    async def subscribe(
        self, payload: Mapping[str, Any], headers: Mapping[str, str] | None = None
    ) -> AsyncGenerator[dict[str, Any], None]:
        """See `SubgraphSubscriber.subscribe`."""
        from websockets.asyncio.client import connect
        from websockets.exceptions import ConnectionClosed, WebSocketException

        try:
            socket = await connect(self.url, subprotocols=[PROTOCOL], additional_headers=dict(headers or {}))  # type: ignore[list-item]
        except (OSError, WebSocketException, TimeoutError) as error:
            raise SubgraphUnavailable(self.name, f"Subgraph {self.name} cannot be subscribed to: {error}") from error

        class Socket:
            async def send(self, text: str) -> None:
                await socket.send(text)

            async def receive(self) -> str | None:
                try:
                    frame = await socket.recv()
                except ConnectionClosed:
                    return None
                return frame if isinstance(frame, str) else frame.decode()

        try:
            async for event in _speak(self.name, Socket(), payload, headers or {}):
                yield event
        finally:
            await socket.close()


class AsgiSubscriber:
    """Subscribes in process: runs the subgraph's ASGI app on a WebSocket scope, no sockets (embedded mode)."""

    def __init__(self, name: str, app: ASGIApp, path: str = "/graphql") -> None:
        self.name = name
        self.app = app
        self.path = path

    async def subscribe(
        self, payload: Mapping[str, Any], headers: Mapping[str, str] | None = None
    ) -> AsyncGenerator[dict[str, Any], None]:
        """See `SubgraphSubscriber.subscribe`."""
        inbound: asyncio.Queue[Message] = asyncio.Queue()
        outbound: asyncio.Queue[str | None] = asyncio.Queue()
        inbound.put_nowait({"type": "websocket.connect"})
        scope: Scope = {
            "type": "websocket",
            "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": "1.1",
            "scheme": "ws",
            "path": self.path,
            "raw_path": self.path.encode(),
            "root_path": "",
            "query_string": b"",
            "headers": [(b"host", b"in-process")]
            + [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in (headers or {}).items()],
            "subprotocols": [PROTOCOL],
            "client": ("127.0.0.1", 0),
            "server": ("in-process", 80),
            "state": {},
        }

        async def send(message: Message) -> None:
            if message["type"] == "websocket.send":
                outbound.put_nowait(message.get("text") or bytes(message.get("bytes") or b"").decode())
            elif message["type"] == "websocket.close":
                outbound.put_nowait(None)

        async def run() -> None:
            try:
                await self.app(scope, inbound.get, send)
            finally:
                outbound.put_nowait(None)

        task = asyncio.get_running_loop().create_task(run())

        class Channel:
            async def send(self, text: str) -> None:
                inbound.put_nowait({"type": "websocket.receive", "text": text})

            async def receive(self) -> str | None:
                return await outbound.get()

        try:
            async for event in _speak(self.name, Channel(), payload, headers or {}):
                yield event
        finally:
            inbound.put_nowait({"type": "websocket.disconnect", "code": 1000})
            try:
                async with asyncio.timeout(1.0):
                    await task
            except BaseException:  # a subgraph that does not stop on disconnect is cut off
                task.cancel()
                with contextlib.suppress(BaseException):
                    await task

"""Streams at the GraphQL endpoint: the `graphql-transport-ws` protocol over a WebSocket (graphql-ws) and GraphQL
over Server-Sent Events (distinct connections mode, as graphql-sse serves it).

Both run what `Opener` opens — a subscription's events, or a query's one result — and end cleanly on a client's
`complete` or disconnect (the upstream subscription is completed and closed) and on shutdown (`Streams.end`:
WebSockets close with 1001, SSE streams send `complete`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncGenerator, Awaitable, Callable
from contextlib import aclosing
from typing import Any

import orjson
from starlette.types import Receive, Send

from gateway.auth import AuthError, KeysUnavailable
from gateway.errors import GatewayError
from gateway.execution.subscribe import PROTOCOL
from gateway.http.protocol import BadRequest, GraphQLParams, error_entry
from gateway.operation import OperationError

_log = logging.getLogger("zhijian.gateway")

Opener = Callable[[GraphQLParams, dict[bytes, bytes], bool], Awaitable[AsyncGenerator[dict[str, Any], None]]]
"""Authenticates the caller (`authorization` header), checks and prepares the operation, and returns its results;
raises `AuthError`, `KeysUnavailable`, `OperationError` or another `GatewayError` before the first."""
Authenticator = Callable[[dict[bytes, bytes]], Awaitable[object]]
"""Checks the caller's `authorization` header; raises `AuthError` / `KeysUnavailable`."""

INIT_TIMEOUT_S = 10.0
"""How long a WebSocket may stay open without `connection_init` (then closed with 4408)."""
SSE_EVENT_STREAM = "text/event-stream"


class Streams:
    """The live streams of one app, so that shutdown can end them all."""

    def __init__(self) -> None:
        self._enders: set[Callable[[], Awaitable[None]]] = set()

    @contextlib.contextmanager
    def live(self, end: Callable[[], Awaitable[None]]) -> Any:
        self._enders.add(end)
        try:
            yield
        finally:
            self._enders.discard(end)

    def __len__(self) -> int:
        return len(self._enders)

    async def end(self) -> None:
        """End every live stream (server shutdown)."""
        await asyncio.gather(*(end() for end in list(self._enders)), return_exceptions=True)


def _errors_of(error: GatewayError) -> list[dict[str, Any]]:
    if isinstance(error, OperationError):
        return [error_entry(e.message, error.code) for e in error.errors]
    return [error_entry(error.message, error.code)]


class WebSocketSession:
    """One `graphql-transport-ws` connection (server side)."""

    def __init__(
        self,
        headers: dict[bytes, bytes],
        receive: Receive,
        send: Send,
        opener: Opener,
        authenticate: Authenticator,
        streams: Streams,
    ) -> None:
        self.headers = headers
        self.receive = receive
        self._send = send
        self.opener = opener
        self.authenticate = authenticate
        self.streams = streams
        self.running: dict[str, asyncio.Task[None]] = {}
        self.closed = False
        self._lock = asyncio.Lock()

    async def send(self, message: dict[str, Any]) -> None:
        async with self._lock:
            if not self.closed:
                await self._send({"type": "websocket.send", "text": orjson.dumps(message).decode()})

    async def close(self, code: int, reason: str = "") -> None:
        async with self._lock:
            if not self.closed:
                self.closed = True
                await self._send({"type": "websocket.close", "code": code, "reason": reason})

    async def run(self) -> None:
        if (await self.receive())["type"] != "websocket.connect":
            return
        if PROTOCOL not in self._subprotocols():
            await self._send({"type": "websocket.close", "code": 4406, "reason": "Subprotocol not acceptable"})
            return
        await self._send({"type": "websocket.accept", "subprotocol": PROTOCOL})

        async def end() -> None:
            await self.close(1001, "Server shutting down")

        with self.streams.live(end):
            try:
                if await self._initialise():
                    await self._serve()
            finally:
                for task in self.running.values():
                    task.cancel()
                await asyncio.gather(*self.running.values(), return_exceptions=True)

    def _subprotocols(self) -> list[str]:
        raw = self.headers.get(b"sec-websocket-protocol", b"").decode("latin-1")
        return [p.strip() for p in raw.split(",")]

    async def _message(self) -> dict[str, Any] | None:
        """The next client message; None once disconnected (or closed for a malformed one)."""
        while True:
            message = await self.receive()
            if message["type"] == "websocket.disconnect":
                self.closed = True
                return None
            text = message.get("text") or (message.get("bytes") or b"").decode("utf-8", "replace")
            try:
                parsed = orjson.loads(text)
            except orjson.JSONDecodeError:
                parsed = None
            if not isinstance(parsed, dict) or not isinstance(parsed.get("type"), str):
                await self.close(4400, "Invalid message received")
                return None
            return parsed

    async def _initialise(self) -> bool:
        try:
            async with asyncio.timeout(INIT_TIMEOUT_S):
                message = await self._message()
        except TimeoutError:
            await self.close(4408, "Connection initialisation timeout")
            return False
        if message is None:
            return False
        if message["type"] != "connection_init":
            await self.close(4401, "Unauthorized")
            return False
        payload = message.get("payload")
        if isinstance(payload, dict):
            token = payload.get("Authorization") or payload.get("authorization")
            if isinstance(token, str):
                self.headers[b"authorization"] = token.encode("latin-1", "replace")
        try:
            await self.authenticate(self.headers)  # the same bearer token rules as HTTP, once at connection time
        except (AuthError, KeysUnavailable) as error:
            await self.close(4403, f"Forbidden: {error.message}"[:120])
            return False
        await self.send({"type": "connection_ack"})
        return True

    async def _serve(self) -> None:
        while (message := await self._message()) is not None:
            kind = message["type"]
            if kind == "ping":
                await self.send({"type": "pong"})
            elif kind == "subscribe":
                ident = message.get("id")
                payload = message.get("payload")
                if not isinstance(ident, str) or not isinstance(payload, dict):
                    await self.close(4400, "Invalid message received")
                    return
                if ident in self.running:
                    await self.close(4409, f"Subscriber for {ident} already exists"[:120])
                    return
                task = asyncio.get_running_loop().create_task(self._operation(ident, payload))
                self.running[ident] = task
                task.add_done_callback(self._finished(ident))
            elif kind == "complete":
                running = self.running.get(str(message.get("id")))
                if running is not None:
                    running.cancel()
            elif kind == "connection_init":
                await self.close(4429, "Too many initialisation requests")
                return

    def _finished(self, ident: str) -> Callable[[asyncio.Task[None]], None]:
        def forget(_task: asyncio.Task[None]) -> None:
            self.running.pop(ident, None)

        return forget

    async def _operation(self, ident: str, payload: dict[str, Any]) -> None:
        try:
            params = GraphQLParams(
                payload.get("query"),
                payload.get("operationName"),
                payload.get("variables") if isinstance(payload.get("variables"), dict) else None,
            )
            if not isinstance(params.query, str):
                raise BadRequest("The subscribe payload must carry a `query`.")
            results = await self.opener(params, self.headers, True)
        except GatewayError as error:
            await self.send({"id": ident, "type": "error", "payload": _errors_of(error)})
            return
        except Exception:
            _log.exception("unexpected failure opening a subscription")
            await self.send({"id": ident, "type": "error", "payload": [_internal()]})
            return
        async with aclosing(results):
            async for result in results:
                await self.send({"id": ident, "type": "next", "payload": result})
        await self.send({"id": ident, "type": "complete"})


def _internal() -> dict[str, Any]:
    return error_entry("The gateway failed unexpectedly; the error is logged.", "INTERNAL_SERVER_ERROR")


async def serve_sse(
    params: GraphQLParams,
    headers: dict[bytes, bytes],
    receive: Receive,
    send: Send,
    opener: Opener,
    streams: Streams,
    allow_mutation: bool,
    extra: tuple[tuple[bytes, bytes], ...],
) -> tuple[int, str]:
    """Answer one GraphQL-over-SSE request (distinct connections mode): `next` events, then `complete`.

    A request refused before it runs gets a JSON error response (401 / 400 …) instead of a stream.
    Returns the HTTP status and an outcome for the metrics.
    """
    try:
        results = await opener(params, headers, allow_mutation)
    except (AuthError, KeysUnavailable) as error:
        status = 503 if isinstance(error, KeysUnavailable) else 401
        await _json(send, status, {"errors": _errors_of(error)}, extra)
        return status, "unauthenticated"
    except GatewayError as error:
        status = 429 if error.code == "RATE_LIMITED" else 400
        await _json(send, status, {"errors": _errors_of(error)}, extra)
        return status, "refused"
    except Exception:
        _log.exception("unexpected failure opening a GraphQL-over-SSE stream")
        await _json(send, 500, {"errors": [_internal()]}, extra)
        return 500, "error"
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-type", b"text/event-stream; charset=utf-8"),
                (b"cache-control", b"no-cache"),
                (b"x-accel-buffering", b"no"),
                *extra,
            ],
        }
    )

    async def pump() -> None:
        async with aclosing(results):
            async for result in results:
                body = b"event: next\ndata: " + orjson.dumps(result) + b"\n\n"
                await send({"type": "http.response.body", "body": body, "more_body": True})

    async def disconnected() -> None:
        while (await receive())["type"] != "http.disconnect":
            pass

    pumping = asyncio.get_running_loop().create_task(pump())
    watching = asyncio.get_running_loop().create_task(disconnected())

    async def end() -> None:
        pumping.cancel()

    with streams.live(end):
        await asyncio.wait((pumping, watching), return_when=asyncio.FIRST_COMPLETED)
    gone = watching.done()
    for task in (pumping, watching):
        task.cancel()
    await asyncio.gather(pumping, watching, return_exceptions=True)
    if not gone:
        with contextlib.suppress(OSError):
            await send({"type": "http.response.body", "body": b"event: complete\ndata:\n\n", "more_body": False})
    return 200, "ok"


async def _json(send: Send, status: int, body: dict[str, Any], extra: tuple[tuple[bytes, bytes], ...]) -> None:
    raw = orjson.dumps(body)
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(raw)).encode()), *extra],
        }
    )
    await send({"type": "http.response.body", "body": raw})

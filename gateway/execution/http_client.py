"""A lean pooled keep-alive HTTP/1.1 client for subgraphs (asyncio protocol + httptools parser)."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import cast
from urllib.parse import urlsplit

import httptools

from gateway.execution.errors import SubgraphBadResponse, SubgraphUnavailable


class _Connection(asyncio.Protocol):
    """One keep-alive connection; carries one request at a time."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.transport: asyncio.Transport | None = None
        self.parser = httptools.HttpResponseParser(self)
        self.waiter: asyncio.Future[tuple[int, bytes]] | None = None
        self.chunks: list[bytes] = []
        self.status = 0
        self.closed = False
        self.reusable = True
        self.received = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)

    def data_received(self, data: bytes) -> None:
        self.received = True
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError as error:
            self._fail(SubgraphBadResponse("", f"malformed HTTP response: {error}"))

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self._fail(ConnectionResetError("connection closed by the subgraph"))

    def _fail(self, error: Exception) -> None:
        self.reusable = False
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(error)
        if self.transport is not None:
            self.transport.close()

    # httptools callbacks
    def on_headers_complete(self) -> None:
        self.status = self.parser.get_status_code()

    def on_body(self, body: bytes) -> None:
        self.chunks.append(body)

    def on_message_complete(self) -> None:
        if not self.parser.should_keep_alive():
            self.reusable = False
        body = b"".join(self.chunks)
        self.chunks = []
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result((self.status, body))

    async def send(self, data: bytes) -> tuple[int, bytes]:
        """Write one request and wait for its complete response."""
        assert self.transport is not None
        self.waiter = self.loop.create_future()
        self.received = False
        self.transport.write(data)
        try:
            return await self.waiter
        finally:
            self.waiter = None


class HttpSubgraphClient:
    """POSTs to one subgraph URL over a pool of keep-alive connections."""

    def __init__(self, name: str, url: str, max_connections: int = 100) -> None:
        parts = urlsplit(url)
        if parts.scheme != "http":
            raise ValueError(f"subgraph {name}: only http:// URLs are supported, got {url!r}")
        self.name = name
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        host_header = parts.netloc
        self._head = (
            f"POST {target} HTTP/1.1\r\nHost: {host_header}\r\n"
            "Content-Type: application/json\r\nAccept: application/graphql-response+json, application/json\r\n"
        ).encode("latin-1")
        self._idle: list[_Connection] = []
        self._slots = asyncio.Semaphore(max_connections)

    @property
    def idle_connections(self) -> int:
        """Keep-alive connections waiting in the pool."""
        return len(self._idle)

    async def request(self, body: bytes, headers: Mapping[str, str] | None = None) -> tuple[int, bytes]:
        """POST `body`; retry once on a fresh connection when a pooled one turned out to be stale."""
        extra = b"".join(f"{k}: {v}\r\n".encode("latin-1") for k, v in (headers or {}).items())
        data = self._head + extra + b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
        async with self._slots:
            for attempt in range(2):
                connection, reused = await self._acquire()
                completed = False
                try:
                    result = await connection.send(data)
                    completed = True
                except (ConnectionError, OSError) as error:
                    if reused and attempt == 0 and not connection.received:
                        continue
                    raise SubgraphUnavailable(self.name, f"{self.name}: {error}") from error
                except SubgraphBadResponse as error:
                    raise SubgraphBadResponse(self.name, f"{self.name}: {error.message}") from error
                finally:
                    if completed and connection.reusable and not connection.closed:
                        self._idle.append(connection)
                    elif connection.transport is not None:
                        connection.transport.close()
                return result
        raise SubgraphUnavailable(self.name, f"{self.name}: connection failed")  # pragma: no cover

    async def _acquire(self) -> tuple[_Connection, bool]:
        while self._idle:
            connection = self._idle.pop()
            if not connection.closed:
                return connection, True
        loop = asyncio.get_running_loop()
        try:
            _, protocol = await loop.create_connection(lambda: _Connection(loop), self.host, self.port)
        except OSError as error:
            raise SubgraphUnavailable(self.name, f"{self.name} is unreachable: {error}") from error
        return protocol, False

    async def aclose(self) -> None:
        """Close every idle connection."""
        while self._idle:
            connection = self._idle.pop()
            if connection.transport is not None:
                connection.transport.close()

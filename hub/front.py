"""The split topology's front on one machine: a layer-4 (TCP) round-robin over the gateway processes.

Each client connection goes to the next gateway in turn; a gateway that refuses the connection (stopped, not yet
started) is passed over for the next, and left out for ``rest`` seconds, so a gateway that dies costs only the
requests in flight on it (their connections are closed, the client sees the connection cut), never a new one.
In a cluster the Ingress over the gateway Service is the front (deploy/README.md); this exists because no load
balancer is part of ``make install`` (HAProxy would do the same from ``apt``, which CI cannot count on).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

log = logging.getLogger("zhijian.front")


@dataclass(slots=True)
class Backend:
    host: str
    port: int
    resting_until: float = 0.0
    connections: int = 0
    served: int = 0


@dataclass(slots=True)
class Front:
    """Round-robin over ``backends``; ``clock`` is monotonic seconds (injected in tests)."""

    backends: Sequence[Backend]
    rest: float = 2.0
    clock: Callable[[], float] = time.monotonic
    refused: int = 0
    """Connections no gateway accepted (the client's connection is closed without an answer)."""
    _turn: int = 0
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)

    def order(self) -> list[Backend]:
        """The backends to try for the next connection: from the next in turn, resting ones last."""
        count = len(self.backends)
        start, self._turn = self._turn % count, self._turn + 1
        turn = [self.backends[(start + n) % count] for n in range(count)]
        now = self.clock()
        return [b for b in turn if b.resting_until <= now] + [b for b in turn if b.resting_until > now]

    async def connect(self) -> tuple[Backend, asyncio.StreamReader, asyncio.StreamWriter] | None:
        for backend in self.order():
            try:
                reader, writer = await asyncio.open_connection(backend.host, backend.port)
            except OSError:
                backend.resting_until = self.clock() + self.rest
                continue
            backend.resting_until = 0.0
            return backend, reader, writer
        return None

    async def handle(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            chosen = await self.connect()
            if chosen is None:
                self.refused += 1
                log.warning("no gateway accepted a connection")
                return
            backend, reader, writer = chosen
            backend.connections += 1
            backend.served += 1
            upstream = asyncio.create_task(_pipe(client_reader, writer))
            try:
                # The gateway's side ends the connection: when it closes (or dies), so does the client's, so
                # that the client's next request opens a new connection to a live gateway.
                await _pipe(reader, client_writer)
            finally:
                upstream.cancel()
                backend.connections -= 1
                writer.close()
        finally:
            client_writer.close()
            self._tasks.discard(task)

    async def serve(self, host: str, port: int, stop: asyncio.Event, ready: asyncio.Event | None = None) -> None:
        """Accept on ``host:port`` until ``stop`` (``ready`` is set once it listens); then close the listener and
        cut the open connections."""
        server = await asyncio.start_server(self.handle, host, port, reuse_address=True)
        if ready is not None:
            ready.set()
        async with server:
            await stop.wait()
            server.close()
            for task in list(self._tasks):
                task.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Copy until end of stream or an error on either side; then end the other side's writing half."""
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except OSError:
        pass
    finally:
        with contextlib.suppress(OSError, RuntimeError):
            if writer.can_write_eof():
                writer.write_eof()

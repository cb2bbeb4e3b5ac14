"""A TCP proxy in front of Redis that loses one reply: the first command matching ``pattern`` reaches Redis and
takes effect, and the client's connection is closed before the answer comes back — a connection lost at the
worst moment, made on purpose."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable


class LostReply:
    def __init__(self, upstream_port: int, pattern: bytes, applied: Callable[[], Awaitable[object]]) -> None:
        self.upstream_port = upstream_port
        self.pattern = pattern
        self.applied = applied
        """Truthy once the matched command has taken effect in Redis (asked directly, not through the proxy)."""
        self.cut = False
        self.port = 0
        self._handlers: set[asyncio.Task[None]] = set()
        self._clients: set[asyncio.StreamWriter] = set()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    async def _serve(self, client: asyncio.StreamReader, to_client: asyncio.StreamWriter) -> None:
        self._handlers.add(asyncio.current_task())  # type: ignore[arg-type]
        self._clients.add(to_client)
        upstream, to_upstream = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        cutting = False

        async def replies() -> None:
            while (data := await upstream.read(65536)) and not cutting:
                to_client.write(data)
                await to_client.drain()

        async def cut_when_applied() -> None:
            while True:  # Redis can only be asked
                if await self.applied():
                    to_client.close()
                    return
                await asyncio.sleep(0.01)

        tasks = [asyncio.create_task(replies())]
        seen = b""
        try:
            while data := await client.read(65536):
                seen = (seen + data)[-65536:]
                if not self.cut and self.pattern in seen:
                    self.cut = cutting = True
                    tasks.append(asyncio.create_task(cut_when_applied()))
                to_upstream.write(data)
                await to_upstream.drain()
        except ConnectionError:
            pass
        finally:
            await asyncio.gather(*tasks[1:], return_exceptions=True)
            for task in tasks:
                task.cancel()
            for writer in (to_client, to_upstream):
                writer.close()
                with contextlib.suppress(ConnectionError):
                    await writer.wait_closed()

    @contextlib.asynccontextmanager
    async def serving(self) -> AsyncIterator[LostReply]:
        server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = server.sockets[0].getsockname()[1]
        try:
            yield self
        finally:
            server.close()
            for writer in self._clients:
                writer.close()  # each handler then reads the end of its client and closes upstream
            await asyncio.gather(*self._handlers, return_exceptions=True)
            await server.wait_closed()


def resp_command(*parts: str) -> bytes:
    """How redis-py writes a command with these leading arguments (to find it in the byte stream)."""
    return b"".join(b"$%d\r\n%s\r\n" % (len(part.encode()), part.encode()) for part in parts)


__all__ = ["LostReply", "resp_command"]

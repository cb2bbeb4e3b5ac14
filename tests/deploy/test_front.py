"""The split topology's front (``hub.front``) over real sockets: connections go round-robin; a backend that refuses
is passed over and rested, then tried again; with no backend accepting, the client's connection is closed."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from hub.front import Backend, Front
from tests.support.processes import free_port


class Named:
    """A TCP server that answers each connection with its name and closes it."""

    def __init__(self, name: bytes) -> None:
        self.name = name
        self.port = free_port()
        self.server: asyncio.Server | None = None

    async def start(self) -> None:
        async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            writer.write(self.name + await reader.read(100))
            await writer.drain()
            writer.close()

        self.server = await asyncio.start_server(answer, "127.0.0.1", self.port)

    async def stop(self) -> None:
        assert self.server is not None
        self.server.close()
        await self.server.wait_closed()


class Now:
    def __init__(self) -> None:
        self.at = 100.0

    def __call__(self) -> float:
        return self.at


@pytest.fixture
async def served() -> AsyncIterator[tuple[Front, int, list[Named], Now]]:
    backends = [Named(b"a"), Named(b"b")]
    for backend in backends:
        await backend.start()
    now = Now()
    front = Front([Backend("127.0.0.1", b.port) for b in backends], rest=2.0, clock=now)
    port, stop, ready = free_port(), asyncio.Event(), asyncio.Event()
    serving = asyncio.create_task(front.serve("127.0.0.1", port, stop, ready))
    await ready.wait()
    yield front, port, backends, now
    stop.set()
    await serving
    for backend in backends:
        if backend.server is not None and backend.server.is_serving():
            await backend.stop()


async def through(port: int) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"?")
    await writer.drain()
    answer = await reader.read()
    writer.close()
    return answer


async def test_connections_go_round_robin(served: tuple[Front, int, list[Named], Now]) -> None:
    _front, port, _backends, _now = served
    assert [await through(port) for _ in range(4)] == [b"a?", b"b?", b"a?", b"b?"]


async def test_a_refusing_backend_is_passed_over_and_rested_then_tried_again(
    served: tuple[Front, int, list[Named], Now],
) -> None:
    front, port, backends, now = served
    await backends[1].stop()
    assert [await through(port) for _ in range(4)] == [b"a?"] * 4, "no connection is lost to the stopped one"
    assert front.backends[1].resting_until == now.at + 2.0
    await backends[1].start()
    assert {await through(port) for _ in range(2)} == {b"a?"}, "resting: not tried"
    now.at += 2.0
    assert {await through(port) for _ in range(2)} == {b"a?", b"b?"}, "tried again after its rest"
    assert front.refused == 0


async def test_with_no_backend_accepting_the_connection_is_closed_unanswered(
    served: tuple[Front, int, list[Named], Now],
) -> None:
    front, port, backends, _now = served
    for backend in backends:
        await backend.stop()
    assert await through(port) == b""
    assert front.refused == 1

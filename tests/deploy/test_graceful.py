"""A server stopped by SIGTERM (``hub.servers.serve_all``, what ``zhijian serve`` and ``zhijian up`` run) refuses
new connections at once, lets the request in flight finish and returns; one that outlasts the grace period is cut
off and the server still stops."""

from __future__ import annotations

import asyncio
import os
import signal

import httpx
from starlette.types import Receive, Scope, Send

from hub.servers import Listener, bind_all, serve_all
from tests.support.processes import free_port


class Slow:
    """Answers each request when released."""

    def __init__(self) -> None:
        self.started = asyncio.Event()
        self.release = asyncio.Event()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        self.started.set()
        await self.release.wait()
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": b"done"})


async def listening(port: int) -> None:
    async with asyncio.timeout(30):
        while True:
            try:
                _, writer = await asyncio.open_connection("127.0.0.1", port)
            except OSError:
                await asyncio.sleep(0.02)
                continue
            writer.close()
            return


async def refusing(port: int) -> None:
    """Returns once a new connection is refused (the listener closed), however busy the machine."""
    async with asyncio.timeout(30):
        while True:
            try:
                _, writer = await asyncio.open_connection("127.0.0.1", port)
            except ConnectionRefusedError:
                return
            writer.close()
            await asyncio.sleep(0.02)


async def test_sigterm_refuses_new_connections_and_lets_the_request_in_flight_finish() -> None:
    app, port = Slow(), free_port()
    listeners = [Listener("slow", app, port)]
    server = asyncio.create_task(serve_all(listeners, bind_all(listeners, "127.0.0.1"), log_level="warning", grace=10))
    await listening(port)
    url = f"http://127.0.0.1:{port}/"
    async with httpx.AsyncClient(timeout=30) as http:
        in_flight = asyncio.create_task(http.get(url))
        await app.started.wait()
        os.kill(os.getpid(), signal.SIGTERM)  # serve_all's handler: this test process does not stop
        await refusing(port)
        assert not server.done(), "the server waits for the request in flight"
        app.release.set()
        response = await in_flight
    assert (response.status_code, response.text) == (200, "done")
    await asyncio.wait_for(server, 30)


async def test_a_request_outlasting_the_grace_period_is_cut_off_and_the_server_stops() -> None:
    app, port = Slow(), free_port()
    listeners = [Listener("slow", app, port)]
    server = asyncio.create_task(serve_all(listeners, bind_all(listeners, "127.0.0.1"), log_level="critical", grace=1))
    await listening(port)
    async with httpx.AsyncClient(timeout=30) as http:
        in_flight = asyncio.create_task(http.get(f"http://127.0.0.1:{port}/"))
        await app.started.wait()
        os.kill(os.getpid(), signal.SIGTERM)
        await asyncio.wait_for(server, 30)
        response = await in_flight
    assert response.status_code == 500 and response.text != "done", "cut off: uvicorn's answer to a cancelled request"

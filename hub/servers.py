"""Several ASGI apps served by uvicorn in one process, stopped together on Ctrl-C or SIGTERM."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import signal
import socket
from collections.abc import Generator, Sequence
from dataclasses import dataclass
from typing import Literal

import uvicorn
from starlette.types import ASGIApp

KEEP_ALIVE_SECONDS = 75
"""How long an idle keep-alive connection stays open: longer than clients wait between requests (uvicorn's 5 s
default races clients that reuse a connection just as the server closes it)."""


class PortInUse(OSError):
    """A listener's port is taken by another process."""

    code = "PORT_IN_USE"


@dataclass(frozen=True, slots=True)
class Listener:
    """One app on one port, with a human name for the startup banner."""

    name: str
    app: ASGIApp
    port: int
    path: str = "/"
    http: type[asyncio.Protocol] | str = "auto"
    """uvicorn's HTTP protocol (the gateway's answers unreadable requests with GraphQL errors)."""


class _QuietServer(uvicorn.Server):
    """A uvicorn server that leaves signal handling to :func:`serve_all`."""

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield


def bind_all(listeners: Sequence[Listener], host: str) -> list[socket.socket]:
    """Bind and listen on every port before serving any, so a taken port is reported before anything starts, and a
    client that connects once the banner says "is up" waits in the backlog instead of being refused."""
    sockets: list[socket.socket] = []
    for listener in listeners:
        sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, listener.port))
        except OSError as error:
            sock.close()
            for bound in sockets:
                bound.close()
            raise PortInUse(
                f"cannot listen on {host}:{listener.port} for the {listener.name}: {error.strerror}; "
                "stop what uses it or choose another port (see the ZHIJIAN_*_PORT settings)"
            ) from error
        sock.listen(socket.SOMAXCONN)
        sock.set_inheritable(True)
        sockets.append(sock)
    return sockets


async def serve_all(
    listeners: Sequence[Listener],
    sockets: Sequence[socket.socket],
    *,
    log_level: str = "info",
    lifespan: Literal["auto", "on", "off"] = "off",
    grace: float | None = None,
) -> None:
    """Serve every listener on its bound socket until SIGINT/SIGTERM, then shut all of them down gracefully: no new
    connections, in-flight requests finish (within ``grace`` seconds when given), the apps' lifespans end."""
    servers = [
        _QuietServer(
            uvicorn.Config(
                listener.app,
                http=listener.http,
                log_level=log_level,
                access_log=False,
                log_config=None,  # our handler (kernel.logs.configure_logging) formats uvicorn's lines too
                lifespan=lifespan,
                timeout_keep_alive=KEEP_ALIVE_SECONDS,
                timeout_graceful_shutdown=None if grace is None else max(1, round(grace)),
            )
        )
        for listener in listeners
    ]
    loop = asyncio.get_running_loop()

    def stop() -> None:
        for server in servers:
            server.should_exit = True

    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop)
    # What the process built before serving (schemas, mappers, apps) lives until it stops: out of the collector's
    # sight, a full collection no longer walks it on every request's garbage (~0.3 ms per request on a subgraph).
    gc.collect()
    gc.freeze()
    try:
        await asyncio.gather(*(server.serve(sockets=[sock]) for server, sock in zip(servers, sockets, strict=True)))
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)

"""`python -m gateway --supergraph FILE --host H --port P [--workers N]`: serve the gateway.

The settings are read here, once, from the environment and the flags. With ``--workers N`` the parent binds the
port, forks N workers that each build the app from the same settings object and serve the shared socket, and
passes SIGINT/SIGTERM on to them.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import sys
from dataclasses import replace
from pathlib import Path
from types import FrameType

from gateway.errors import GatewayError
from gateway.settings import PREFIX, GatewaySettings
from kernel.errors import ZhijianError


def _arguments(settings: GatewaySettings, argv: list[str] | None) -> GatewaySettings:
    parser = argparse.ArgumentParser(prog="python -m gateway", description="zhijian federation gateway")
    parser.add_argument("--supergraph", default=settings.supergraph_path, help="supergraph SDL file")
    parser.add_argument("--host", default=settings.host)
    parser.add_argument("--port", type=int, default=settings.port)
    parser.add_argument("--workers", type=int, default=settings.workers)
    args = parser.parse_args(argv)
    if not args.supergraph:
        parser.error(f"--supergraph (or {PREFIX}SUPERGRAPH) is required")
    if args.workers < 1:
        parser.error("--workers must be at least 1")
    return replace(settings, supergraph_path=args.supergraph, host=args.host, port=args.port, workers=args.workers)


def _serve(sdl: str, settings: GatewaySettings, sock: socket.socket) -> None:
    """Build the app and serve ``sock`` until SIGINT/SIGTERM (uvicorn's own handling)."""
    import uvicorn

    from gateway.http.app import create_app
    from gateway.http.server import GatewayServer, GraphQLHttpToolsProtocol

    config = uvicorn.Config(
        create_app(sdl, settings),
        loop="uvloop",
        http=GraphQLHttpToolsProtocol,
        access_log=False,
        log_level="warning",
        lifespan="on",
    )
    GatewayServer(config).run(sockets=[sock])


def _bind(host: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def _fork_workers(sdl: str, settings: GatewaySettings, sock: socket.socket) -> int:
    """N forked workers on one socket; the parent waits for them and passes stop signals on."""
    children: list[int] = []
    for _ in range(settings.workers):
        pid = os.fork()
        if pid == 0:  # the worker
            try:
                _serve(sdl, settings, sock)
            finally:
                os._exit(0)
        children.append(pid)

    def stop(signum: int, _frame: FrameType | None) -> None:
        for child in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    failed = 0
    for child in children:
        _, status = os.waitpid(child, 0)
        failed |= os.waitstatus_to_exitcode(status) not in (0, -signal.SIGTERM, -signal.SIGINT)
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    """Read the settings (environment, then flags), check the supergraph, serve."""
    try:
        settings = _arguments(GatewaySettings.from_env(os.environ), argv)
    except ZhijianError as error:
        print(f"zhijian gateway: {error.message}", file=sys.stderr)
        return 2
    assert settings.supergraph_path is not None
    try:
        sdl = Path(settings.supergraph_path).read_text(encoding="utf-8")
    except OSError as error:
        print(f"zhijian gateway: cannot read supergraph {settings.supergraph_path}: {error}", file=sys.stderr)
        return 2
    from gateway.http.app import create_app

    try:
        names = ", ".join(record.name for record in create_app(sdl, settings).gateway.supergraph.subgraphs)
    except (GatewayError, ZhijianError) as error:
        print(f"zhijian gateway: refusing to start: {error.message}", file=sys.stderr)
        return 2
    try:
        sock = _bind(settings.host, settings.port)
    except OSError as error:
        print(f"zhijian gateway: cannot listen on {settings.host}:{settings.port}: {error.strerror}", file=sys.stderr)
        return 2
    print(
        f"zhijian gateway: http://{settings.host}:{settings.port}{settings.graphql_path} "
        f"({settings.workers} worker(s); subgraphs: {names})",
        file=sys.stderr,
        flush=True,
    )
    if settings.workers == 1:
        _serve(sdl, settings, sock)
        return 0
    return _fork_workers(sdl, settings, sock)


if __name__ == "__main__":
    sys.exit(main())

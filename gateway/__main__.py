"""`python -m gateway --supergraph FILE --host H --port P [--workers N]`: serve the gateway."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace
from pathlib import Path

from gateway.errors import GatewayError
from gateway.settings import PREFIX, GatewaySettings


def main(argv: list[str] | None = None) -> int:
    """Parse arguments over `ZHIJIAN_GATEWAY_*` settings, check the supergraph, run uvicorn."""
    try:
        settings = GatewaySettings.from_env()
    except GatewayError as error:
        print(f"zhijian gateway: {error.message}", file=sys.stderr)
        return 2
    parser = argparse.ArgumentParser(prog="python -m gateway", description="zhijian federation gateway")
    parser.add_argument("--supergraph", default=settings.supergraph_path, help="supergraph SDL file")
    parser.add_argument("--host", default=settings.host)
    parser.add_argument("--port", type=int, default=settings.port)
    parser.add_argument("--workers", type=int, default=settings.workers)
    args = parser.parse_args(argv)
    if not args.supergraph:
        parser.error(f"--supergraph (or {PREFIX}SUPERGRAPH) is required")
    settings = replace(settings, supergraph_path=args.supergraph, host=args.host, port=args.port, workers=args.workers)
    try:
        sdl = Path(args.supergraph).read_text(encoding="utf-8")
    except OSError as error:
        print(f"zhijian gateway: cannot read supergraph {args.supergraph}: {error}", file=sys.stderr)
        return 2
    from gateway.http.app import create_app

    try:
        app = create_app(sdl, settings)
    except GatewayError as error:
        print(f"zhijian gateway: refusing to start: {error.message}", file=sys.stderr)
        return 2
    import uvicorn

    names = ", ".join(record.name for record in app.gateway.supergraph.subgraphs)
    print(
        f"zhijian gateway: http://{settings.host}:{settings.port}{settings.graphql_path} "
        f"({settings.workers} worker(s); subgraphs: {names})",
        file=sys.stderr,
        flush=True,
    )
    target: object = app
    if settings.workers > 1:
        os.environ[PREFIX + "SUPERGRAPH"] = str(Path(args.supergraph).resolve())
        target = "gateway.http.factory:app_from_env"
    uvicorn.run(
        target,  # type: ignore[arg-type]
        host=settings.host,
        port=settings.port,
        workers=settings.workers if settings.workers > 1 else None,
        factory=settings.workers > 1,
        loop="uvloop",
        http="httptools",
        access_log=False,
        log_level="warning",
        lifespan="on",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

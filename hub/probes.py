"""``/health`` and ``/ready`` for a component served alone (``zhijian serve``), as an orchestrator probes it.

``/health`` (liveness) answers 200 while the process serves. ``/ready`` (readiness) runs the component's checks —
its database reachable and migrated to head, Redis answering, the provider's keys for the gateway — and answers
200 with each check's outcome, or 503 naming what failed; the gateway also reports each subgraph's ``/health``
(``"status": "degraded"`` while one is unreachable) without leaving its Service for it. Both are JSON and answered
before the component's own app (a subgraph's gateway signature is not asked for).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping

import httpx
import orjson
from redis.asyncio import Redis
from sqlalchemy import text
from starlette.types import ASGIApp, Receive, Scope, Send

from kernel.db import Database
from kernel.migrations import MigrationHistory, behind

Check = Callable[[], Awaitable[None]]
"""Returns when the dependency is usable; raises with a short reason otherwise."""

CHECK_TIMEOUT = 2.0


class NotReady(Exception):
    """A dependency answered, but not as a ready component needs."""


def database_check(database: Database, histories: tuple[MigrationHistory, ...]) -> Check:
    async def check() -> None:
        async with database.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        late = await behind(database, histories)
        if late:
            raise NotReady(f"migrations not at head: {', '.join(late)} (run zhijian migrate)")

    return check


def redis_check(url: str) -> Check:
    async def check() -> None:
        client = Redis.from_url(url, socket_connect_timeout=CHECK_TIMEOUT)
        try:
            await client.ping()
        finally:
            await client.aclose()

    return check


def http_check(http: httpx.AsyncClient, url: str) -> Check:
    """A GET that must answer 200 (the provider's JWKS, a subgraph's ``/health``)."""

    async def check() -> None:
        response = await http.get(url)
        if response.status_code != 200:
            raise NotReady(f"{url} answered {response.status_code}")

    return check


async def _outcome(check: Check) -> str:
    try:
        async with asyncio.timeout(CHECK_TIMEOUT):
            await check()
    except TimeoutError:
        return f"no answer within {CHECK_TIMEOUT:g}s"
    except Exception as error:  # any failure means not ready; its class and message say why
        return f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}".rstrip(": ")
    return "ok"


async def readiness(checks: Mapping[str, Check]) -> dict[str, str]:
    """Every check at once: its name and ``ok`` or why not."""
    names = list(checks)
    outcomes = await asyncio.gather(*(_outcome(checks[name]) for name in names))
    return dict(zip(names, outcomes, strict=True))


class Probes:
    """ASGI middleware answering ``GET /health`` and ``GET /ready`` in front of ``app``.

    ``advisory`` checks are reported but do not make the process unready: the gateway's subgraphs, since taking
    every gateway out of its Service because one subgraph is down would turn a partial outage into a whole one
    (the gateway answers the other subgraphs' fields, and a precise error for the missing one's).
    """

    def __init__(
        self, app: ASGIApp, component: str, checks: Mapping[str, Check], advisory: Mapping[str, Check] | None = None
    ) -> None:
        self.app = app
        self.component = component
        self.checks = checks
        self.advisory = advisory or {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path") if scope["type"] == "http" else None
        if path == "/health":
            await _json(send, 200, {"status": "ok", "component": self.component})
        elif path == "/ready":
            results = await readiness({**self.checks, **self.advisory})
            ready = all(results[name] == "ok" for name in self.checks)
            degraded = [name for name in self.advisory if results[name] != "ok"]
            status = "not ready" if not ready else "degraded" if degraded else "ready"
            await _json(send, 200 if ready else 503, {"status": status, "component": self.component, "checks": results})
        else:
            await self.app(scope, receive, send)


async def _json(send: Send, status: int, body: object) -> None:
    payload = orjson.dumps(body)
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})

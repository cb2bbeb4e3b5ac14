"""What the subgraph benchmarks share: a fresh database, timed GraphQL calls, percentiles, a signed caller.

Subgraphs refuse requests without a gateway-signed identity, so the benchmarks sign one as the gateway would
(a city-wide officer) with a benchmark-only secret; the verification cost is part of what they measure.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
import httpx
import uvicorn
from sqlalchemy.engine import make_url
from starlette.types import ASGIApp

from kernel.forwarding import FORWARDED_IDENTITY_HEADER, IdentitySigner, IdentityVerifier, generate_private_pem
from kernel.principal import Principal

_BENCH_KEY = os.environ.setdefault("ZHIJIAN_BENCH_GATEWAY_KEY", generate_private_pem())
BENCH_SIGNER = IdentitySigner.from_private_pem(_BENCH_KEY)
"""The benchmark's gateway key (Ed25519, made per run and handed to the ``serve`` process it starts through the
environment): subgraphs verify with its public half."""

CITY_OFFICER = Principal(
    subject="bench-city-officer",
    issuer="http://127.0.0.1:4010",
    roles=frozenset({"inspector"}),
    scopes=frozenset({"openid"}),
    org_path="440300",
    client_id="zhijian-benchmark",
    expires_at=2**31 - 1,
)


def verifier() -> IdentityVerifier:
    """What the subgraph under test verifies identities with: the benchmark gateway's public key."""
    return BENCH_SIGNER.verifier()


class SignedCaller(httpx.Auth):
    """Adds a freshly signed city-officer identity to each request, as the gateway does once per request."""

    def __init__(self) -> None:
        self._signer = BENCH_SIGNER

    def auth_flow(self, request: httpx.Request) -> Any:
        request.headers[FORWARDED_IDENTITY_HEADER] = self._signer.sign(CITY_OFFICER)
        yield request


async def recreate_database(url: str) -> None:
    """Drop and create the benchmark database named in ``url``."""
    target = make_url(url)
    admin = await asyncpg.connect(target.set(drivername="postgresql", database="postgres").render_as_string(False))
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{target.database}"')
    finally:
        await admin.close()


def percentile(samples: Sequence[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def report(label: str, times: Sequence[float]) -> None:
    """One line: p50 and p99 in milliseconds."""
    print(f"{label}: p50 {percentile(times, 0.5) * 1000:.2f} ms, p99 {percentile(times, 0.99) * 1000:.2f} ms")


async def timed(client: httpx.AsyncClient, query: str, variables: dict[str, Any]) -> tuple[float, dict[str, Any]]:
    """Seconds one GraphQL POST took, and its body; any error stops the benchmark."""
    began = time.perf_counter()
    response = await client.post("/graphql", json={"query": query, "variables": variables})
    elapsed = time.perf_counter() - began
    body: dict[str, Any] = response.json()
    if response.status_code != 200 or body.get("errors"):
        raise SystemExit(f"benchmark query failed: {response.status_code} {json.dumps(body)[:500]}")
    return elapsed, body


def serve_app(app: ASGIApp, port: int) -> None:
    """Serve one subgraph alone in this process on 127.0.0.1, as it runs in production."""
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


@asynccontextmanager
async def served_subgraph(module: str, url: str, port: int, concurrency: int) -> AsyncIterator[httpx.AsyncClient]:
    """Run ``python -m <module> serve --url <url>`` in its own process and yield a signed client pool for it.

    The server is stopped however the benchmark ends, so a failed run leaves no process holding the port.
    """
    server = await asyncio.create_subprocess_exec(sys.executable, "-m", module, "serve", "--url", url)
    base = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient() as probe:
            for _ in range(200):
                try:
                    await probe.get(f"{base}/graphql", headers={"accept": "application/json"})
                    break
                except httpx.TransportError:
                    await asyncio.sleep(0.1)
            else:
                raise SystemExit(f"{module} serve did not answer on {base} within 20 s")
        limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
        async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30, auth=SignedCaller()) as client:
            yield client
    finally:
        server.terminate()
        await server.wait()

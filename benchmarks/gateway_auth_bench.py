"""What auth costs the gateway: token validation µs and gateway throughput with auth on vs off, in one run.

    python -m benchmarks.gateway_auth_bench [--requests 3000] [--rounds 7]

Workload: the auth test federation (`tests/gateway/auth/scenario.py`, a supergraph carrying `@authenticated`,
`@requiresScopes`, `@policy`), query `{ entities { name phone permits { number } } }` (two fetches, every field
allowed for the caller), driven through the gateway's ASGI app in process. Subgraphs are memoised responders
(recorded once from the real test subgraphs), so the gateway's own CPU is what is measured. Modes, interleaved per
round: `off` (no validator, no signer, no token), `on` (validator + signer, one reused token: the steady state of a
client) and `on-fresh` (a new token every request: full RS256 validation with a cached key). Prints medians of
requests per CPU-second and the on/off ratios.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import httpx

from gateway.auth import IdentitySigner, Principal, TokenValidator, builtin_issuer
from gateway.execution import AsgiSubgraphClient, SubgraphClient
from gateway.http.app import GatewayApp, create_app
from gateway.settings import GatewaySettings
from tests.gateway.auth.issuer import AUDIENCE, Issuer
from tests.gateway.auth.scenario import auth_federation

QUERY = b'{"query":"{ entities { name phone permits { number } } }"}'
SECRET = "gateway-auth-bench-forwarding-secret-0123456789"
Message = MutableMapping[str, Any]


class Memoised:
    """Answers each distinct request body with the real subgraph's first answer to it."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.answers: dict[bytes, bytes] = {}

    async def __call__(self, scope: Any, receive: Callable[[], Awaitable[Message]], send: Any) -> None:
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        answer = self.answers.get(body)
        if answer is None:
            sent: list[Message] = []

            async def replay() -> Message:
                return {"type": "http.request", "body": body, "more_body": False}

            async def keep(message: Message) -> None:
                sent.append(message)

            await self.app(scope, replay, keep)
            answer = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
            self.answers[body] = answer
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(answer)).encode())]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": answer})


async def call(app: GatewayApp, authorization: bytes | None) -> int:
    """One POST /graphql through the ASGI app; the response status."""
    headers = [(b"content-type", b"application/json"), (b"accept", b"application/json")]
    if authorization is not None:
        headers.append((b"authorization", authorization))
    scope = {"type": "http", "method": "POST", "path": "/graphql", "headers": headers, "query_string": b""}
    status = 0

    async def receive() -> Message:
        return {"type": "http.request", "body": QUERY, "more_body": False}

    async def send(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


async def rate(app: GatewayApp, headers: list[bytes | None]) -> float:
    """Requests per CPU-second of this process over `headers` (one request each)."""
    start = time.process_time()
    for header in headers:
        if await call(app, header) != 200:
            raise RuntimeError("a benchmark request failed")
    return len(headers) / (time.process_time() - start)


async def main(requests: int, rounds: int) -> None:
    federation = auth_federation()
    memoised = {name: Memoised(app) for name, app in federation.apps.items()}
    transports: dict[str, SubgraphClient] = {name: AsgiSubgraphClient(name, app) for name, app in memoised.items()}
    issuer = Issuer()
    issuer.url = "http://127.0.0.1:4010"
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=issuer.app)) as jwks:
        validator = TokenValidator([builtin_issuer(issuer.url, AUDIENCE)], jwks)
        signer = IdentitySigner.from_secret(SECRET)
        off = create_app(federation.supergraph_sdl, GatewaySettings(), transports)
        on = create_app(federation.supergraph_sdl, GatewaySettings(), transports, validator=validator, signer=signer)
        token = f"Bearer {issuer.token()}".encode()
        fresh = [f"Bearer {issuer.token(sub=f'u{i}')}".encode() for i in range(requests)]
        await rate(off, [None] * 50)
        await rate(on, [token] * 50)

        raw = [t.removeprefix(b"Bearer ").decode() for t in fresh]
        start = time.perf_counter()
        for item in raw:
            await validator.validate(item)
        validate_us = (time.perf_counter() - start) / len(raw) * 1e6
        principal: Principal = await validator.validate(raw[0])
        start = time.perf_counter()
        for _ in range(requests):
            signer.sign(principal)
        sign_us = (time.perf_counter() - start) / requests * 1e6
        cache = on.auth
        assert cache is not None
        start = time.perf_counter()
        for _ in range(requests):
            await cache.principal(token)
        cached_us = (time.perf_counter() - start) / requests * 1e6

        results: dict[str, list[float]] = {"off": [], "on": [], "on-fresh": []}
        for _ in range(rounds):
            results["off"].append(await rate(off, [None] * requests))
            results["on"].append(await rate(on, [token] * requests))
            results["on-fresh"].append(await rate(on, list(fresh)))
            fresh = [f"Bearer {issuer.token(sub=f'v{i}')}".encode() for i in range(requests)]
        await off.gateway.aclose()
        await on.gateway.aclose()

    median = {mode: statistics.median(values) for mode, values in results.items()}
    print(
        f"token validation (RS256, cached key): {validate_us:.1f} µs; cached principal: {cached_us:.2f} µs; "
        f"identity signing (HS256): {sign_us:.1f} µs"
    )
    for mode, value in median.items():
        print(f"{mode:9s} {value:8.0f} req/CPU-s (median of {rounds} × {requests})")
    print(f"on/off: {median['on'] / median['off']:.3f}   on-fresh/off: {median['on-fresh'] / median['off']:.3f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=7)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.requests, arguments.rounds))

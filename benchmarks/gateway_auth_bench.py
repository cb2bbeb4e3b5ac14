"""What auth costs the gateway: token validation µs and gateway throughput with auth on vs off, in one run.

    python -m benchmarks.gateway_auth_bench [--requests 3000] [--rounds 7] [--http]

Workload: the auth test federation (`tests/gateway/auth/scenario.py`, a supergraph carrying `@authenticated`,
`@requiresScopes`, `@policy`), query `{ entities { name phone permits { number } } }` (two fetches, every field
allowed for the caller), driven through the gateway's ASGI app in process. Subgraphs are memoised responders
(recorded once from the real test subgraphs), so the gateway's own CPU is what is measured. Modes, interleaved per
round: `off` (no validator, no signer, no token), `on` (validator + signer, one reused token: the steady state of a
client) and `on-fresh` (a new token every request: full RS256 validation with a cached key). Prints medians of
requests per CPU-second and the on/off ratios.

With ``--http`` the same two gateways (auth off / on) run as uvicorn processes (uvloop, httptools, as
``python -m gateway``) on 127.0.0.1 and this process drives them over keep-alive HTTP with 16 connections; the rate
is requests per CPU-second of each gateway process (``/proc/<pid>/stat``), rounds interleaved.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

import httpx
from joserfc.jwk import RSAKey

from gateway.auth import TokenValidator, builtin_issuer
from gateway.execution import AsgiSubgraphClient, SubgraphClient
from gateway.http.app import GatewayApp, create_app
from gateway.settings import GatewaySettings
from kernel.forwarding import IdentitySigner, generate_private_pem
from kernel.principal import Principal
from tests.gateway.auth.issuer import AUDIENCE, Issuer
from tests.gateway.auth.scenario import auth_federation
from tests.gateway.servers import free_port

QUERY = b'{"query":"{ entities { name phone permits { number } } }"}'
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
        signer = IdentitySigner.from_private_pem(generate_private_pem())
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


ISSUER_URL = "http://127.0.0.1:4010"


def http_app() -> GatewayApp:
    """The gateway a ``--http`` child serves (uvicorn ``--factory``): auth per ``ZHIJIAN_AUTH_BENCH_MODE``."""
    federation = auth_federation()
    transports: dict[str, SubgraphClient] = {
        name: AsgiSubgraphClient(name, Memoised(app)) for name, app in federation.apps.items()
    }
    if os.environ["ZHIJIAN_AUTH_BENCH_MODE"] == "off":
        return create_app(federation.supergraph_sdl, GatewaySettings(), transports)
    pem = Path(os.environ["ZHIJIAN_AUTH_BENCH_KEY"]).read_bytes()
    issuer = Issuer(RSAKey.import_key(pem, {"kid": "gw-test-1", "alg": "RS256", "use": "sig"}))
    jwks = httpx.AsyncClient(transport=httpx.ASGITransport(app=issuer.app))
    validator = TokenValidator([builtin_issuer(ISSUER_URL, AUDIENCE)], jwks)
    signer = IdentitySigner.from_private_pem(generate_private_pem())
    return create_app(federation.supergraph_sdl, GatewaySettings(), transports, validator=validator, signer=signer)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux ``/proc/<pid>/stat`` fields 14 and 15)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def http_rate(url: str, pid: int, headers: list[bytes | None], connections: int = 16) -> float:
    """Requests per CPU-second of the gateway process `pid` over keep-alive HTTP."""
    queue = list(headers)
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(limits=limits, timeout=30) as http:

        async def worker() -> None:
            while queue:
                header = queue.pop()
                sent = {"content-type": "application/json"}
                if header is not None:
                    sent["authorization"] = header.decode()
                if (await http.post(f"{url}/graphql", content=QUERY, headers=sent)).status_code != 200:
                    raise RuntimeError("a benchmark request failed")

        start = cpu_seconds(pid)
        await asyncio.gather(*(worker() for _ in range(connections)))
        return len(headers) / (cpu_seconds(pid) - start)


Gateways = dict[str, tuple[subprocess.Popen[bytes], str]]


def start_gateways(key_path: str) -> Gateways:
    """One uvicorn process per mode, answering ``/health``."""
    children: Gateways = {}
    for mode in ("off", "on"):
        port = free_port()
        env = {**os.environ, "ZHIJIAN_AUTH_BENCH_MODE": mode, "ZHIJIAN_AUTH_BENCH_KEY": key_path}
        command = [sys.executable, "-m", "uvicorn", "benchmarks.gateway_auth_bench:http_app", "--factory",
                   "--port", str(port), "--loop", "uvloop", "--http", "httptools", "--log-level", "warning",
                   "--no-access-log"]  # fmt: skip
        children[mode] = (subprocess.Popen(command, env=env), f"http://127.0.0.1:{port}")
    for _, url in children.values():
        for _ in range(300):
            try:
                httpx.get(f"{url}/health", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
    return children


async def drive(children: Gateways, issuer: Issuer, requests: int, rounds: int) -> dict[str, list[float]]:
    """Interleaved rounds: off, on (one reused token), on-fresh (a new token per request)."""
    (off, off_url), (on, on_url) = children["off"], children["on"]
    token = f"Bearer {issuer.token()}".encode()
    await http_rate(off_url, off.pid, [None] * 200)
    await http_rate(on_url, on.pid, [token] * 200)
    results: dict[str, list[float]] = {"off": [], "on": [], "on-fresh": []}
    for _ in range(rounds):
        fresh: list[bytes | None] = [f"Bearer {issuer.token(sub=f'u{i}')}".encode() for i in range(requests)]
        results["off"].append(await http_rate(off_url, off.pid, [None] * requests))
        results["on"].append(await http_rate(on_url, on.pid, [token] * requests))
        results["on-fresh"].append(await http_rate(on_url, on.pid, fresh))
    return results


def main_http(requests: int, rounds: int) -> None:
    issuer = Issuer()
    issuer.url = ISSUER_URL
    with tempfile.NamedTemporaryFile(suffix=".pem") as key_file:
        key_file.write(issuer.key.as_pem(private=True))
        key_file.flush()
        children = start_gateways(key_file.name)
        try:
            results = asyncio.run(drive(children, issuer, requests, rounds))
        finally:
            for process, _ in children.values():
                process.terminate()
                process.wait()
    median = {mode: statistics.median(values) for mode, values in results.items()}
    for mode, value in median.items():
        print(f"http {mode:9s} {value:8.0f} req/gateway-CPU-s (median of {rounds} × {requests}, 16 connections)")
    print(f"http on/off: {median['on'] / median['off']:.3f}   on-fresh/off: {median['on-fresh'] / median['off']:.3f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--http", action="store_true", help="gateways as uvicorn processes, driven over HTTP")
    arguments = parser.parse_args()
    if arguments.http:
        main_http(arguments.requests, arguments.rounds)
    else:
        asyncio.run(main(arguments.requests, arguments.rounds))

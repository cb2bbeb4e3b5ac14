"""What the revocation check costs the gateway's hot path, in one run.

    python -m benchmarks.revocation_bench [--requests 3000] [--rounds 7] [--revoked 10000]

The check (:mod:`kernel.revocation`) is answered from memory on every request, cached token or not. Measured:
the check alone (µs per call, against an empty list and one holding ``--revoked`` revocations of others), the
alternative design of asking Redis on every request (one pipelined ``EXISTS`` of the token's three keys, local
Redis, ``ZHIJIAN_REDIS_URL`` or redis://127.0.0.1:6379/15), and gateway throughput in process on the auth
benchmark's workload (``benchmarks.gateway_auth_bench``) with a reused token: auth on without a revocation list vs
with a list of ``--revoked`` entries, rounds interleaved. Prints medians and the ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
import uuid

import httpx
import redis.asyncio as aioredis

from benchmarks.gateway_auth_bench import Memoised, rate
from gateway.auth import TokenValidator, builtin_issuer
from gateway.execution import AsgiSubgraphClient, SubgraphClient
from gateway.http.app import create_app
from gateway.http.auth import EdgeAuth
from gateway.settings import GatewaySettings
from kernel.forwarding import IdentitySigner, generate_private_pem
from kernel.revocation import LocalRevocations, Revoked, TokenIds
from tests.gateway.auth.issuer import AUDIENCE, Issuer
from tests.gateway.auth.scenario import auth_federation


async def filled(count: int) -> LocalRevocations:
    """A list holding ``count`` revocations of other tokens, sessions and subjects."""
    revocations = LocalRevocations()
    kinds = (Revoked.TOKEN, Revoked.SESSION, Revoked.SUBJECT)
    for i in range(count):
        await revocations.revoke(kinds[i % 3], str(uuid.uuid4()), ttl=3600)
    return revocations


def per_call_us(revocations: LocalRevocations, token: TokenIds, calls: int) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        revocations.revoked(token)
    return (time.perf_counter() - start) / calls * 1e6


async def redis_per_request_us(url: str, token: TokenIds, calls: int) -> float:
    client = aioredis.Redis.from_url(url)
    keys = [f"bench:revoked:jti:{token.jti}", f"bench:revoked:sid:{token.sid}", f"bench:revoked:sub:{token.subject}"]
    try:
        await client.exists(*keys)
        start = time.perf_counter()
        for _ in range(calls):
            await client.exists(*keys)
        return (time.perf_counter() - start) / calls * 1e6
    finally:
        await client.aclose()


async def main(requests: int, rounds: int, revoked: int) -> None:
    token = TokenIds("officer-1", str(uuid.uuid4()), str(uuid.uuid4()), time.time())
    empty, full = LocalRevocations(), await filled(revoked)
    checks = {
        "empty list": statistics.median(per_call_us(empty, token, requests * 10) for _ in range(rounds)),
        f"{revoked} revoked": statistics.median(per_call_us(full, token, requests * 10) for _ in range(rounds)),
    }
    redis_url = os.environ.get("ZHIJIAN_REDIS_URL", "redis://127.0.0.1:6379/15")
    redis_us = statistics.median([await redis_per_request_us(redis_url, token, requests) for _ in range(rounds)])

    federation = auth_federation()
    transports: dict[str, SubgraphClient] = {
        name: AsgiSubgraphClient(name, Memoised(app)) for name, app in federation.apps.items()
    }
    issuer = Issuer()
    issuer.url = "http://127.0.0.1:4010"
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=issuer.app)) as jwks:
        validator = TokenValidator([builtin_issuer(issuer.url, AUDIENCE)], jwks)
        signer = IdentitySigner.from_private_pem(generate_private_pem())
        plain = create_app(federation.supergraph_sdl, GatewaySettings(), transports, validator=EdgeAuth(validator),
                           signer=signer)  # fmt: skip
        checked = create_app(federation.supergraph_sdl, GatewaySettings(), transports,
                             validator=EdgeAuth(validator, revocations=full), signer=signer)  # fmt: skip
        header = f"Bearer {issuer.token()}".encode()
        await rate(plain, [header] * 100)
        await rate(checked, [header] * 100)
        results: dict[str, list[float]] = {"without": [], "with": []}
        for _ in range(rounds):
            results["without"].append(await rate(plain, [header] * requests))
            results["with"].append(await rate(checked, [header] * requests))
        await plain.gateway.aclose()
        await checked.gateway.aclose()
    for name, value in checks.items():
        print(f"revocation check in memory, {name:>14}: {value * 1000:7.0f} ns per request")
    print(f"revocation check asking Redis per request (EXISTS of 3 keys): {redis_us:7.1f} µs per request")
    without, with_list = statistics.median(results["without"]), statistics.median(results["with"])
    print(f"gateway, auth on, reused token: {without:8.0f} req/CPU-s without a list, {with_list:8.0f} with "
          f"{revoked} revocations (ratio {with_list / without:.3f}; median of {rounds} × {requests})")  # fmt: skip
    print(f"per request: {1e6 / without:.1f} µs of gateway work; the in-memory check is "
          f"{checks[f'{revoked} revoked'] / (1e6 / without) * 100:.2f} % of it, a Redis lookup would be "
          f"{redis_us / (1e6 / without) * 100:.0f} %")  # fmt: skip


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--revoked", type=int, default=10_000)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.requests, arguments.rounds, arguments.revoked))

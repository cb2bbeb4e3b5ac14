"""Gateway-side access-token validation cost with a cached signing key (the hot path of every request).

    python -m benchmarks.identity_token_validation [--tokens 2000] [--rounds 5]

Mints RS256 ``at+jwt`` tokens with the provider's own minter and key ring (temporary key directory), serves
the JWKS from the provider's real ASGI app, warms the validator's key cache with one validation, then times
``TokenValidator.validate`` per token. Prints the median µs per validation over the rounds (and the
forwarded-identity sign+verify cost, which the gateway and each subgraph pay per subgraph request).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import httpx

from gateway.auth import TokenValidator, builtin_issuer
from identity.keys import KeyRing, LocalKeyWrapper
from identity.minting import ACCESS_TOKEN_TYPE, TokenMinter
from identity.records import Account, Client, Level, SignedIn
from identity.settings import IdentitySettings
from kernel.forwarding import IdentitySigner, generate_private_pem
from kernel.roles import Population, Role
from kernel.settings import Secret


def _officer() -> SignedIn:
    account = Account("officer-1", "futian.case", "王芳", (Role.INSPECTOR,), Population.OFFICER, False,
                      Level.DISTRICT, "440300/440304")  # fmt: skip
    return SignedIn(account, "sid-1", int(time.time()))


def _client() -> Client:
    return Client(
        "zhijian-officer-app",
        "app",
        "none",
        None,
        None,
        (),
        (),
        ("authorization_code",),
        ("openid",),
        None,
        True,
        False,
    )


async def main(count: int, rounds: int) -> None:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    with tempfile.TemporaryDirectory() as folder:
        settings = replace(IdentitySettings.from_env({}), key_dir=Path(folder))
        wrapper = LocalKeyWrapper(Secret("benchmark-key-encryption-key-0123456789"))
        keys = KeyRing(settings.key_dir, settings.max_token_ttl, wrapper).load()
        minter = TokenMinter(settings, keys)
        tokens = [
            keys.sign(minter.access_claims(_client(), _officer(), "openid"), ACCESS_TOKEN_TYPE) for _ in range(count)
        ]

        async def jwks(request: Request) -> JSONResponse:
            return JSONResponse(keys.jwks())

        jwks_app = Starlette(routes=[Route("/jwks.json", jwks)])
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=jwks_app)) as http:
            validator = TokenValidator([builtin_issuer(settings.issuer, settings.gateway_audience)], http)
            principal = await validator.validate(tokens[0])
            per_token: list[float] = []
            for _ in range(rounds):
                start = time.perf_counter()
                for token in tokens:
                    await validator.validate(token)
                per_token.append((time.perf_counter() - start) / count * 1e6)
            fetches = validator.jwks(settings.issuer).fetches

    signer = IdentitySigner.from_private_pem(generate_private_pem())
    verifier = signer.verifier()
    start = time.perf_counter()
    for second in range(count):  # a new signature each time: the worst case, no reuse
        verifier.verify(signer.sign(principal, now=time.time() + second % 2))
    forwarded = (time.perf_counter() - start) / count * 1e6

    print(f"tokens per round: {count}, rounds: {rounds}, JWKS fetches: {fetches}")
    print(
        f"validation (RS256 at+jwt, cached key): median {statistics.median(per_token):.1f} µs per token "
        f"(rounds: {', '.join(f'{v:.1f}' for v in per_token)})"
    )
    print(f"forwarded identity (HS256) sign+verify: {forwarded:.1f} µs")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.tokens, arguments.rounds))

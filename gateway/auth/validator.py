"""Validate ``Authorization: Bearer`` JWTs from several issuers at once; the gateway's HTTP edge calls this."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

import httpx

from gateway.auth.claims import (
    check_claims,
    check_header,
    to_principal,
    token_ids,
    unverified_parts,
    verify_signature,
)
from gateway.auth.errors import InvalidToken, MissingToken
from gateway.auth.issuers import IssuerConfig
from gateway.auth.jwks import JwksCache
from kernel.principal import Principal
from kernel.revocation import TokenIds


def bearer_token(authorization: str | None) -> str:
    """The token of an ``Authorization: Bearer <token>`` header (RFC 6750 §2.1)."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise MissingToken("an Authorization: Bearer token is required")
    return token.strip()


class TokenValidator:
    """Trusts the configured issuers only; keeps one :class:`JwksCache` per issuer. A process-wide resource."""

    def __init__(
        self,
        issuers: Sequence[IssuerConfig],
        http: httpx.AsyncClient,
        *,
        leeway: float = 30.0,
        min_refetch_interval: float = 30.0,
        jwks_max_age: float = 300.0,
        clock: Callable[[], float] = time.time,
        jwks_clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._issuers = {config.issuer: config for config in issuers}
        self._keys = {
            config.issuer: JwksCache(
                config.jwks_uri, http, max_age=jwks_max_age, min_refetch_interval=min_refetch_interval, clock=jwks_clock
            )
            for config in issuers
        }
        self._leeway = leeway
        self._clock = clock

    def jwks(self, issuer: str) -> JwksCache:
        return self._keys[issuer]

    async def validate(self, token: str) -> Principal:
        """The caller behind ``token``, or :class:`InvalidToken` / :class:`KeysUnavailable`."""
        principal, _ = await self.validate_with_ids(token)
        return principal

    async def validate_with_ids(self, token: str) -> tuple[Principal, TokenIds]:
        """The caller behind ``token`` and the token's ``jti``/``sid``/``iat`` (for the revocation check)."""
        header, unverified = unverified_parts(token)
        issuer = unverified.get("iss")
        config = self._issuers.get(issuer) if isinstance(issuer, str) else None
        if config is None:
            raise InvalidToken("untrusted issuer")
        alg, kid = check_header(header, config)
        key = await self._keys[config.issuer].key(kid)
        if key is None:
            raise InvalidToken("unknown signing key")
        claims = verify_signature(token, key, alg)
        check_claims(claims, config, self._clock(), self._leeway)
        return to_principal(claims, config.mapping, config.issuer), token_ids(claims)

    async def authenticate(self, authorization: str | None) -> Principal:
        """Validate the token of an ``Authorization`` header value."""
        return await self.validate(bearer_token(authorization))

    async def caller(self, authorization: str | None) -> Principal | None:
        """``None`` (anonymous) without an ``Authorization`` header; a header with a bad token raises."""
        validated = await self.caller_with_ids(authorization)
        return None if validated is None else validated[0]

    async def caller_with_ids(self, authorization: str | None) -> tuple[Principal, TokenIds] | None:
        """:meth:`caller` with the token's ids for the revocation check."""
        if authorization is None or not authorization.strip():
            return None
        return await self.validate_with_ids(bearer_token(authorization))

"""Who is calling: ``Authorization: Bearer`` validated at the HTTP edge (RFC 6750, RFC 9068).

A validated token is remembered until it expires (at most ``max_age`` seconds), so a client that reuses
its token pays for one signature check, not one per request. A bad token is never remembered.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

import httpx

from gateway.auth import IssuerConfig, TokenValidator, builtin_issuer, keycloak_issuer
from gateway.settings import GatewaySettings
from kernel.forwarding import IdentitySigner
from kernel.principal import Principal


class EdgeAuth:
    """The gateway's token validator with a bounded cache of validated tokens; owns its JWKS client if given."""

    def __init__(
        self,
        validator: TokenValidator,
        *,
        http: httpx.AsyncClient | None = None,
        cache_size: int = 4096,
        max_age: float = 60.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.validator = validator
        self._http = http
        self._cache: dict[bytes, tuple[Principal, float]] = {}
        self._cache_size = max(1, cache_size)
        self._max_age = max_age
        self._clock = clock

    async def principal(self, authorization: bytes | None) -> Principal | None:
        """The caller (None without an ``Authorization`` header); raises ``AuthError`` / ``KeysUnavailable``."""
        if authorization is None:
            return None
        now = self._clock()
        hit = self._cache.get(authorization)
        if hit is not None:
            if now < hit[1]:
                return hit[0]
            del self._cache[authorization]
        principal = await self.validator.caller(authorization.decode("latin-1"))
        if principal is not None:
            if len(self._cache) >= self._cache_size:
                del self._cache[next(iter(self._cache))]
            self._cache[authorization] = (principal, min(float(principal.expires_at), now + self._max_age))
        return principal

    async def aclose(self) -> None:
        if self._http is not None:
            await self._http.aclose()


def issuers_from_settings(settings: GatewaySettings) -> tuple[IssuerConfig, ...]:
    """The trusted issuers the settings name: the built-in provider and an optional Keycloak realm."""
    issuers: list[IssuerConfig] = []
    audience = settings.token_audience
    if settings.issuer is not None:
        config = builtin_issuer(settings.issuer, audience)
        if settings.jwks_url:
            config = replace(config, jwks_uri=settings.jwks_url)
        issuers.append(config)
    if settings.external_issuer is not None:
        external = keycloak_issuer(
            settings.external_issuer,
            audience,
            client_roles_of=settings.external_client_roles,
            token_types=settings.external_token_types,
        )
        if settings.external_jwks_url:
            external = replace(external, jwks_uri=settings.external_jwks_url)
        issuers.append(external)
    return tuple(issuers)


def edge_auth_from_settings(settings: GatewaySettings) -> EdgeAuth | None:
    """Auth for a stand-alone gateway; None (auth off) when no issuer is configured."""
    issuers = issuers_from_settings(settings)
    if not issuers:
        return None
    http = httpx.AsyncClient(timeout=10.0)
    return EdgeAuth(TokenValidator(issuers, http), http=http)


def signer_from_settings(settings: GatewaySettings) -> IdentitySigner | None:
    """The forwarded-identity signer from ``ZHIJIAN_GATEWAY_FORWARDING_KEY_FILE``; None when unset."""
    if settings.forwarding_key_file is None:
        return None
    return IdentitySigner.from_private_pem(settings.forwarding_key_file.read_bytes())

"""Who is calling: ``Authorization: Bearer`` validated at the HTTP edge (RFC 6750, RFC 9068).

A validated token is remembered until it expires (at most ``max_age`` seconds), so a client that reuses its token
pays for one signature check, not one per request. A bad token is never remembered. Every request, remembered
token or not, is checked against the revocation list (:mod:`kernel.revocation`): a logout, a revoked token or a
disabled account ends access within seconds. The check is answered from memory; with ``ZHIJIAN_REDIS_URL`` the
memory follows the provider's revocations through Redis.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

import httpx

from gateway.auth import InvalidToken, IssuerConfig, TokenValidator, builtin_issuer, keycloak_issuer
from gateway.settings import GatewaySettings
from kernel.forwarding import IdentitySigner
from kernel.principal import Principal
from kernel.revocation import RedisRevocations, Revocations, TokenIds


class EdgeAuth:
    """The gateway's token validator with a bounded cache of validated tokens and the revocation check; owns its
    JWKS client and revocation list if given."""

    def __init__(
        self,
        validator: TokenValidator,
        *,
        http: httpx.AsyncClient | None = None,
        revocations: Revocations | None = None,
        owns_revocations: bool = False,
        cache_size: int = 4096,
        max_age: float = 60.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.validator = validator
        self.revocations = revocations
        self._http = http
        self._owns_revocations = owns_revocations
        self._started = revocations is None
        self._cache: dict[bytes, tuple[Principal, TokenIds, float]] = {}
        self._cache_size = max(1, cache_size)
        self._max_age = max_age
        self._clock = clock

    async def start(self) -> None:
        """Begin following the revocation list (idempotent; the first request starts it if the lifespan did not)."""
        if not self._started and self.revocations is not None:
            self._started = True
            await self.revocations.start()

    async def principal(self, authorization: bytes | None) -> Principal | None:
        """The caller (None without an ``Authorization`` header); raises ``AuthError`` / ``KeysUnavailable``."""
        if authorization is None:
            return None
        now = self._clock()
        hit = self._cache.get(authorization)
        if hit is not None and now >= hit[2]:
            del self._cache[authorization]
            hit = None
        if hit is None:
            validated = await self.validator.caller_with_ids(authorization.decode("latin-1"))
            if validated is None:
                return None
            principal, ids = validated
            if len(self._cache) >= self._cache_size:
                del self._cache[next(iter(self._cache))]
            self._cache[authorization] = (principal, ids, min(float(principal.expires_at), now + self._max_age))
        else:
            principal, ids, _ = hit
        if self.revocations is not None:
            if not self._started:
                await self.start()
            if self.revocations.revoked(ids):
                raise InvalidToken("revoked")
        return principal

    async def aclose(self) -> None:
        if self._http is not None:
            await self._http.aclose()
        if self._owns_revocations and self.revocations is not None:
            await self.revocations.close()


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
    revocations = RedisRevocations.from_url(settings.redis_url) if settings.redis_url else None
    return EdgeAuth(TokenValidator(issuers, http), http=http, revocations=revocations, owns_revocations=True)


def signer_from_settings(settings: GatewaySettings) -> IdentitySigner | None:
    """The forwarded-identity signer from ``ZHIJIAN_GATEWAY_FORWARDING_KEY_FILE``; None when unset."""
    if settings.forwarding_key_file is None:
        return None
    return IdentitySigner.from_private_pem(settings.forwarding_key_file.read_bytes())

"""An issuer's signing keys, cached; an unknown ``kid`` triggers a refetch at most once per interval.

OIDC Core §10.1.1: a verifier re-reads the JWKS when it meets a new ``kid`` (key rotation). A flood of
tokens with random ``kid`` values must not become a flood of fetches: refetches are single-flight and
rate-limited, and a ``kid`` still unknown after a fresh fetch is refused without another one.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

import httpx
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, OKPKey, RSAKey

from gateway.auth.errors import KeysUnavailable

PublicKey = RSAKey | ECKey | OKPKey
_IMPORTERS: dict[str, Callable[[Any], PublicKey]] = {
    "RSA": RSAKey.import_key,
    "EC": ECKey.import_key,
    "OKP": OKPKey.import_key,
}


def parse_jwks(document: Any) -> dict[str, PublicKey]:
    """Signing keys by ``kid``; symmetric (``oct``), private, kid-less and encryption keys are dropped."""
    keys: dict[str, PublicKey] = {}
    for entry in document.get("keys", []) if isinstance(document, dict) else []:
        if not isinstance(entry, dict) or entry.get("use", "sig") != "sig" or "d" in entry:
            continue
        kid, importer = entry.get("kid"), _IMPORTERS.get(str(entry.get("kty")))
        if not isinstance(kid, str) or importer is None:
            continue
        try:
            keys[kid] = importer(entry)
        except (JoseError, ValueError, TypeError):
            continue
    return keys


class JwksCache:
    """Keys of one issuer; a process-wide resource shared by every request."""

    def __init__(
        self,
        jwks_uri: str,
        http: httpx.AsyncClient,
        *,
        max_age: float = 300.0,
        min_refetch_interval: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.jwks_uri = jwks_uri
        self._http = http
        self._max_age = max_age
        self._min_refetch_interval = min_refetch_interval
        self._clock = clock
        self._keys: dict[str, PublicKey] = {}
        self._fetched_at: float | None = None
        self._lock = asyncio.Lock()
        self.fetches = 0
        """How many times the JWKS was requested (for metrics and tests)."""

    def cached(self, kid: str) -> PublicKey | None:
        """The key for ``kid`` if cached and fresh: the hot path, no I/O."""
        if self._fetched_at is None or self._clock() - self._fetched_at > self._max_age:
            return None
        return self._keys.get(kid)

    async def key(self, kid: str) -> PublicKey | None:
        """The key for ``kid``, refetching when stale, or when unknown and the last fetch is old enough."""
        key = self.cached(kid)
        if key is not None:
            return key
        async with self._lock:
            now = self._clock()
            stale = self._fetched_at is None or now - self._fetched_at > self._max_age
            may_refetch = self._fetched_at is None or now - self._fetched_at >= self._min_refetch_interval
            if stale or (kid not in self._keys and may_refetch):
                await self._fetch()
        return self._keys.get(kid)

    async def _fetch(self) -> None:
        self.fetches += 1
        try:
            response = await self._http.get(self.jwks_uri, headers={"Accept": "application/json"}, timeout=5.0)
            response.raise_for_status()
            keys = parse_jwks(response.json())
        except (httpx.HTTPError, ValueError) as error:
            if self._keys:  # keep serving the keys we have; retry after the interval
                self._fetched_at = self._clock() - self._max_age + self._min_refetch_interval
                return
            raise KeysUnavailable(f"cannot read signing keys from {self.jwks_uri}: {type(error).__name__}") from None
        self._keys = keys
        self._fetched_at = self._clock()

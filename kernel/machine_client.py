"""A machine client of the federated graph: a client-credentials token from the provider, GraphQL at the gateway.

Components ask each other's records through the gateway, as any integration would (RFC 6749 §4.4), never by
signing an identity themselves: the gateway checks the token, applies the client's scopes and jurisdiction,
and joins across subgraphs.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from kernel.errors import Code, ErrorCode, ZhijianError
from kernel.settings import Secret


class GraphCode(ErrorCode):
    GRAPH_UNAVAILABLE = "GRAPH_UNAVAILABLE", "The gateway or the provider did not answer a machine client usefully."


class GraphUnavailable(ZhijianError):
    """The provider refused the client, or the gateway did not answer usefully; nothing was decided."""

    code = GraphCode.GRAPH_UNAVAILABLE


@dataclass(slots=True)
class ClientCredentials:
    """Access tokens for one confidential client, fetched when needed and reused until shortly before expiry."""

    http: httpx.AsyncClient
    token_url: str
    client_id: str
    secret: Secret
    scopes: tuple[str, ...]
    clock: Callable[[], float] = time.monotonic
    _token: str | None = field(default=None, repr=False)
    _renew_at: float = 0.0
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock, repr=False)

    async def token(self) -> str:
        async with self._lock:
            if self._token is None or self.clock() >= self._renew_at:
                await self._fetch()
            assert self._token is not None
            return self._token

    async def _fetch(self) -> None:
        try:
            response = await self.http.post(
                self.token_url,
                data={"grant_type": "client_credentials", "scope": " ".join(self.scopes)},
                auth=(self.client_id, self.secret.reveal()),
            )
        except httpx.HTTPError as exc:
            raise GraphUnavailable(f"the identity provider could not be reached: {type(exc).__name__}") from exc
        if response.status_code != 200:
            raise GraphUnavailable(
                f"the identity provider refused client {self.client_id}: HTTP {response.status_code}"
            )
        body = response.json()
        self._token = str(body["access_token"])
        self._renew_at = self.clock() + max(float(body.get("expires_in", 60)) - 30.0, 1.0)

    def forget(self) -> None:
        """Drop the cached token (the gateway refused it: the provider's keys rotated, the client was disabled)."""
        self._token = None


@dataclass(frozen=True, slots=True)
class GraphClient:
    """GraphQL over HTTP at the gateway, as one machine client."""

    http: httpx.AsyncClient
    """Reaches the gateway: over the network, or in process (httpx's ASGI transport)."""
    credentials: ClientCredentials
    path: str = "/graphql"

    async def query(self, document: str, variables: Mapping[str, Any]) -> dict[str, Any]:
        """The response body (``data`` and ``errors``); refused tokens are fetched again once."""
        for attempt in (1, 2):
            headers = {"authorization": f"Bearer {await self.credentials.token()}"}
            try:
                response = await self.http.post(
                    self.path, json={"query": document, "variables": dict(variables)}, headers=headers
                )
            except httpx.HTTPError as exc:
                raise GraphUnavailable(f"the gateway could not be reached: {type(exc).__name__}") from exc
            if response.status_code == 401 and attempt == 1:
                self.credentials.forget()
                continue
            if response.status_code != 200:
                raise GraphUnavailable(f"the gateway answered HTTP {response.status_code}")
            body: dict[str, Any] = response.json()
            return body
        raise GraphUnavailable("the gateway refused the client's token")  # pragma: no cover - loop returns


def error_codes(body: Mapping[str, Any]) -> list[str]:
    """The ``extensions.code`` of each error in a GraphQL response body."""
    return [
        str((error.get("extensions") or {}).get("code", Code.INTERNAL_SERVER_ERROR))
        for error in body.get("errors") or ()
    ]

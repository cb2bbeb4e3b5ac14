"""`SubgraphClient` over httpx, for subgraph URLs the lean client does not speak (https)."""

from __future__ import annotations

from collections.abc import Mapping

import httpx

from gateway.execution.errors import SubgraphUnavailable

_HEADERS = {"content-type": "application/json", "accept": "application/graphql-response+json, application/json"}


class HttpxSubgraphClient:
    """POSTs to one subgraph URL with a pooled `httpx.AsyncClient` (TLS, proxies, HTTP/1.1)."""

    def __init__(self, name: str, url: str, max_connections: int = 100) -> None:
        self.name = name
        self.url = url
        limits = httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_connections)
        self._client = httpx.AsyncClient(limits=limits, timeout=None)

    async def request(self, body: bytes, headers: Mapping[str, str] | None = None) -> tuple[int, bytes]:
        """POST `body`; network failures become `SubgraphUnavailable`."""
        try:
            response = await self._client.post(self.url, content=body, headers={**_HEADERS, **(headers or {})})
        except httpx.HTTPError as error:
            raise SubgraphUnavailable(self.name, f"{self.name} is unreachable: {error}") from error
        return response.status_code, response.content

    async def aclose(self) -> None:
        """Close the pool."""
        await self._client.aclose()

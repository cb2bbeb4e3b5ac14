"""Pick the network transport for a subgraph URL."""

from __future__ import annotations

from gateway.execution.client import SubgraphClient
from gateway.execution.errors import SubgraphUnavailable
from gateway.execution.http_client import HttpSubgraphClient
from gateway.execution.httpx_client import HttpxSubgraphClient


def http_client_for(name: str, url: str, max_connections: int = 100) -> SubgraphClient:
    """The lean keep-alive client for `http://` URLs, httpx for anything else (https)."""
    if url.startswith("http://"):
        return HttpSubgraphClient(name, url, max_connections)
    if url.startswith("https://"):
        return HttpxSubgraphClient(name, url, max_connections)
    raise SubgraphUnavailable(name, f"Subgraph {name} has no usable URL ({url!r}) and no in-process transport.")

"""The `SubgraphClient` seam: how the executor reaches one subgraph (HTTP or in-process ASGI)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol


class SubgraphClient(Protocol):
    """Sends one GraphQL request body (JSON bytes) and returns the raw response body.

    Implementations raise `SubgraphUnavailable`, `SubgraphTimeout` or `SubgraphBadResponse`
    (from `gateway.execution.errors`) and never other exceptions for upstream trouble.
    """

    async def request(self, body: bytes, headers: Mapping[str, str] | None = None) -> tuple[int, bytes]:
        """POST `body`; return (HTTP status, response body)."""
        ...

    async def aclose(self) -> None:
        """Release pooled connections."""
        ...

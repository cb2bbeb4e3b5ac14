"""Walking a Relay connection page by page, as a client does (keyset cursors, GraphQL Cursor Connections spec)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

Fetch = Callable[[str | None], Awaitable[dict[str, Any]]]
"""Fetches one page after a cursor (None: the first) and returns the query's ``data``."""


async def every_node(fetch: Fetch, connection: str) -> list[dict[str, Any]]:
    """Every node of ``data[connection]``, following ``pageInfo.endCursor`` until ``hasNextPage`` is false."""
    nodes: list[dict[str, Any]] = []
    after = None
    while True:
        page = (await fetch(after))[connection]
        nodes += [edge["node"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return nodes
        after = page["pageInfo"]["endCursor"]

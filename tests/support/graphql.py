"""GraphQL over HTTP to a subgraph under test, as a gateway-signed caller, with the answer read strictly."""

from __future__ import annotations

from typing import Any

import httpx

from kernel.principal import Principal
from tests.support.identities import signed


async def post_as(
    client: httpx.AsyncClient, caller: Principal, query: str, variables: dict[str, Any]
) -> dict[str, Any]:
    """The response body of one operation posted to ``/graphql`` as ``caller``; the HTTP status must be 200."""
    response = await client.post("/graphql", json={"query": query, "variables": variables}, headers=signed(caller))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def data_of(body: dict[str, Any]) -> dict[str, Any]:
    """The ``data`` of an operation that must have succeeded (no ``errors`` at all)."""
    assert "errors" not in body, body["errors"]
    data: dict[str, Any] = body["data"]
    return data


def only_error(body: dict[str, Any]) -> dict[str, Any]:
    """The one error of an operation that must have failed with exactly one."""
    errors = body.get("errors") or []
    assert len(errors) == 1, body
    error: dict[str, Any] = errors[0]
    return error

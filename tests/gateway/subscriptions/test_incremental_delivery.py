"""`@defer` / `@stream` are refused with their own code and a reason before anything runs (see gateway/README)."""

from __future__ import annotations

import httpx
import pytest

from tests.gateway.subscriptions.test_subscriptions import Hub, hub

__all__ = ["hub"]


@pytest.mark.parametrize(
    "query,code",
    [
        ("{ entities { name ... @defer { permits } } }", "DEFER_NOT_SUPPORTED"),
        ("query { entities @stream(initialCount: 1) { name } }", "STREAM_NOT_SUPPORTED"),
    ],
)
async def test_incremental_delivery_is_refused_with_a_precise_code(hub: Hub, query: str, code: str) -> None:
    async with httpx.AsyncClient(timeout=10) as http:
        response = await http.post(
            f"{hub.url}/graphql",
            json={"query": query},
            headers={"accept": "multipart/mixed;deferSpec=20220824, application/graphql-response+json"},
        )
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["extensions"] == {"code": code}
    assert "is not supported by this gateway" in error["message"]
    assert error["locations"]

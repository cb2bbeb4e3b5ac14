"""One contract for every `SubgraphClient`: pooled HTTP against a real server, and in-process ASGI."""

from __future__ import annotations

from collections.abc import AsyncIterator

import orjson
import pytest

from gateway.execution import (
    AsgiSubgraphClient,
    HttpSubgraphClient,
    HttpxSubgraphClient,
    SubgraphClient,
    SubgraphUnavailable,
    http_client_for,
)
from tests.gateway.execution.test_subgraph_failures import federation
from tests.gateway.servers import serving


@pytest.fixture(params=["http", "httpx", "asgi"])
async def client(request: pytest.FixtureRequest) -> AsyncIterator[SubgraphClient]:
    app = federation().apps["entities"]
    if request.param == "asgi":
        yield AsgiSubgraphClient("entities", app)
        return
    async with serving(app) as url:
        kind = HttpSubgraphClient if request.param == "http" else HttpxSubgraphClient
        http = kind("entities", f"{url}/graphql", max_connections=4)
        yield http
        await http.aclose()


async def test_client_posts_graphql_and_returns_the_body(client: SubgraphClient) -> None:
    status, body = await client.request(orjson.dumps({"query": "{ entities { uscc name } }"}))
    assert status == 200
    assert orjson.loads(body) == {"data": {"entities": [{"uscc": "A", "name": "甲"}, {"uscc": "B", "name": "乙"}]}}


async def test_client_carries_variables_and_many_requests(client: SubgraphClient) -> None:
    query = "query($r: [_Any!]!) { _entities(representations: $r) { ... on MarketEntity { name } } }"
    for _ in range(20):  # more requests than pooled connections: keep-alive reuse
        body = orjson.dumps({"query": query, "variables": {"r": [{"__typename": "MarketEntity", "uscc": "B"}]}})
        status, raw = await client.request(body, {"authorization": "Bearer t"})
        assert orjson.loads(raw) == {"data": {"_entities": [{"name": "乙"}]}}
        assert status == 200


async def test_http_client_reuses_one_connection_for_sequential_requests() -> None:
    app = federation().apps["entities"]
    async with serving(app) as url:
        client = HttpSubgraphClient("entities", f"{url}/graphql")
        for _ in range(5):
            await client.request(orjson.dumps({"query": "{ entities { uscc } }"}))
        assert client.idle_connections == 1
        await client.aclose()


def test_transport_is_chosen_by_url_scheme() -> None:
    assert isinstance(http_client_for("a", "http://127.0.0.1:4001/graphql"), HttpSubgraphClient)
    assert isinstance(http_client_for("a", "https://permits.example.cn/graphql"), HttpxSubgraphClient)
    with pytest.raises(SubgraphUnavailable, match="no usable URL"):
        http_client_for("a", "")

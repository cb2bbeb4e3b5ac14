"""A subgraph that is down, slow, broken or erroring yields partial data plus errors (never a crash)."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

import orjson

from gateway.execution import AsgiSubgraphClient, ExecutionLimits, Gateway, HttpSubgraphClient, SubgraphClient
from tests.gateway.kit import Federation, Subgraph

ENTITIES = Subgraph(
    "entities",
    """
    type Query { entities: [MarketEntity] }
    type MarketEntity @key(fields: "uscc") { uscc: ID! name: String! }
    """,
    roots={"entities": lambda w: list(w["MarketEntity"])},
)


def _score(entity: Mapping[str, Any]) -> int:
    if entity["uscc"] == "B":
        raise ValueError("信用分计算失败")
    return int(entity["score"])


RATING = Subgraph(
    "rating",
    """
    type MarketEntity @key(fields: "uscc") { uscc: ID! score: Int license: String! }
    """,
    computed={("MarketEntity", "score"): _score},
)

WORLD = {
    "MarketEntity": [
        {"__typename": "MarketEntity", "uscc": "A", "name": "甲", "score": 90, "license": "L-A"},
        {"__typename": "MarketEntity", "uscc": "B", "name": "乙", "score": 40, "license": "L-B"},
    ]
}


def federation() -> Federation:
    return Federation([ENTITIES, RATING], WORLD)


async def _garbage(scope: Any, receive: Any, send: Any) -> None:
    await receive()
    await send({"type": "http.response.start", "status": 502, "headers": [(b"content-type", b"text/html")]})
    await send({"type": "http.response.body", "body": b"<html>bad gateway</html>"})


async def _slow(scope: Any, receive: Any, send: Any) -> None:
    await receive()
    await asyncio.sleep(5)


def gateway_with(rating: SubgraphClient, timeout: float = 5.0) -> Gateway:
    fed = federation()
    clients = fed.transports()
    clients["rating"] = rating
    return Gateway(fed.supergraph_sdl, clients, ExecutionLimits(default_timeout=timeout))


async def test_field_error_is_mapped_to_the_client_path_and_names_the_subgraph() -> None:
    fed = federation()
    gateway = Gateway(fed.supergraph_sdl, fed.transports())
    result = await gateway.execute("{ entities { name score } }")
    assert result["data"] == {"entities": [{"name": "甲", "score": 90}, {"name": "乙", "score": None}]}
    [error] = result["errors"]
    assert error["message"] == "信用分计算失败"
    assert error["path"] == ["entities", 1, "score"]
    assert error["extensions"]["serviceName"] == "rating"


async def test_unreachable_subgraph_gives_partial_data_and_unavailable_error() -> None:
    gateway = gateway_with(HttpSubgraphClient("rating", "http://127.0.0.1:9/graphql"))
    result = await gateway.execute("{ entities { name score } }")
    assert result["data"] == {"entities": [{"name": "甲", "score": None}, {"name": "乙", "score": None}]}
    assert [e["extensions"]["code"] for e in result["errors"]] == ["SUBGRAPH_UNAVAILABLE"]
    assert result["errors"][0]["extensions"]["serviceName"] == "rating"


async def test_garbage_response_is_reported_not_raised() -> None:
    gateway = gateway_with(AsgiSubgraphClient("rating", _garbage))
    result = await gateway.execute("{ entities { name score } }")
    assert result["data"]["entities"][0] == {"name": "甲", "score": None}
    assert result["errors"][0]["extensions"]["code"] == "SUBGRAPH_BAD_RESPONSE"
    assert "502" in result["errors"][0]["message"]


async def test_slow_subgraph_times_out_per_subgraph() -> None:
    gateway = gateway_with(AsgiSubgraphClient("rating", _slow), timeout=0.2)
    started = asyncio.get_running_loop().time()
    result = await gateway.execute("{ entities { name score } }")
    assert asyncio.get_running_loop().time() - started < 2
    assert result["data"]["entities"][1] == {"name": "乙", "score": None}
    assert result["errors"][0]["extensions"]["code"] == "SUBGRAPH_TIMEOUT"


async def test_failed_non_null_field_nulls_only_its_nearest_nullable_parent() -> None:
    gateway = gateway_with(HttpSubgraphClient("rating", "http://127.0.0.1:9/graphql"))
    result = await gateway.execute("{ entities { name license } }")
    # license is String!: each entity becomes null, the list and the other root data survive.
    assert result["data"] == {"entities": [None, None]}
    assert result["errors"][0]["extensions"]["code"] == "SUBGRAPH_UNAVAILABLE"


async def test_errors_from_a_batched_fetch_map_to_every_path_it_served() -> None:
    fed = federation()
    gateway = Gateway(fed.supergraph_sdl, fed.transports())
    query = "{ first: entities { score } second: entities { uscc score } }"
    plan = gateway.plan(query, None, gateway.prepare(query, None), ()).plan
    assert [len(node.paths) for node in plan.fetches if node.entity] == [2]  # one rating call for both lists
    result = await gateway.execute(query)
    assert result["data"]["first"][1] == {"score": None}
    assert result["data"]["second"][0] == {"uscc": "A", "score": 90}
    assert sorted(e["path"] for e in result["errors"]) == [["first", 1, "score"], ["second", 1, "score"]]
    assert len(fed.apps["rating"].requests[0]["variables"]["representations"]) == 2  # deduplicated across paths


async def test_failed_root_fetch_nulls_its_fields_and_reports_at_each_field() -> None:
    fed = federation()
    clients = fed.transports()
    clients["entities"] = HttpSubgraphClient("entities", "http://127.0.0.1:9/graphql")
    gateway = Gateway(fed.supergraph_sdl, clients)
    result = await gateway.execute("{ entities { name } again: entities { uscc } }")
    assert result["data"] == {"entities": None, "again": None}
    assert [e["path"] for e in result["errors"]] == [["entities"], ["again"]]
    assert {e["extensions"]["code"] for e in result["errors"]} == {"SUBGRAPH_UNAVAILABLE"}


def _answering(payload: dict[str, Any]) -> Any:
    """A subgraph that answers every request with `payload` (a real ASGI app, misbehaving on purpose)."""
    body = orjson.dumps(payload)

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await receive()
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": body})

    return app


async def test_entity_error_without_an_index_lands_on_every_object_the_fetch_was_for() -> None:
    for error in ({"message": "评分服务维护中", "path": ["_entities"]}, {"message": "评分服务维护中"}):
        rating = _answering({"data": {"_entities": None}, "errors": [error]})
        gateway = gateway_with(AsgiSubgraphClient("rating", rating))
        result = await gateway.execute("{ entities { name score } }")
        assert result["data"] == {"entities": [{"name": "甲", "score": None}, {"name": "乙", "score": None}]}
        assert [e["path"] for e in result["errors"]] == [["entities", 0], ["entities", 1]]
        assert {e["extensions"]["serviceName"] for e in result["errors"]} == {"rating"}


async def test_root_fetch_error_without_a_path_lands_on_its_root_fields() -> None:
    fed = federation()
    clients = fed.transports()
    clients["entities"] = AsgiSubgraphClient("entities", _answering({"errors": [{"message": "Syntax Error"}]}))
    gateway = Gateway(fed.supergraph_sdl, clients)
    result = await gateway.execute("{ entities { name } }")
    assert result == {
        "errors": [
            {"message": "Syntax Error", "extensions": {"code": "SUBGRAPH_ERROR", "serviceName": "entities"},
             "path": ["entities"]}
        ],
        "data": {"entities": None},
    }

"""`@defer` over HTTP as incremental delivery (multipart/mixed, boundary ``-``, deferSpec=20220824 — the format
Apollo Router and Hive Gateway send): the initial payload without the deferred fields, then one payload per deferred
fragment and path, labelled; `if: false` inline; without multipart in Accept, and for `@stream`, a precise code."""

from __future__ import annotations

from typing import Any

import httpx
import orjson
import pytest
from graphql import build_schema

from gateway.operation.deferral import rewrite, split
from gateway.operation.errors import LimitExceeded, ValidationFailed
from gateway.settings import DocumentLimits
from tests.gateway.subscriptions.test_subscriptions import Hub, hub

__all__ = ["hub"]

MULTIPART = "multipart/mixed;deferSpec=20220824, application/json"


async def post(hub: Hub, query: str, accept: str, **variables: Any) -> httpx.Response:
    async with httpx.AsyncClient(timeout=10) as http:
        return await http.post(
            f"{hub.url}/graphql", json={"query": query, "variables": variables}, headers={"accept": accept}
        )


def parts(response: httpx.Response) -> list[dict[str, Any]]:
    """The JSON payloads of a multipart/mixed body with boundary ``-``, checking its framing."""
    assert response.headers["content-type"] == 'multipart/mixed; boundary="-"; deferSpec=20220824'
    body = response.content
    assert body.endswith(b"\r\n-----\r\n")
    chunks = body[: -len(b"\r\n-----\r\n")].split(b"\r\n---\r\n")
    assert chunks[0] == b""
    payloads = []
    for chunk in chunks[1:]:
        head, _, json = chunk.partition(b"\r\n\r\n")
        assert head == b"content-type: application/json; charset=utf-8"
        payloads.append(orjson.loads(json))
    return payloads


async def test_a_deferred_fragment_comes_after_the_initial_payload_once_per_path_with_its_label(hub: Hub) -> None:
    query = '{ entities { name ... @defer(label: "licences") { permits } } }'
    response = await post(hub, query, MULTIPART)
    assert response.status_code == 200
    assert parts(response) == [
        {"data": {"entities": [{"name": "海鲜酒楼"}, {"name": "便利店"}]}, "hasNext": True},
        {"incremental": [{"data": {"permits": ["JY1", "SC1"]}, "path": ["entities", 0], "label": "licences"}],
         "hasNext": True},
        {"incremental": [{"data": {"permits": []}, "path": ["entities", 1], "label": "licences"}], "hasNext": False},
    ]  # fmt: skip


async def test_a_deferred_named_fragment_and_a_field_also_asked_outside_it(hub: Hub) -> None:
    query = "{ entities { uscc ...Licences @defer } } fragment Licences on MarketEntity { uscc permits }"
    payloads = parts(await post(hub, query, MULTIPART))
    assert payloads[0] == {"data": {"entities": [{"uscc": "91440300A"}, {"uscc": "91440300B"}]}, "hasNext": True}
    assert [p["incremental"][0] for p in payloads[1:]] == [
        {"data": {"permits": ["JY1", "SC1"]}, "path": ["entities", 0]},
        {"data": {"permits": []}, "path": ["entities", 1]},
    ]


async def test_a_fragment_deferred_inside_a_deferred_fragment_gets_its_own_part_after_it(hub: Hub) -> None:
    query = '{ entities { uscc ... @defer(label: "outer") { name ... @defer(label: "inner") { permits } } } }'
    payloads = parts(await post(hub, query, MULTIPART))
    entries = [entry for payload in payloads[1:] for entry in payload["incremental"]]
    assert entries == [
        {"data": {"name": "海鲜酒楼"}, "path": ["entities", 0], "label": "outer"},
        {"data": {"permits": ["JY1", "SC1"]}, "path": ["entities", 0], "label": "inner"},
        {"data": {"name": "便利店"}, "path": ["entities", 1], "label": "outer"},
        {"data": {"permits": []}, "path": ["entities", 1], "label": "inner"},
    ]


async def test_defer_if_false_is_delivered_inline(hub: Hub) -> None:
    query = "query($later: Boolean!) { entities { name ... @defer(if: $later) { permits } } }"
    payloads = parts(await post(hub, query, MULTIPART, later=False))
    assert payloads == [
        {"data": {"entities": [{"name": "海鲜酒楼", "permits": ["JY1", "SC1"]}, {"name": "便利店", "permits": []}]},
         "hasNext": False},
    ]  # fmt: skip


async def test_an_operation_without_defer_is_answered_as_json_whatever_accept_allows(hub: Hub) -> None:
    response = await post(hub, "{ entities { name } }", MULTIPART)
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == {"data": {"entities": [{"name": "海鲜酒楼"}, {"name": "便利店"}]}}


@pytest.mark.parametrize(
    "query,code,reason",
    [
        ("{ entities { name ... @defer { permits } } }", "DEFER_NOT_SUPPORTED", "Accept: multipart/mixed"),
        ("query { entities @stream(initialCount: 1) { name } }", "STREAM_NOT_SUPPORTED", "is not supported"),
    ],
)
async def test_without_multipart_in_accept_defer_and_stream_are_refused_with_a_code(
    hub: Hub, query: str, code: str, reason: str
) -> None:
    accept = "multipart/mixed;deferSpec=20220824, " if code == "STREAM_NOT_SUPPORTED" else ""
    accept += "application/graphql-response+json"
    response = await post(hub, query, accept)
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["extensions"] == {"code": code}
    assert reason in error["message"]
    assert error["locations"]


def test_an_error_under_a_deferred_field_goes_with_that_payload_and_type_conditions_are_honoured() -> None:
    schema = build_schema("""
        type Query { nodes: [Node!]! }
        interface Node { id: ID! }
        type Shop implements Node { id: ID! name: String permits: [String!] }
        type Lab implements Node { id: ID! name: String }
    """)
    _, document = rewrite('{ nodes { id ... on Shop @defer(label: "shop") { permits } } }', DocumentLimits())
    result = {
        "data": {"nodes": [{"id": "1", "permits": None, "zj__typename": "Shop"}, {"id": "2", "zj__typename": "Lab"}]},
        "errors": [{"message": "permits is down", "path": ["nodes", 0, "permits"]}],
    }
    initial, entries = split(result, document, None, None, schema)
    assert initial == {"data": {"nodes": [{"id": "1"}, {"id": "2"}]}}
    assert entries == [
        {"data": {"permits": None}, "path": ["nodes", 0], "label": "shop",
         "errors": [{"message": "permits is down", "path": ["nodes", 0, "permits"]}]},
    ]  # fmt: skip


async def test_plain_multipart_mixed_in_accept_is_enough(hub: Hub) -> None:
    query = "{ entities { name ... @defer { permits } } }"
    payloads = parts(await post(hub, query, "multipart/mixed"))
    assert payloads[0] == {"data": {"entities": [{"name": "海鲜酒楼"}, {"name": "便利店"}]}, "hasNext": True}
    assert payloads[-1]["hasNext"] is False


async def test_defer_in_a_subscription_is_refused_by_validation_over_http(hub: Hub) -> None:
    query = "subscription { entityChanged(count: 1) { name ... @defer { permits } } }"
    response = await post(hub, query, MULTIPART)
    (error,) = response.json()["errors"]
    assert error["extensions"] == {"code": "GRAPHQL_VALIDATION_FAILED"}
    assert "not supported on subscription operations" in error["message"]


@pytest.mark.parametrize(
    "query,refused",
    [
        ("mutation { ... @defer { close } }", "root mutation type"),
        ("mutation { ...Close } fragment Close on Mutation { ... @defer { close } }", "root mutation type"),
        ("mutation { close { id ... @defer { name } } }", None),
        ("subscription { changed { ... @defer { name } } }", "subscription operations"),
        ("subscription { changed { ... @defer(if: true) { name } } }", "subscription operations"),
        ("subscription { changed { ... @defer(if: false) { name } } }", None),
        ("subscription($d: Boolean) { changed { ... @defer(if: $d) { name } } }", None),
    ],
)
def test_defer_is_refused_where_the_spec_forbids_it(query: str, refused: str | None) -> None:
    if refused is None:
        rewrite(query, DocumentLimits())
        return
    with pytest.raises(ValidationFailed) as caught:
        rewrite(query, DocumentLimits())
    assert refused in caught.value.message


def test_a_deferred_document_is_held_to_the_limits_before_it_is_rewritten() -> None:
    bomb = "{ a " + "b " * 50 + "... @defer { c } }"
    with pytest.raises(LimitExceeded) as caught:
        rewrite(bomb, DocumentLimits(max_tokens=20))
    assert caught.value.code == "TOKEN_LIMIT_EXCEEDED"

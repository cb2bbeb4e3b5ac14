"""Self-protection at the HTTP edge: hostile documents refused with their codes while normal queries are answered,
the end-to-end timeout, a byte-bounded document cache, and schema hints only for signed-in callers."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator
from typing import Any

import httpx
import orjson
import pytest
from starlette.types import Receive, Scope, Send

from gateway.auth import TokenValidator, builtin_issuer
from gateway.execution import AsgiSubgraphClient
from gateway.http import create_app
from gateway.http.server import GraphQLHttpToolsProtocol
from gateway.operation import DocumentLimits, ValidationFailed
from gateway.settings import GatewaySettings
from tests.gateway.auth.issuer import AUDIENCE, Issuer
from tests.gateway.market import market_federation
from tests.gateway.operation.test_limits import fragment_bomb
from tests.gateway.servers import serving

NORMAL = '{ entity(uscc: "91440300B") { name riskLevel } }'


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    fed = market_federation()
    app = create_app(fed.supergraph_sdl, GatewaySettings(), fed.transports())
    async with serving(app, lifespan="on") as url, httpx.AsyncClient(base_url=url, timeout=30) as client:
        yield client


def code(response: httpx.Response) -> str:
    body: dict[str, Any] = response.json()
    return str(body["errors"][0]["extensions"]["code"])


async def test_hostile_documents_are_refused_while_a_normal_query_is_answered(http: httpx.AsyncClient) -> None:
    hostile = {
        "FIELD_LIMIT_EXCEEDED": fragment_bomb(18).replace("entities", "entities(district: null)"),
        "ALIAS_LIMIT_EXCEEDED": "{ " + " ".join(f'a{i}: entity(uscc: "x") {{ name }}' for i in range(40)) + " }",
        "DOCUMENT_TOO_LARGE": "{ " + " ".join(f'a{i}: entity(uscc: "x") {{ name }}' for i in range(10_000)) + " }",
        "TOKEN_LIMIT_EXCEEDED": "{ entities { " + "name " * 5_000 + "} }",
        "DEPTH_LIMIT_EXCEEDED": "{ entities { " + "district { " * 300 + "code" + " }" * 300 + " } }",
    }
    responses = await asyncio.gather(
        *(http.post("/graphql", json={"query": text}) for text in hostile.values()),
        http.post("/graphql", json={"query": NORMAL}),
    )
    assert [code(r) for r in responses[:-1]] == list(hostile)
    assert all(r.status_code == 200 and "data" not in r.json() for r in responses[:-1])
    assert responses[-1].json() == {"data": {"entity": {"name": "便利店", "riskLevel": "LOW"}}}


async def test_a_refusal_is_logged_without_the_document(
    http: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "91440300SECRET"
    text = "{ " + " ".join(f'a{i}: entity(uscc: "{secret}") {{ name }}' for i in range(40)) + " }"
    with caplog.at_level("WARNING", logger="zhijian.gateway"):
        assert code(await http.post("/graphql", json={"query": text})) == "ALIAS_LIMIT_EXCEEDED"
    assert any("ALIAS_LIMIT_EXCEEDED" in r.getMessage() for r in caplog.records)
    assert not any(secret in r.getMessage() for r in caplog.records)


async def test_a_request_past_the_timeout_is_answered_request_timeout() -> None:
    fed = market_federation()
    stalled = asyncio.Event()

    async def never_answers(scope: Scope, receive: Receive, send: Send) -> None:
        await stalled.wait()

    transports = {**fed.transports(), "entities": AsgiSubgraphClient("entities", never_answers)}
    app = create_app(fed.supergraph_sdl, GatewaySettings(request_timeout_s=0.2), transports)
    async with serving(app) as url, httpx.AsyncClient(base_url=url) as client:
        response = await client.post("/graphql", json={"query": NORMAL})
    assert response.status_code == 504
    assert code(response) == "REQUEST_TIMEOUT"


async def test_the_document_cache_is_bounded_by_bytes_and_keeps_no_refused_text() -> None:
    fed = market_federation()
    settings = GatewaySettings(document_cache_bytes=10_000, limits=DocumentLimits(max_bytes=100_000))
    app = create_app(fed.supergraph_sdl, settings, fed.transports())
    gateway = app.gateway
    for i in range(10):
        padding = "# " + "x" * 4_000 + "\n"  # comments cost bytes, not tokens
        gateway.prepare(f"{padding}query Q{i} {{ entities {{ uscc }} }}", None)
    assert len(gateway._documents) == 2
    assert gateway._documents.weight <= 10_000
    refused = '{ entity(uscc: "' + "9" * 20_000 + '") { nope } }'
    with pytest.raises(ValidationFailed) as error:
        gateway.prepare(refused, None)
    assert error.value.errors[0].locations == ((1, 20_022),)  # located, yet detached from the text
    assert not _reaches_text(error.value, refused)
    assert not _reaches_text(gateway._refused, refused)


def _reaches_text(root: object, text: str) -> bool:
    seen: set[int] = set()
    frontier = [root]
    for _ in range(6):
        following: list[object] = []
        for item in frontier:
            if isinstance(item, str) and len(item) >= len(text) // 2:
                return True
            if id(item) in seen or isinstance(item, type):
                continue
            seen.add(id(item))
            following.extend(gc.get_referents(item))
        frontier = following
    return False


async def test_suggestions_and_introspection_are_for_signed_in_callers_when_auth_is_on() -> None:
    issuer = Issuer()
    fed = market_federation()
    async with serving(issuer.app) as issuer_url, httpx.AsyncClient() as keys:
        issuer.url = issuer_url
        validator = TokenValidator([builtin_issuer(issuer_url, AUDIENCE)], keys)
        app = create_app(fed.supergraph_sdl, GatewaySettings(), fed.transports(), validator=validator)
        async with serving(app) as url, httpx.AsyncClient(base_url=url) as client:
            signed_in = {"authorization": f"Bearer {issuer.token()}"}
            typo = {"query": "{ entites { uscc } }"}
            anonymous = (await client.post("/graphql", json=typo)).json()["errors"][0]["message"]
            hinted = (await client.post("/graphql", json=typo, headers=signed_in)).json()["errors"][0]["message"]
            assert "Did you mean" in hinted and "entities" in hinted
            assert anonymous == "Cannot query field 'entites' on type 'Query'."
            schema = {"query": "{ __schema { queryType { name } } }"}
            refused = await client.post("/graphql", json=schema)
            assert code(refused) == "INTROSPECTION_DISABLED"
            answered = await client.post("/graphql", json=schema, headers=signed_in)
            assert answered.json()["data"] == {"__schema": {"queryType": {"name": "Query"}}}


async def test_an_over_long_url_is_answered_with_a_graphql_error() -> None:
    fed = market_federation()
    app = create_app(fed.supergraph_sdl, GatewaySettings(), fed.transports())
    async with serving(app, http=GraphQLHttpToolsProtocol) as url:
        host, port = url.removeprefix("http://").split(":")
        reader, writer = await asyncio.open_connection(host, int(port))
        writer.write(b"GET /graphql?query=" + b"%7B" * 40_000 + b" HTTP/1.1\r\nhost: gateway\r\n\r\n")
        head, _, body = (await reader.read()).partition(b"\r\n\r\n")
        writer.close()
    assert head.startswith(b"HTTP/1.1 414 ")
    assert b"content-type: application/json" in head
    assert orjson.loads(body)["errors"][0]["extensions"]["code"] == "URI_TOO_LONG"


async def test_a_null_in_a_non_null_field_is_reported_with_a_code() -> None:
    fed = market_federation()

    async def careless_subgraph(scope: Scope, receive: Receive, send: Send) -> None:
        """Answers `name: null` for a `String!` field, without an error: the gateway must say so itself."""
        body = orjson.dumps({"data": {"entity": {"name": None}}})
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": body})

    transports = {**fed.transports(), "entities": AsgiSubgraphClient("entities", careless_subgraph)}
    app = create_app(fed.supergraph_sdl, GatewaySettings(), transports)
    async with serving(app) as url, httpx.AsyncClient(base_url=url) as client:
        answer = (await client.post("/graphql", json={"query": '{ entity(uscc: "x") { name } }'})).json()
    assert answer["data"] == {"entity": None}
    assert answer["errors"] == [
        {
            "message": "Cannot return null for non-nullable field MarketEntity.name.",
            "path": ["entity", "name"],
            "extensions": {"code": "NON_NULL_VIOLATION"},
        }
    ]

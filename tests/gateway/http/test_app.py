"""The HTTP edge over a real socket: GraphQL over HTTP, health, GraphiQL and error codes."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from gateway.http import create_app
from gateway.http.graphiql import STATIC_DIR
from gateway.settings import GatewaySettings
from tests.gateway.market import market_federation
from tests.gateway.servers import serving

GRAPHQL_RESPONSE = "application/graphql-response+json"


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    fed = market_federation()
    app = create_app(fed.supergraph_sdl, GatewaySettings(), fed.transports())
    async with serving(app, lifespan="on") as url, httpx.AsyncClient(base_url=url) as client:
        yield client


async def test_post_json_answers_with_data(http: httpx.AsyncClient) -> None:
    response = await http.post("/graphql", json={"query": '{ entity(uscc: "91440300B") { name riskLevel } }'})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"data": {"entity": {"name": "便利店", "riskLevel": "LOW"}}}


async def test_graphql_response_media_type_is_honoured(http: httpx.AsyncClient) -> None:
    response = await http.post("/graphql", json={"query": "{ __typename }"}, headers={"accept": GRAPHQL_RESPONSE})
    assert response.headers["content-type"] == GRAPHQL_RESPONSE
    assert response.json() == {"data": {"__typename": "Query"}}


async def test_get_runs_queries_with_variables(http: httpx.AsyncClient) -> None:
    params = {
        "query": "query($u: ID!) { entity(uscc: $u) { name } }",
        "variables": '{"u": "91440300C"}',
    }
    response = await http.get("/graphql", params=params)
    assert response.json() == {"data": {"entity": {"name": "早餐铺"}}}


async def test_mutation_over_get_is_refused_with_405() -> None:
    from tests.gateway.scenarios import mutation_federation

    fed = mutation_federation()
    app = create_app(fed.supergraph_sdl, GatewaySettings(), fed.transports())
    async with serving(app) as url, httpx.AsyncClient(base_url=url) as client:
        response = await client.get("/graphql", params={"query": 'mutation { openTask(note: "x") { seq } }'})
        assert response.status_code == 405
        assert response.headers["allow"] == "POST"
        assert fed.world["Log"] == []


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"query": "{ entities { "}, "GRAPHQL_PARSE_FAILED"),
        ({"query": "{ entities { nope } }"}, "GRAPHQL_VALIDATION_FAILED"),
        ({"query": "query($u: ID!) { entity(uscc: $u) { name } }", "variables": {}}, "BAD_USER_INPUT"),
        ({"query": "query A { __typename } query B { __typename }"}, "OPERATION_RESOLUTION_FAILURE"),
    ],
)
async def test_request_errors_carry_codes_and_status_per_media_type(
    http: httpx.AsyncClient, body: dict[str, object], code: str
) -> None:
    legacy = await http.post("/graphql", json=body)
    assert legacy.status_code == 200
    assert legacy.json()["errors"][0]["extensions"]["code"] == code
    assert "data" not in legacy.json()
    modern = await http.post("/graphql", json=body, headers={"accept": GRAPHQL_RESPONSE})
    assert modern.status_code == 400
    assert modern.json()["errors"][0]["extensions"]["code"] == code


async def test_malformed_body_is_a_bad_request(http: httpx.AsyncClient) -> None:
    response = await http.post("/graphql", content=b"{not json", headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    missing = await http.post("/graphql", json={"variables": {}})
    assert missing.status_code == 400


async def test_unacceptable_media_type_is_406(http: httpx.AsyncClient) -> None:
    response = await http.post("/graphql", json={"query": "{ __typename }"}, headers={"accept": "text/csv"})
    assert response.status_code == 406


async def test_health(http: httpx.AsyncClient) -> None:
    response = await http.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_browsers_get_graphiql_from_local_assets(http: httpx.AsyncClient) -> None:
    response = await http.get("/graphql", headers={"accept": "text/html,application/xhtml+xml"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "GraphiQL" in response.text
    assert "https://" not in response.text  # works offline: no CDN
    assets = sorted(p.name for p in STATIC_DIR.iterdir() if p.suffix in (".js", ".css"))
    for name in assets:
        assert f'"graphiql/{name}"' in response.text
        served = await http.get(f"/graphiql/{name}")
        assert served.status_code == 200
        assert served.content == (STATIC_DIR / name).read_bytes()
    assert (await http.get("/graphiql/../settings.py")).status_code == 404


async def test_introspection_shows_the_api_schema_only(http: httpx.AsyncClient) -> None:
    query = "{ __schema { types { name } directives { name } } entities { uscc } }"
    result = (await http.post("/graphql", json={"query": query})).json()
    names = {t["name"] for t in result["data"]["__schema"]["types"]}
    assert {"MarketEntity", "Permit", "Finding"} <= names
    assert not any(n.startswith(("join__", "link__")) for n in names)
    assert {"join__field", "link"}.isdisjoint({d["name"] for d in result["data"]["__schema"]["directives"]})
    assert len(result["data"]["entities"]) == 3

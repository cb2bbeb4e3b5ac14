"""GraphiQL's officer sign-in, server side: settings rendered into the page, the callback page, our script served."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from graphql import build_schema, parse, validate

from gateway.http import create_app
from gateway.http.graphiql import EXAMPLE_QUERY, OWN_DIR, SIGN_IN_SCRIPT, SignIn, graphiql_page
from gateway.settings import GatewaySettings
from tests.gateway.market import market_federation
from tests.gateway.servers import serving

HTML = {"accept": "text/html,application/xhtml+xml"}
ISSUER = "http://127.0.0.1:4010"


async def _client(settings: GatewaySettings) -> AsyncIterator[httpx.AsyncClient]:
    fed = market_federation()
    app = create_app(fed.supergraph_sdl, settings, fed.transports())
    async with serving(app, lifespan="on") as url, httpx.AsyncClient(base_url=url) as client:
        yield client


@pytest.fixture
async def signing_in() -> AsyncIterator[httpx.AsyncClient]:
    env = {"ZHIJIAN_GATEWAY_OIDC_ISSUER": f"{ISSUER}/", "ZHIJIAN_GATEWAY_OIDC_CLIENT_ID": "zhijian-officer-app"}
    async for client in _client(GatewaySettings.from_env(env)):
        yield client


@pytest.fixture
async def plain() -> AsyncIterator[httpx.AsyncClient]:
    async for client in _client(GatewaySettings.from_env({})):
        yield client


def _config(html: str) -> dict[str, str]:
    match = re.search(r'<script id="zhijian-sign-in" type="application/json">(.*?)</script>', html)
    assert match, html
    config: dict[str, str] = json.loads(match.group(1))
    return config


async def test_graphiql_carries_the_configured_provider_and_client(signing_in: httpx.AsyncClient) -> None:
    page = (await signing_in.get("/graphql", headers=HTML)).text
    assert _config(page) == {
        "issuer": ISSUER,
        "clientId": "zhijian-officer-app",
        "callbackPath": "/auth/callback",
        "signedOutPath": "/",
        "graphqlPath": "/graphql",
    }
    assert f'src="graphiql/{SIGN_IN_SCRIPT}"' in page
    assert "options.fetch = window.zhijianSignIn.fetch" in page
    script = await signing_in.get(f"/graphiql/{SIGN_IN_SCRIPT}")
    assert script.status_code == 200
    assert script.headers["content-type"].startswith("text/javascript")
    assert script.content == (OWN_DIR / SIGN_IN_SCRIPT).read_bytes()


async def test_the_callback_page_runs_our_script_and_is_never_cached(signing_in: httpx.AsyncClient) -> None:
    response = await signing_in.get("/auth/callback?code=abc&state=xyz&iss=http%3A%2F%2F127.0.0.1%3A4010")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert f'src="../graphiql/{SIGN_IN_SCRIPT}"' in response.text
    assert _config(response.text)["issuer"] == ISSUER
    assert "abc" not in response.text


async def test_signed_out_officers_land_on_graphiql(signing_in: httpx.AsyncClient) -> None:
    response = await signing_in.get("/")
    assert response.status_code == 303
    assert response.headers["location"] == "/graphql"


async def test_without_a_provider_there_is_no_button_and_no_callback(plain: httpx.AsyncClient) -> None:
    page = (await plain.get("/graphql", headers=HTML)).text
    assert "zhijian-sign-in" not in page and SIGN_IN_SCRIPT not in page
    assert (await plain.get("/auth/callback?code=abc")).status_code == 404
    assert (await plain.get("/")).status_code == 404


def test_a_provider_needs_both_issuer_and_client_id() -> None:
    assert SignIn.of(GatewaySettings(oidc_issuer=ISSUER)) is None
    assert SignIn.of(GatewaySettings(oidc_issuer=ISSUER, oidc_client_id="app", graphiql=True)) == SignIn(
        ISSUER, "app", "/graphql"
    )


def test_graphiql_opens_on_an_example_the_supergraph_answers() -> None:
    schema = build_schema(Path("schema/supergraph.graphql").read_text(encoding="utf-8"))
    assert validate(schema, parse(EXAMPLE_QUERY)) == []
    assert json.dumps(EXAMPLE_QUERY, ensure_ascii=False) in graphiql_page("/graphql")


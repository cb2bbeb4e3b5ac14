"""The officers' console served at `/console/`: built files, the single-page fallback, its sign-in settings."""

from __future__ import annotations

import gzip
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from gateway.http import create_app
from gateway.settings import GatewaySettings
from tests.gateway.market import market_federation
from tests.gateway.servers import serving

INDEX = "<!doctype html><title>智监</title><script type=module src=/console/assets/index-abc123.js></script>"
SCRIPT = "console.log('智监');\n" * 200


@pytest.fixture
def built(tmp_path: Path) -> Path:
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text(INDEX, encoding="utf-8")
    (dist / "assets" / "index-abc123.js").write_text(SCRIPT, encoding="utf-8")
    (dist / "favicon.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("outside the console", encoding="utf-8")
    return dist


async def _client(settings: GatewaySettings) -> AsyncIterator[httpx.AsyncClient]:
    fed = market_federation()
    app = create_app(fed.supergraph_sdl, settings, fed.transports())
    async with serving(app, lifespan="on") as url, httpx.AsyncClient(base_url=url) as client:
        yield client


@pytest.fixture
async def console(built: Path) -> AsyncIterator[httpx.AsyncClient]:
    env = {
        "ZHIJIAN_GATEWAY_CONSOLE_DIR": str(built),
        "ZHIJIAN_GATEWAY_OIDC_ISSUER": "http://127.0.0.1:4010/",
        "ZHIJIAN_GATEWAY_CONSOLE_CLIENT_ID": "zhijian-console",
    }
    async for client in _client(GatewaySettings.from_env(env)):
        yield client


async def test_the_app_and_its_routes_get_the_index_page(console: httpx.AsyncClient) -> None:
    for path in ("/console/", "/console/entities/91440300MA5H7K2P12", "/console/auth/callback?code=x&state=y"):
        response = await console.get(path)
        assert response.status_code == 200, path
        assert response.headers["content-type"] == "text/html; charset=utf-8"
        assert response.headers["cache-control"] == "no-cache"
        assert response.text == INDEX
    bare = await console.get("/console", follow_redirects=False)
    assert bare.status_code == 308
    assert bare.headers["location"] == "/console/"


async def test_hashed_assets_are_cached_for_good_and_sent_compressed(console: httpx.AsyncClient) -> None:
    response = await console.get("/console/assets/index-abc123.js", headers={"accept-encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["content-type"].endswith("javascript; charset=utf-8")
    assert response.headers["content-encoding"] == "gzip"
    assert int(response.headers["content-length"]) < len(SCRIPT.encode()) / 10
    assert response.text == SCRIPT  # httpx decodes
    assert "immutable" in response.headers["cache-control"]
    plain = await console.get("/console/assets/index-abc123.js", headers={"accept-encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert plain.content == SCRIPT.encode()
    assert gzip.decompress(gzip.compress(plain.content)) == plain.content


async def test_a_missing_asset_is_404_not_the_index_page(console: httpx.AsyncClient) -> None:
    response = await console.get("/console/assets/index-gone.js")
    assert response.status_code == 404


async def test_no_path_leaves_the_console_folder(console: httpx.AsyncClient) -> None:
    for path in ("/console/../secret.txt", "/console/%2e%2e/secret.txt", "/console/..%2fsecret.txt"):
        response = await console.get(path)
        assert "outside the console" not in response.text, path


async def test_the_app_learns_where_to_sign_in(console: httpx.AsyncClient) -> None:
    response = await console.get("/console/config.json")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert response.json() == {
        "issuer": "http://127.0.0.1:4010",
        "clientId": "zhijian-console",
        "graphqlPath": "/graphql",
    }


async def test_an_unbuilt_console_says_how_to_build_it(tmp_path: Path) -> None:
    env = {"ZHIJIAN_GATEWAY_CONSOLE_DIR": str(tmp_path / "nothing-here")}
    async for client in _client(GatewaySettings.from_env(env)):
        response = await client.get("/console/")
        assert response.status_code == 503
        assert "make up" in response.text


async def test_without_a_console_dir_there_is_no_console() -> None:
    async for client in _client(GatewaySettings.from_env({})):
        assert (await client.get("/console/")).status_code == 404

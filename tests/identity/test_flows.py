"""End-to-end flows against the provider over HTTP: code + PKCE, refresh, userinfo, introspection, revocation."""

from __future__ import annotations

from dataclasses import replace

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import KeySet
from starlette.applications import Starlette

from identity.seed import DEMO_BROWSER_CLIENT, DEMO_MACHINE_CLIENT, DEMO_MACHINE_SECRET, seed_demo_identity
from identity.settings import IdentitySettings
from kernel.db import Database
from kernel.settings import SettingsError
from tests.identity.browser import Browser
from tests.identity.conftest import ISSUER, RESOURCE_SERVER


async def _keys(http: httpx.AsyncClient) -> KeySet:
    return KeySet.import_key_set((await http.get("/jwks.json")).json())


async def test_authorization_code_with_pkce_issues_gateway_tokens(browser: Browser, http: httpx.AsyncClient) -> None:
    query = await browser.sign_in_for_code("futian.station", state="s-123")
    assert query["state"] == "s-123"
    assert query["iss"] == ISSUER
    response = await browser.redeem(query["code"])
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    tokens = response.json()
    keys = await _keys(http)
    access = jwt.decode(tokens["access_token"], keys, algorithms=["RS256"])
    assert access.header["typ"] == "at+jwt"
    assert access.claims["aud"] == "http://127.0.0.1:4000/graphql"
    assert access.claims["client_id"] == DEMO_BROWSER_CLIENT
    assert access.claims["org_path"] == "440300/440304/440304001"
    assert access.claims["roles"] == ["inspector"]
    assert access.claims["exp"] - access.claims["iat"] == 300
    identity = jwt.decode(tokens["id_token"], keys, algorithms=["RS256"])
    assert identity.claims["aud"] == DEMO_BROWSER_CLIENT
    assert identity.claims["sub"] == access.claims["sub"]
    assert identity.claims["nonce"]
    assert tokens["refresh_token"]


async def test_signed_in_officer_is_not_asked_again(browser: Browser) -> None:
    await browser.sign_in_for_code()
    second = await browser.authorize()
    assert second.status_code == 302
    assert "code=" in second.headers["location"]


async def test_refresh_rotates_the_refresh_token(browser: Browser) -> None:
    tokens = await browser.tokens()
    refreshed = await browser.refresh(tokens["refresh_token"])
    assert refreshed.status_code == 200, refreshed.text
    body = refreshed.json()
    assert body["refresh_token"] != tokens["refresh_token"]
    assert body["access_token"] != tokens["access_token"]
    again = await browser.refresh(body["refresh_token"])
    assert again.status_code == 200, again.text


async def test_rotation_keeps_the_family_end(browser: Browser, app: Starlette) -> None:
    grants = app.state.identity.provider.grants
    tokens = await browser.tokens()
    first = await grants.refresh_token(tokens["refresh_token"])
    rotated = (await browser.refresh(tokens["refresh_token"])).json()
    second = await grants.refresh_token(rotated["refresh_token"])
    assert first is not None and second is not None and not second.is_revoked()
    assert second.get_expires_at() == first.get_expires_at()


async def test_userinfo_introspection_and_revocation(browser: Browser, http: httpx.AsyncClient) -> None:
    tokens = await browser.tokens("city.admin")
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    info = await http.get("/userinfo", headers=bearer)
    assert info.status_code == 200, info.text
    assert info.json()["org_path"] == "440300"
    assert sorted(info.json()["roles"]) == ["admin", "legal_reviewer"]

    machine = RESOURCE_SERVER
    active = await http.post("/introspect", data={"token": tokens["access_token"]}, auth=machine)
    assert active.status_code == 200, active.text
    assert active.json()["active"] is True
    assert active.json()["org_path"] == "440300"

    revoked = await http.post("/revoke", data={"token": tokens["refresh_token"], "client_id": DEMO_BROWSER_CLIENT})
    assert revoked.status_code == 200, revoked.text
    assert (await http.post("/introspect", data={"token": tokens["access_token"]}, auth=machine)).json() == {
        "active": False
    }
    assert (await http.get("/userinfo", headers=bearer)).status_code == 401
    assert (await browser.refresh(tokens["refresh_token"])).status_code == 400


async def test_client_credentials_with_basic_secret(http: httpx.AsyncClient) -> None:
    response = await http.post(
        "/token", data={"grant_type": "client_credentials"}, auth=(DEMO_MACHINE_CLIENT, DEMO_MACHINE_SECRET)
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert "refresh_token" not in body
    claims = jwt.decode(body["access_token"], await _keys(http), algorithms=["RS256"]).claims
    assert claims["sub"] == DEMO_MACHINE_CLIENT
    assert claims["scope"] == "jurisdiction:city entities:read entities:write permits:read permits:write"
    assert claims["roles"] == ["registry_feed", "permit_archive"] and claims["population"] == "machine"
    assert claims["org_path"] == "440300"
    wrong = await http.post("/token", data={"grant_type": "client_credentials"}, auth=(DEMO_MACHINE_CLIENT, "nope"))
    assert wrong.status_code == 401
    too_much = await http.post(
        "/token",
        data={"grant_type": "client_credentials", "scope": "admin"},
        auth=(DEMO_MACHINE_CLIENT, DEMO_MACHINE_SECRET),
    )
    assert too_much.json()["error"] == "invalid_scope"


async def test_discovery_document(http: httpx.AsyncClient) -> None:
    document = (await http.get("/.well-known/openid-configuration")).json()
    assert document["issuer"] == ISSUER
    assert document["code_challenge_methods_supported"] == ["S256"]
    assert document["authorization_response_iss_parameter_supported"] is True
    assert document["jwks_uri"] == f"{ISSUER}/jwks.json"
    assert "private_key_jwt" in document["token_endpoint_auth_methods_supported"]


async def test_flow_on_sqlite_and_postgresql(any_database: Database, identity_settings: IdentitySettings) -> None:
    from identity.app import create_app

    await seed_demo_identity(any_database, identity_settings)
    app = create_app(any_database, replace(identity_settings, refresh_reuse_grace=0))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=ISSUER) as http:
        browser = Browser(http)
        query = await browser.sign_in_for_code()
        tokens = (await browser.redeem(query["code"])).json()
        wider = await http.post(
            "/token",
            data={
                "grant_type": "refresh_token",
                "refresh_token": tokens["refresh_token"],
                "client_id": DEMO_BROWSER_CLIENT,
                "scope": "openid admin",
            },
        )
        assert wider.json()["error"] == "invalid_scope"
        rotated = await browser.refresh(tokens["refresh_token"])
        assert rotated.status_code == 200, rotated.text
        assert (await browser.refresh(tokens["refresh_token"])).status_code == 400
        assert (await browser.refresh(rotated.json()["refresh_token"])).status_code == 400  # family revoked
        assert (await browser.redeem(query["code"])).status_code == 400
        machine = await http.post(
            "/token", data={"grant_type": "client_credentials"}, auth=(DEMO_MACHINE_CLIENT, DEMO_MACHINE_SECRET)
        )
        assert machine.status_code == 200


async def test_cors_for_registered_spa_origins_only(http: httpx.AsyncClient) -> None:
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}
    allowed = await http.options("/token", headers={"Origin": "http://localhost:5173", **preflight})
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "http://localhost:5173"
    assert "access-control-allow-credentials" not in allowed.headers
    refused = await http.options("/token", headers={"Origin": "https://evil.example", **preflight})
    assert "access-control-allow-origin" not in refused.headers
    simple = await http.get("/jwks.json", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in simple.headers


def test_settings_refuse_bad_values() -> None:
    for env in (
        {"ZHIJIAN_IDENTITY_ISSUER": "http://idp.example"},
        {"ZHIJIAN_IDENTITY_ISSUER": "https://idp.example/?x=1"},
        {"ZHIJIAN_IDENTITY_CORS_ORIGINS": "*"},
        {"ZHIJIAN_IDENTITY_CORS_ORIGINS": "http://localhost:5173/app"},
        {"ZHIJIAN_IDENTITY_ACCESS_TOKEN_TTL": "0"},
        {"ZHIJIAN_IDENTITY_ACCESS_TOKEN_TTL": "five"},
    ):
        with pytest.raises(SettingsError):
            IdentitySettings.from_env(env)
    settings = IdentitySettings.from_env({"ZHIJIAN_IDENTITY_ISSUER": "https://idp.example/"})
    assert settings.issuer == "https://idp.example"
    assert settings.secure_cookies

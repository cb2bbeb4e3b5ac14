"""Third-party clients: a consent screen on first use, remembered consent after, withdrawable at any time (and a
withdrawal ends the client's tokens); first-party clients never ask (OIDC Core §3.1.2.4)."""

from __future__ import annotations

import re

import httpx
import pytest
from starlette.applications import Starlette

from tests.identity.browser import REDIRECT_URI, Browser, csrf_field, query_of
from tests.identity.conftest import ISSUER, RESOURCE_SERVER

THIRD_PARTY = "food-map"


@pytest.fixture
async def third_party(app: Starlette) -> str:
    await app.state.identity.provider.directory.add_client(
        THIRD_PARTY,
        "美食地图 (third party)",
        token_endpoint_auth_method="none",
        grant_types=["authorization_code", "refresh_token"],
        scopes=["openid", "profile", "permits:read"],
        redirect_uris=[REDIRECT_URI],
        first_party=False,
    )
    return THIRD_PARTY


def _field(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert match, html
    return match.group(1).replace("&amp;", "&")


async def _answer(browser: Browser, page: httpx.Response, decision: str) -> httpx.Response:
    return await browser.http.post(
        "/consent",
        data={"csrf": csrf_field(page.text), "return_to": _field(page.text, "return_to"), "decision": decision},
    )


async def _consent_page(browser: Browser, **params: str) -> httpx.Response:
    page = await browser.authorize(client_id=THIRD_PARTY, scope="openid permits:read", **params)
    assert page.status_code == 200, page.text
    assert "美食地图" in page.text and "查看许可信息" in page.text  # who asks, and for what, in words
    return page


async def test_a_first_party_client_never_asks(browser: Browser) -> None:
    assert "code" in await browser.sign_in_for_code()


async def test_a_third_party_client_asks_once_and_the_answer_is_remembered(browser: Browser, third_party: str) -> None:
    await browser.sign_in_for_code()
    page = await _consent_page(browser)
    allowed = await _answer(browser, page, "allow")
    assert allowed.status_code == 303 and allowed.headers["location"].startswith("/authorize?")
    back = await browser.http.get(allowed.headers["location"])
    assert back.status_code == 302 and "code" in query_of(back.headers["location"])
    again = await browser.authorize(client_id=third_party, scope="openid permits:read")
    assert again.status_code == 302 and "code" in query_of(again.headers["location"])  # remembered
    wider = await browser.authorize(client_id=third_party, scope="openid profile permits:read")
    assert wider.status_code == 200  # a scope not yet allowed: asked again


async def test_denying_sends_access_denied_to_the_client(browser: Browser, third_party: str) -> None:
    await browser.sign_in_for_code()
    denied = await _answer(browser, await _consent_page(browser, state="s1"), "deny")
    assert denied.status_code == 302
    query = query_of(denied.headers["location"])
    assert query == {"error": "access_denied", "error_description": query["error_description"], "iss": ISSUER,
                     "state": "s1"}  # fmt: skip


async def test_prompt_none_without_consent_is_consent_required(browser: Browser, third_party: str) -> None:
    await browser.sign_in_for_code()
    response = await browser.authorize(client_id=third_party, scope="openid", prompt="none")
    assert query_of(response.headers["location"])["error"] == "consent_required"


async def test_withdrawn_consent_is_asked_again_and_ends_the_clients_tokens(
    browser: Browser, http: httpx.AsyncClient, third_party: str
) -> None:
    await browser.sign_in_for_code()
    allowed = await _answer(browser, await _consent_page(browser), "allow")
    code = query_of((await http.get(allowed.headers["location"])).headers["location"])["code"]
    tokens = (await browser.redeem(code, client_id=third_party)).json()
    introspect = {"token": tokens["access_token"]}
    assert (await http.post("/introspect", data=introspect, auth=RESOURCE_SERVER)).json()["active"] is True
    listing = await http.get("/account/consents")
    assert listing.status_code == 200 and "美食地图" in listing.text
    withdrawn = await http.post("/account/consents", data={"csrf": csrf_field(listing.text), "client_id": third_party})
    assert withdrawn.status_code == 303
    assert "已撤回授权" in (await http.get(withdrawn.headers["location"])).text
    assert (await http.post("/introspect", data=introspect, auth=RESOURCE_SERVER)).json() == {"active": False}
    assert (await browser.refresh(tokens["refresh_token"])).status_code == 400
    assert (await browser.authorize(client_id=third_party, scope="openid permits:read")).status_code == 200


async def test_consents_page_needs_a_session_and_a_csrf_token(http: httpx.AsyncClient, browser: Browser) -> None:
    assert (await http.get("/account/consents")).status_code == 401
    await browser.sign_in_for_code()
    assert (await http.post("/account/consents", data={"client_id": THIRD_PARTY})).status_code == 403

"""The authorization endpoint's answers: iss on every redirect (RFC 9207), prompt and max_age, unsupported parameters
refused with their registered codes, parameters Authlib cannot quote answered without a 500."""

from __future__ import annotations

import httpx
import pytest

from identity.seed import DEMO_PASSWORD
from identity.sessions import SESSION_COOKIE
from tests.identity.browser import REDIRECT_URI, Browser, query_of
from tests.identity.conftest import ISSUER


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"response_type": "token"}, "unsupported_response_type"),
        ({"scope": "openid admin:everything"}, "invalid_scope"),
        ({"prompt": "none"}, "login_required"),
    ],
)
async def test_error_redirects_carry_iss_and_state(browser: Browser, overrides: dict[str, str], error: str) -> None:
    response = await browser.authorize(**overrides, state="keep-me")
    assert response.status_code == 302
    location = response.headers["location"]
    assert location.startswith(REDIRECT_URI + "?")
    query = query_of(location)
    assert query == {**query, "error": error, "iss": ISSUER, "state": "keep-me"}


@pytest.mark.parametrize("extra", [("scope", "openid"), ("redirect_uri", "https://evil.example/cb")])
async def test_repeated_parameters_are_refused(
    http: httpx.AsyncClient, browser: Browser, extra: tuple[str, str]
) -> None:
    """RFC 6749 §3.1: parameters must not repeat; refused on the page, never redirected."""
    response = await http.get("/authorize", params=[*browser.authorize_params().items(), extra])
    assert response.status_code == 400
    assert "location" not in response.headers
    assert "<code>invalid_request</code>" in response.text
    assert f"Multiple &#x27;{extra[0]}&#x27;" in response.text


async def test_prompt_login_asks_again_once(browser: Browser, http: httpx.AsyncClient) -> None:
    await browser.sign_in_for_code()
    first_session = http.cookies.get(SESSION_COOKIE)
    response = await browser.authorize(prompt="login")
    assert response.status_code == 303
    assert "prompt" not in response.headers["location"]
    response = await browser.login(response.headers["location"], "futian.case", DEMO_PASSWORD)
    response = await http.get(response.headers["location"])
    assert response.status_code == 302
    assert "code=" in response.headers["location"]
    assert http.cookies.get(SESSION_COOKIE) != first_session


async def test_max_age_zero_forces_a_fresh_login(browser: Browser) -> None:
    await browser.sign_in_for_code()
    import asyncio

    await asyncio.sleep(1.1)
    response = await browser.authorize(max_age="0")
    assert response.status_code == 303
    assert "max_age" not in response.headers["location"]
    assert (await browser.authorize(max_age="3600")).status_code == 302


async def test_code_is_bound_to_its_redirect_uri(browser: Browser) -> None:
    query = await browser.sign_in_for_code()
    other = await browser.redeem(query["code"], redirect_uri="http://localhost:5173/auth/callback")
    assert other.status_code == 400
    assert other.json()["error"] == "invalid_grant"


async def test_login_page_lets_the_browser_follow_the_redirect_to_the_client(
    browser: Browser, http: httpx.AsyncClient
) -> None:
    """CSP form-action covers every redirect after the form post (CSP 3): it must name the client's origin."""
    response = await browser.authorize()
    assert response.status_code == 303
    page = await http.get(response.headers["location"])
    policy = page.headers["content-security-policy"]
    assert "form-action 'self' http://127.0.0.1:4000;" in policy
    assert "frame-ancestors 'none'" in policy


async def test_a_login_page_without_an_authorization_request_allows_only_itself(http: httpx.AsyncClient) -> None:
    page = await http.get("/login")
    assert "form-action 'self';" in page.headers["content-security-policy"]


@pytest.mark.parametrize(
    ("parameter", "value", "error"),
    [
        ("request", "eyJhbGciOiJub25lIn0.e30.", "request_not_supported"),
        ("request_uri", "https://rp.example/request.jwt", "request_uri_not_supported"),
        ("registration", "{}", "registration_not_supported"),
        ("response_mode", "fragment", "invalid_request"),
        ("response_mode", "form_post", "invalid_request"),
    ],
)
async def test_unsupported_request_parameters_are_refused_with_registered_codes(
    browser: Browser, parameter: str, value: str, error: str
) -> None:
    await browser.sign_in_for_code()  # signed in: the refusal is about the parameter, not the session
    response = await browser.authorize(**{parameter: value}, state="st")
    assert response.status_code == 302
    query = query_of(response.headers["location"])
    assert query["error"] == error and query["iss"] == ISSUER and query["state"] == "st"
    assert "code" not in query


async def test_response_mode_query_is_accepted(browser: Browser) -> None:
    await browser.sign_in_for_code()
    assert "code" in query_of((await browser.authorize(response_mode="query")).headers["location"])


@pytest.mark.parametrize(
    ("overrides", "shown"),
    [
        ({"redirect_uri": 'http://127.0.0.1:4000/auth/callback"x'}, "invalid_request"),
        ({"redirect_uri": "http://127.0.0.1:4000/auth\\callback"}, "invalid_request"),
        ({"response_type": 'co"de'}, "invalid_request"),
        ({"response_type": "co\\de"}, "invalid_request"),
        ({"client_id": 'zhijian"officer'}, "invalid_client"),
    ],
)
async def test_quotes_and_backslashes_in_authorization_parameters_get_an_error_page_not_a_500(
    browser: Browser, overrides: dict[str, str], shown: str
) -> None:
    response = await browser.authorize(**overrides)
    assert response.status_code == 400, response.text
    assert "location" not in response.headers  # a redirect URI we could not verify is never followed
    assert f"<code>{shown}</code>" in response.text

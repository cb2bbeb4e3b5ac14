"""Each attack on the provider meets the refusal the specs ask for."""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from typing import Any

import httpx
import pytest
from joserfc import jws, jwt
from starlette.applications import Starlette

from identity.app import create_app
from identity.logredact import RedactSecrets, redact
from identity.seed import DEMO_BROWSER_CLIENT, DEMO_MACHINE_CLIENT, DEMO_MACHINE_SECRET, DEMO_PASSWORD
from identity.sessions import SESSION_COOKIE
from identity.settings import IdentitySettings
from kernel.db import Database
from tests.identity.browser import REDIRECT_URI, Browser, csrf_field, query_of
from tests.identity.conftest import ISSUER, RESOURCE_SERVER

MACHINE = (DEMO_MACHINE_CLIENT, DEMO_MACHINE_SECRET)


async def _introspect(http: httpx.AsyncClient, token: str) -> bool:
    active: bool = (await http.post("/introspect", data={"token": token}, auth=RESOURCE_SERVER)).json()["active"]
    return active


@asynccontextmanager
async def provider_at(
    database: Database, settings: IdentitySettings, now: list[float], **options: Any
) -> AsyncIterator[httpx.AsyncClient]:
    """The provider on a clock the test moves (``now[0]``), behind an HTTP client."""
    app = create_app(database, settings, clock=lambda: now[0], **options)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=ISSUER) as http:
        http.app = app  # type: ignore[attr-defined]
        yield http


@pytest.mark.parametrize(
    "overrides",
    [
        {"code_challenge_method": "plain"},
        {"code_challenge_method": None},
        {"code_challenge": None, "code_challenge_method": None},
    ],
    ids=["plain", "method-missing", "challenge-missing"],
)
async def test_pkce_downgrade_is_refused_with_iss(browser: Browser, overrides: dict[str, str | None]) -> None:
    if overrides.get("code_challenge_method", "x") == "plain":
        overrides = {**overrides, "code_challenge": browser.verifier}
    response = await browser.authorize(**overrides, state="st")
    assert response.status_code == 302
    query = query_of(response.headers["location"])
    assert response.headers["location"].startswith(REDIRECT_URI)
    assert query["error"] == "invalid_request"
    assert query["iss"] == ISSUER
    assert query["state"] == "st"


async def test_token_request_without_verifier_is_refused(browser: Browser) -> None:
    query = await browser.sign_in_for_code()
    response = await browser.redeem(query["code"], code_verifier="")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


async def test_wrong_verifier_is_refused(browser: Browser) -> None:
    query = await browser.sign_in_for_code()
    response = await browser.redeem(query["code"], code_verifier="x" * 64)
    assert response.json()["error"] == "invalid_grant"


@pytest.mark.parametrize(
    "redirect_uri",
    [
        "https://evil.example/cb",
        "http://127.0.0.1:4000/auth/callback/../../evil",
        "http://127.0.0.1:4000/auth/callbackx",
        "http://127.0.0.1:4000/auth/callback?next=https://evil.example",
        "http://127.0.0.1:4000@evil.example/auth/callback",
        "http://127.0.0.1:4001/auth/callback",
        "HTTP://127.0.0.1:4000/auth/callback",
        "http://127.0.0.1:4000/auth/callback#frag",
        "//evil.example/auth/callback",
    ],
)
async def test_unregistered_redirect_uri_is_never_followed(browser: Browser, redirect_uri: str) -> None:
    response = await browser.authorize(redirect_uri=redirect_uri)
    assert response.status_code == 400
    assert "location" not in response.headers
    assert "<code>invalid_request</code>" in response.text
    assert "is not supported by client" in response.text


async def test_unknown_client_gets_an_error_page_not_a_redirect(browser: Browser) -> None:
    response = await browser.authorize(client_id="nobody")
    assert response.status_code == 400
    assert "location" not in response.headers
    assert "<code>invalid_client</code>" in response.text


async def test_code_replay_revokes_the_tokens_it_minted(
    browser: Browser, http: httpx.AsyncClient, app: Starlette
) -> None:
    query = await browser.sign_in_for_code()
    first = (await browser.redeem(query["code"])).json()
    assert await _introspect(http, first["access_token"])
    replay = await browser.redeem(query["code"])
    assert replay.status_code == 400
    assert replay.json()["error"] == "invalid_grant"
    assert not await _introspect(http, first["access_token"])
    assert (await browser.refresh(first["refresh_token"])).status_code == 400
    events = await app.state.identity.provider.audit.recent()
    assert ("authorization_code_replay", "revoked", DEMO_BROWSER_CLIENT) in {
        (e.kind, e.outcome, e.client_id) for e in events
    }


async def test_refresh_reuse_after_the_grace_revokes_the_whole_family(
    database: Database, identity_settings: IdentitySettings
) -> None:
    now = [time.time()]
    async with provider_at(database, identity_settings, now) as http:
        browser = Browser(http)
        tokens = await browser.tokens()
        rotated = (await browser.refresh(tokens["refresh_token"])).json()
        now[0] += identity_settings.refresh_reuse_grace + 1
        reuse = await browser.refresh(tokens["refresh_token"])
        assert reuse.status_code == 400
        assert reuse.json()["error"] == "invalid_grant"
        assert (await browser.refresh(rotated["refresh_token"])).status_code == 400
        assert not await _introspect(http, rotated["access_token"])
        assert not await _introspect(http, tokens["access_token"])
        events = await http.app.state.identity.provider.audit.recent()  # type: ignore[attr-defined]
    assert ("refresh_token_reuse", "revoked", DEMO_BROWSER_CLIENT) in {(e.kind, e.outcome, e.client_id) for e in events}


async def test_two_tabs_refreshing_at_once_both_keep_working(browser: Browser, http: httpx.AsyncClient) -> None:
    tokens = await browser.tokens()
    first_tab, second_tab = await asyncio.gather(*(browser.refresh(tokens["refresh_token"]) for _ in range(2)))
    assert first_tab.status_code == second_tab.status_code == 200, (first_tab.text, second_tab.text)
    for tab in (first_tab, second_tab):
        assert await _introspect(http, tab.json()["access_token"])
        assert (await browser.refresh(tab.json()["refresh_token"])).status_code == 200


async def test_refresh_token_is_bound_to_its_client(browser: Browser, http: httpx.AsyncClient, app: Starlette) -> None:
    """Another client that may refresh (public, like the officer app) cannot use the officer app's refresh token."""
    await app.state.identity.provider.directory.add_client(
        "other-app",
        "another public client",
        token_endpoint_auth_method="none",
        grant_types=["authorization_code", "refresh_token"],
        scopes=["openid", "profile", "offline_access"],
        redirect_uris=[REDIRECT_URI],
    )
    tokens = await browser.tokens()
    stolen = await http.post(
        "/token",
        data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"], "client_id": "other-app"},
    )
    assert stolen.status_code == 400
    assert stolen.json()["error"] == "invalid_grant"
    assert (await browser.refresh(tokens["refresh_token"])).status_code == 200


async def test_login_without_valid_csrf_is_refused(browser: Browser, http: httpx.AsyncClient) -> None:
    first = await browser.authorize()
    page = await http.get(first.headers["location"])
    return_to = "/authorize?" + first.headers["location"].split("return_to=%2Fauthorize%3F", 1)[1]
    for csrf in ("", "0" * 64):
        response = await http.post(
            "/login", data={"csrf": csrf, "return_to": return_to, "username": "futian.case", "password": DEMO_PASSWORD}
        )
        assert response.status_code == 403
        assert SESSION_COOKIE not in response.cookies
    http.cookies.clear()
    response = await http.post(
        "/login",
        data={
            "csrf": csrf_field(page.text),
            "return_to": "/authorize?x=1",
            "username": "futian.case",
            "password": DEMO_PASSWORD,
        },
    )
    assert response.status_code == 403


async def test_login_return_to_must_be_the_authorization_endpoint(http: httpx.AsyncClient) -> None:
    for target in ("https://evil.example/", "//evil.example/authorize?x", "/\\evil.example", "/authorize"):
        refused = await http.get("/login", params={"return_to": target})
        assert refused.status_code == 400
        assert "<code>invalid_request</code></h2><p>return_to</p>" in refused.text
        assert 'name="password"' not in refused.text


async def test_login_rotates_the_session_id(browser: Browser, http: httpx.AsyncClient) -> None:
    planted = "attacker-chosen-session-value-0123456789abcdef"
    http.cookies.set(SESSION_COOKIE, planted, domain="127.0.0.1")
    await browser.sign_in_for_code()
    first = http.cookies.get(SESSION_COOKIE)
    assert first and first != planted
    http.cookies.clear()
    http.cookies.set(SESSION_COOKIE, planted, domain="127.0.0.1")
    assert (await browser.authorize()).status_code == 303  # the planted value never became a session


async def test_session_cookie_attributes(browser: Browser, http: httpx.AsyncClient) -> None:
    response = await browser.authorize()
    login = await browser.login(response.headers["location"], "futian.case")
    cookie = next(v for k, v in login.headers.multi_items() if k == "set-cookie" and v.startswith(SESSION_COOKIE))
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie or "SameSite=Lax" in cookie


async def test_relogin_ends_the_previous_session(browser: Browser, http: httpx.AsyncClient) -> None:
    await browser.sign_in_for_code()
    old = http.cookies.get(SESSION_COOKIE)
    response = await browser.authorize()
    assert response.status_code == 302
    # sign in again explicitly (e.g. another officer on the same browser)
    page = await http.get("/login", params={"return_to": "/authorize?client_id=x"})
    await http.post(
        "/login",
        data={
            "csrf": csrf_field(page.text),
            "return_to": "/authorize?client_id=x",
            "username": "city.admin",
            "password": DEMO_PASSWORD,
        },
    )
    assert http.cookies.get(SESSION_COOKIE) != old
    http.cookies.set(SESSION_COOKIE, old or "", domain="127.0.0.1")
    assert (await browser.authorize()).status_code == 303  # the old session is gone: back to the login page


def _shown(page: httpx.Response, username: str) -> str:
    """What a sign-in page tells, without its per-request parts (CSRF token, the username typed)."""
    return re.sub(r'name="csrf" value="[^"]+"', "", page.text).replace(username, "USER")


async def test_failures_slow_an_account_down_but_never_lock_it(
    database: Database, identity_settings: IdentitySettings
) -> None:
    now = [time.time()]
    async with provider_at(database, identity_settings, now) as http:
        browser = Browser(http)
        location = (await browser.authorize()).headers["location"]
        failures = [await browser.login(location, "futian.station", "wrong-password") for _ in range(5)]
        assert [page.status_code for page in failures] == [401] * 5
        slowed = await browser.login(location, "futian.station")  # the right password, but too soon
        assert slowed.status_code == 429 and slowed.headers["retry-after"] == "1"
        assert "登录失败次数较多" in slowed.text and "请在 1 秒后重试" in slowed.text
        now[0] += 2
        assert (await browser.login(location, "futian.station")).status_code == 303  # no lock: it waited


async def test_unknown_usernames_are_answered_exactly_like_real_ones(
    database: Database, identity_settings: IdentitySettings
) -> None:
    now = [time.time()]
    async with provider_at(database, identity_settings, now) as http:
        browser = Browser(http)
        location = (await browser.authorize()).headers["location"]
        answers = {}
        for username in ("futian.station", "nobody.here"):
            pages = [await browser.login(location, username, "wrong-password") for _ in range(6)]
            answers[username] = [(page.status_code, _shown(page, username)) for page in pages]
        assert answers["futian.station"] == answers["nobody.here"]
        assert [status for status, _ in answers["nobody.here"]] == [401] * 5 + [429]


async def test_an_officer_is_not_slowed_in_a_browser_where_they_signed_in_before(
    database: Database, identity_settings: IdentitySettings
) -> None:
    now = [time.time()]
    async with provider_at(database, identity_settings, now) as http:
        officer = Browser(http)
        await officer.tokens("futian.station")  # signs in: this browser holds the device cookie
        app = http.app  # type: ignore[attr-defined]
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=ISSUER) as elsewhere:
            attacker = Browser(elsewhere)
            location = (await attacker.authorize()).headers["location"]
            tried = [(await attacker.login(location, "futian.station", "guess")).status_code for _ in range(8)]
        assert tried[-1] == 429  # the guesses are slowed
        again = await officer.authorize(prompt="login")
        assert (await officer.login(again.headers["location"], "futian.station")).status_code == 303


async def test_an_administrator_can_clear_an_accounts_failures(
    database: Database, identity_settings: IdentitySettings
) -> None:
    now = [time.time()]
    async with provider_at(database, identity_settings, now) as http:
        browser = Browser(http)
        location = (await browser.authorize()).headers["location"]
        for _ in range(7):
            await browser.login(location, "futian.station", "wrong")
        assert (await browser.login(location, "futian.station")).status_code == 429
        await http.app.state.identity.login_throttle.unlock("officer", "futian.station")  # type: ignore[attr-defined]
        assert (await browser.login(location, "futian.station")).status_code == 303


async def test_per_ip_throttle(database: Database, identity_settings: IdentitySettings) -> None:
    app = create_app(database, replace(identity_settings, login_attempts_per_ip_per_minute=3))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=ISSUER) as http:
        browser = Browser(http)
        location = (await browser.authorize()).headers["location"]
        statuses = [(await browser.login(location, f"nobody{i}", "x")).status_code for i in range(4)]
    assert statuses == [401, 401, 401, 429]


async def test_login_page_language(http: httpx.AsyncClient) -> None:
    target = {"return_to": "/authorize?client_id=x"}
    assert "用户名" in (await http.get("/login", params=target)).text
    assert "Username" in (await http.get("/login", params={**target, "ui_locales": "en"})).text
    english = await http.get("/login", params=target, headers={"Accept-Language": "en-US,en;q=0.9"})
    assert "Username" in english.text


async def test_logout_redirects_only_to_registered_uris(browser: Browser, http: httpx.AsyncClient) -> None:
    tokens = await browser.tokens()
    for evil in ("https://evil.example/", "http://127.0.0.1:4000/x", "http://127.0.0.1:4000"):
        refused = await http.get(
            "/logout", params={"id_token_hint": tokens["id_token"], "post_logout_redirect_uri": evil}
        )
        assert refused.status_code == 400
        assert "location" not in refused.headers
    done = await http.get(
        "/logout",
        params={
            "id_token_hint": tokens["id_token"],
            "state": "bye",
            "post_logout_redirect_uri": "http://127.0.0.1:4000/",
        },
    )
    assert done.status_code == 303
    assert done.headers["location"] == "http://127.0.0.1:4000/?state=bye"
    expired = next(v for k, v in done.headers.multi_items() if k == "set-cookie" and v.startswith(SESSION_COOKIE))
    assert "Max-Age=0" in expired and "HttpOnly" in expired and "Path=/" in expired
    assert SESSION_COOKIE not in http.cookies
    assert not await _introspect(http, tokens["access_token"])
    assert (await browser.authorize()).status_code == 303  # signed out: the login page again


async def test_logout_without_hint_asks_for_confirmation(browser: Browser, http: httpx.AsyncClient) -> None:
    await browser.sign_in_for_code()
    page = await http.get("/logout", params={"client_id": DEMO_BROWSER_CLIENT})
    assert page.status_code == 200
    assert (await browser.authorize()).status_code == 302  # still signed in
    await http.post("/logout", data={"csrf": csrf_field(page.text), "client_id": DEMO_BROWSER_CLIENT})
    assert (await browser.authorize()).status_code == 303


async def test_prompt_none_without_session_is_an_error_with_iss(browser: Browser) -> None:
    response = await browser.authorize(prompt="none", state="q")
    query = query_of(response.headers["location"])
    assert query["error"] == "login_required"
    assert query["iss"] == ISSUER


async def test_audit_events_never_hold_secrets(browser: Browser, app: Starlette) -> None:
    location = (await browser.authorize()).headers["location"]
    await browser.login(location, "futian.case", "a-wrong-password-here")
    tokens = await browser.tokens()
    events = await app.state.identity.provider.audit.recent()
    kinds = {(e.kind, e.outcome) for e in events}
    assert {("login", "ok"), ("token_issued", "ok"), ("authorization", "code_issued")} <= kinds
    dump = repr(events)
    for secret in (
        DEMO_PASSWORD,
        "a-wrong-password-here",
        tokens["access_token"],
        tokens["refresh_token"],
        tokens["id_token"],
        browser.verifier,
    ):
        assert secret not in dump


async def test_no_secret_reaches_a_log_even_at_debug(
    browser: Browser, http: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    location = (await browser.authorize()).headers["location"]
    await browser.login(location, "futian.case", "a-wrong-password-here")
    query = await browser.sign_in_for_code()
    tokens = (await browser.redeem(query["code"])).json()
    refreshed = (await browser.refresh(tokens["refresh_token"])).json()
    await browser.refresh(tokens["refresh_token"])  # reuse: an error path
    await http.post("/token", data={"grant_type": "client_credentials"}, auth=MACHINE)
    assert caplog.records, "the flow logs something at DEBUG"
    secrets = (
        DEMO_PASSWORD,
        "a-wrong-password-here",
        DEMO_MACHINE_SECRET,
        query["code"],
        browser.verifier,
        tokens["access_token"],
        tokens["refresh_token"],
        tokens["id_token"],
        refreshed["refresh_token"],
    )
    for secret in secrets:
        assert secret not in caplog.text


def test_access_log_filter_redacts_query_secrets(caplog: pytest.LogCaptureFixture) -> None:
    line = redact('GET /cb?code=abc123&state=xyz&iss=http://i HTTP/1.1" 302 ?token=t0k&password=pw')
    assert "abc123" not in line and "xyz" not in line and "t0k" not in line and "pw" not in line
    assert "iss=http://i" in line
    nested = redact("GET /login?return_to=%2Fauthorize%3Fclient_id%3Dapp%26state%3Dxyz%26code_challenge%3Dabc HTTP/1.1")
    assert "xyz" not in nested and "client_id%3Dapp" in nested
    logger = logging.getLogger("test.identity.redact")
    logger.addFilter(RedactSecrets())
    with caplog.at_level(logging.INFO, logger="test.identity.redact"):
        logger.info('%s - "%s %s HTTP/%s" %d', "127.0.0.1", "GET", "/authorize?code=SECRET1&x=1", "1.1", 302)
    assert "SECRET1" not in caplog.text
    assert "code=***" in caplog.text


def _kid(token: str) -> str:
    return str(jws.extract_compact(token.encode()).headers()["kid"])


async def test_a_new_key_is_published_before_it_signs_and_after_it_stops(
    database: Database, identity_settings: IdentitySettings
) -> None:
    now = [time.time()]
    async with provider_at(database, identity_settings, now) as http:
        old = await Browser(http).tokens()
        keys = http.app.state.identity.provider.keys  # type: ignore[attr-defined]
        old_kid = keys.active.kid
        new_kid = keys.rotate().kid

        async def published() -> set[str]:
            return {k["kid"] for k in (await http.get("/jwks.json")).json()["keys"]}

        async def signing() -> str:
            token = await http.post("/token", data={"grant_type": "client_credentials"}, auth=MACHINE)
            return _kid(token.json()["access_token"])

        assert await published() == {old_kid, new_kid} and await signing() == old_kid
        now[0] += identity_settings.key_publish_ahead + 1
        assert await signing() == new_kid
        assert old_kid in await published() and await _introspect(http, old["access_token"])
        now[0] += identity_settings.max_token_ttl + 120
        keys.prune()
        assert await published() == {new_kid}


async def test_a_disabled_officer_loses_the_session_and_the_tokens(
    browser: Browser, http: httpx.AsyncClient, app: Starlette
) -> None:
    tokens = await browser.tokens("futian.case")
    provider = app.state.identity.provider
    await provider.disable(await provider.directory.set_officer_disabled("futian.case"))
    again = await browser.authorize()
    assert again.status_code == 303
    assert again.headers["location"].startswith("/login?")
    refused = await browser.refresh(tokens["refresh_token"])
    assert refused.status_code == 400
    assert refused.json()["error"] == "invalid_grant"  # RFC 6749 §5.2: the grant is no longer valid
    assert not await _introspect(http, tokens["access_token"])
    userinfo = await http.get("/userinfo", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert userinfo.status_code == 401


async def test_userinfo_accepts_our_access_tokens_only(
    browser: Browser, http: httpx.AsyncClient, app: Starlette
) -> None:
    """An ID token (typ JWT) or an at+jwt naming another issuer, though signed with our key, is not a bearer token."""
    tokens = await browser.tokens()
    keys = app.state.identity.provider.keys
    claims = jwt.decode(tokens["access_token"], keys.verification_keys(), algorithms=["RS256"]).claims
    for token in (tokens["id_token"], keys.sign({**claims, "iss": "http://127.0.0.1:4011"}, "at+jwt")):
        refused = await http.get("/userinfo", headers={"Authorization": f"Bearer {token}"})
        assert refused.status_code == 401
        assert refused.headers["www-authenticate"] == 'Bearer error="invalid_token"'
    accepted = await http.get("/userinfo", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert accepted.status_code == 200

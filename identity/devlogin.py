"""``zhijian login USERNAME``: sign in through the real code + PKCE flow, as a browser would, and print the token."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import secrets
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, urljoin, urlsplit

import httpx
from authlib.oauth2.rfc7636 import create_s256_code_challenge

from identity.i18n import MESSAGES
from identity.seed import DEMO_BROWSER_CLIENT, DEMO_ENTERPRISE_CLIENT, ENTERPRISE_APP_SCOPES, OFFICER_APP_SCOPES

DEFAULT_REDIRECT_URI = "http://127.0.0.1:4000/auth/callback"
"""Where the demo browser clients are sent back at the default address (the gateway's ``/auth/callback``); nothing
needs to listen there (the redirect is read, not followed). ``zhijian login`` derives it from the gateway's host
and port settings."""
DEFAULT_SCOPE = " ".join(OFFICER_APP_SCOPES)
ENTERPRISE_SCOPE = " ".join(ENTERPRISE_APP_SCOPES)


class LoginError(Exception):
    """The sign-in did not give a token; ``exit_status`` is what the command returns."""

    exit_status = 1


class LoginRefused(LoginError):
    """The provider turned the credentials down (wrong password, locked account, throttled)."""


class ProviderUnreachable(LoginError):
    """Nothing usable answers at the issuer URL."""

    exit_status = 2


class FlowFailed(LoginError):
    """The provider answered, but not as the protocol says (refused request, state or ``iss`` mismatch)."""


_REFUSALS = {
    "invalid": "wrong username or password",
    "slowed": "several failed sign-ins for this account; wait {wait} s and try again (an administrator can clear them)",
    "throttled": "too many sign-in attempts from this address; wait {wait} s and try again",
}


@dataclass(frozen=True, slots=True)
class LoginRequest:
    """Who signs in, at which provider, as which client."""

    issuer: str
    username: str
    client_id: str = DEMO_BROWSER_CLIENT
    redirect_uri: str = DEFAULT_REDIRECT_URI
    scope: str = DEFAULT_SCOPE
    population: str = "officer"
    """Which entrance of the sign-in page: ``officer`` or ``enterprise`` (市场通)."""


@dataclass(frozen=True, slots=True)
class _Page:
    """What a provider page shows: its form's target and fields, its alert, and an error code if it is an error page."""

    action: str | None
    fields: dict[str, str]
    alert: str
    error: str
    paragraphs: tuple[str, ...]


class _PageReader(HTMLParser):
    """Collects the first form's action and named inputs, the ``role="alert"`` text, ``<code>`` and ``<p>`` texts."""

    def __init__(self) -> None:
        super().__init__()
        self.action: str | None = None
        self.fields: dict[str, str] = {}
        self.alert = ""
        self.error = ""
        self.paragraphs: list[str] = []
        self._open: list[tuple[str, bool]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        if tag == "form" and self.action is None:
            self.action = attributes.get("action", "")
        elif tag == "input" and attributes.get("name"):
            self.fields[attributes["name"]] = attributes.get("value", "")
        elif tag in ("p", "code"):
            self._open.append((tag, attributes.get("role") == "alert"))
            if tag == "p":
                self.paragraphs.append("")

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1][0] == tag:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if not self._open:
            return
        tag, alert = self._open[-1]
        if alert:
            self.alert += data
        if tag == "code":
            self.error += data
        elif tag == "p":
            self.paragraphs[-1] += data


def _read(page: httpx.Response) -> _Page:
    reader = _PageReader()
    reader.feed(page.text)
    action = urljoin(str(page.url), reader.action) if reader.action is not None else None
    return _Page(action, reader.fields, reader.alert.strip(), reader.error.strip(), tuple(reader.paragraphs))


def _refusal(alert: str) -> str:
    """Which provider message (``invalid``, ``locked``, …) the alert shows, whatever the page's language."""
    for messages in MESSAGES.values():
        for key, message in messages.items():
            if message == alert:
                return key
    return "unknown"


def _not_redirected(response: httpx.Response) -> FlowFailed:
    """An error the provider shows instead of redirecting (unknown client, unregistered redirect URI)."""
    page = _read(response)
    what = page.error or f"HTTP {response.status_code}"
    detail = next((p for p in page.paragraphs if p), "")
    return FlowFailed(f"the provider refused the sign-in request: {what}" + (f" ({detail})" if detail else ""))


def _location(response: httpx.Response) -> str:
    if response.status_code not in (302, 303) or "location" not in response.headers:
        raise _not_redirected(response)
    return urljoin(str(response.url), response.headers["location"])


async def _submit(http: httpx.AsyncClient, login_url: str, request: LoginRequest, password: str) -> str:
    """Fill in and post the login form (CSRF field included); returns where the provider sends the browser next."""
    form = _read(await http.get(login_url))
    if form.action is None or "csrf" not in form.fields:
        raise FlowFailed(f"the provider's page at {login_url} has no sign-in form")
    filled = {**form.fields, "username": request.username, "password": password, "population": request.population}
    answer = await http.post(form.action, data=filled)
    if answer.status_code in (302, 303):
        return _location(answer)
    alert = _read(answer).alert
    outcome = _refusal(alert)
    if outcome in _REFUSALS:
        wait = answer.headers.get("retry-after", "a few")
        raise LoginRefused(f"login refused: {_REFUSALS[outcome].format(wait=wait)}")
    raise FlowFailed(f"the login form answered HTTP {answer.status_code}" + (f": {alert}" if alert else ""))


def _callback(location: str, request: LoginRequest, state: str, issuer: str) -> str:
    """The code from the redirect to the client (not followed), after checking state and ``iss`` (RFC 9207 §2.4)."""
    target, expected = urlsplit(location), urlsplit(request.redirect_uri)
    if (target.scheme, target.netloc, target.path) != (expected.scheme, expected.netloc, expected.path):
        raise FlowFailed(f"the provider redirected to {target.scheme}://{target.netloc}{target.path}, not the client")
    query = dict(parse_qsl(target.query))
    if query.get("iss") != issuer:
        raise FlowFailed(f"the redirect names issuer {query.get('iss')!r}, not {issuer!r} (RFC 9207 mix-up defence)")
    if query.get("state") != state:
        raise FlowFailed("the redirect's state does not match this sign-in (possible CSRF); try again")
    if "error" in query:
        description = f": {query['error_description']}" if query.get("error_description") else ""
        raise FlowFailed(f"the provider refused the sign-in: {query['error']}{description}")
    if not query.get("code"):
        raise FlowFailed("the redirect carries no authorization code")
    return query["code"]


async def _discover(http: httpx.AsyncClient, issuer: str) -> dict[str, Any]:
    response = await http.get(f"{issuer}/.well-known/openid-configuration")
    if response.status_code != 200:
        raise ProviderUnreachable(
            f"cannot reach the identity provider at {issuer}: discovery answered HTTP {response.status_code}"
        )
    try:
        metadata: dict[str, Any] = response.json()
    except ValueError:
        raise ProviderUnreachable(
            f"cannot reach the identity provider at {issuer}: no OpenID discovery there"
        ) from None
    if metadata.get("issuer") != issuer:
        raise FlowFailed(
            f"the provider at {issuer} calls itself {metadata.get('issuer')!r}; use --issuer with that URL"
        )
    return metadata


async def sign_in(http: httpx.AsyncClient, request: LoginRequest, password: str) -> dict[str, Any]:
    """Run authorization code + PKCE S256 against ``request.issuer``; returns the token endpoint's JSON answer."""
    issuer = request.issuer.rstrip("/")
    try:
        metadata = await _discover(http, issuer)
        verifier, state = secrets.token_urlsafe(48), secrets.token_urlsafe(16)
        authorize = await http.get(
            metadata["authorization_endpoint"],
            params={
                "response_type": "code",
                "client_id": request.client_id,
                "redirect_uri": request.redirect_uri,
                "scope": request.scope,
                "state": state,
                "nonce": secrets.token_urlsafe(16),
                "code_challenge": create_s256_code_challenge(verifier),
                "code_challenge_method": "S256",
            },
        )
        location = _location(authorize)
        if not location.startswith(request.redirect_uri):
            back_to_authorize = await _submit(http, location, request, password)
            location = _location(await http.get(back_to_authorize))
        code = _callback(location, request, state, issuer)
        token = await http.post(
            metadata["token_endpoint"],
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": request.redirect_uri,
                "client_id": request.client_id,
                "code_verifier": verifier,
            },
        )
    except httpx.TransportError as error:
        reason = str(error) or type(error).__name__
        raise ProviderUnreachable(f"cannot reach the identity provider at {issuer} ({reason})") from None
    body: dict[str, Any] = token.json() if token.headers.get("content-type", "").startswith("application/json") else {}
    if token.status_code != 200 or "access_token" not in body:
        reason = body.get("error_description") or body.get("error") or f"HTTP {token.status_code}"
        raise FlowFailed(f"the token endpoint refused the code: {reason}")
    return body


def register(subparsers: Any) -> None:
    """Add the ``login`` command to the hub's ``argparse`` subparsers."""
    login = subparsers.add_parser(
        "login", help="sign in as an officer (authorization code + PKCE, as a browser) and print the access token"
    )
    login.add_argument("username")
    login.add_argument("--password-stdin", action="store_true", help="read the password from stdin, not a prompt")
    login.add_argument("--issuer", help="the provider's issuer URL (default: ZHIJIAN_IDENTITY_ISSUER)")
    login.add_argument("--enterprise", action="store_true", help="sign in as an enterprise user (市场通) instead")
    login.add_argument("--client-id", help=f"a public PKCE client (default: {DEMO_BROWSER_CLIENT}, or "
                       f"{DEMO_ENTERPRISE_CLIENT} with --enterprise)")  # fmt: skip
    login.add_argument("--redirect-uri", help="registered redirect URI of the client (default: the gateway's callback)")
    login.add_argument("--scope", help="requested scope (default: what the demo app of the population asks for)")
    login.add_argument("--json", action="store_true", help="print the whole token response, not only the access token")


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return getpass.getpass(f"password for {args.username}: ")


def run(args: argparse.Namespace, default_issuer: str, gateway_origin: str = "http://127.0.0.1:4000") -> int:
    """Execute a parsed ``login`` command; returns the process exit status. Defaults follow the settings: the
    provider's issuer and the gateway's address (``ZHIJIAN_HOST``, ``ZHIJIAN_*_PORT``)."""
    password = _password(args)
    if not password:
        print("zhijian login: no password given", file=sys.stderr)
        return 2
    enterprise = bool(getattr(args, "enterprise", False))
    request = LoginRequest(
        args.issuer or default_issuer,
        args.username,
        args.client_id or (DEMO_ENTERPRISE_CLIENT if enterprise else DEMO_BROWSER_CLIENT),
        args.redirect_uri or f"{gateway_origin}/auth/callback",
        args.scope or (ENTERPRISE_SCOPE if enterprise else DEFAULT_SCOPE),
        "enterprise" if enterprise else "officer",
    )

    async def attempt() -> dict[str, Any]:
        async with httpx.AsyncClient(timeout=10) as http:
            return await sign_in(http, request, password)

    try:
        tokens = asyncio.run(attempt())
    except LoginError as error:
        print(f"zhijian login: {error}", file=sys.stderr)
        return error.exit_status
    print(json.dumps(tokens, indent=2) if args.json else tokens["access_token"])
    return 0

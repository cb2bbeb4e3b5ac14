"""An officer's browser driving the real login form over HTTP: PKCE, CSRF field, cookies, redirects."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
from authlib.oauth2.rfc7636 import create_s256_code_challenge

from identity.seed import DEMO_BROWSER_CLIENT, DEMO_PASSWORD

REDIRECT_URI = "http://127.0.0.1:4000/auth/callback"


def query_of(location: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def csrf_field(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, html
    return match.group(1)


@dataclass
class Browser:
    """Follows the authorization-code flow the way a browser would, one request at a time."""

    http: httpx.AsyncClient
    verifier: str = field(default_factory=lambda: secrets.token_urlsafe(48))

    def authorize_params(self, **overrides: str | None) -> dict[str, str]:
        params: dict[str, str | None] = {
            "response_type": "code",
            "client_id": DEMO_BROWSER_CLIENT,
            "redirect_uri": REDIRECT_URI,
            "scope": "openid profile offline_access",
            "state": secrets.token_urlsafe(8),
            "nonce": secrets.token_urlsafe(8),
            "code_challenge": create_s256_code_challenge(self.verifier),
            "code_challenge_method": "S256",
        }
        params.update(overrides)
        return {k: v for k, v in params.items() if v is not None}

    async def authorize(self, **overrides: str | None) -> httpx.Response:
        return await self.http.get(f"/authorize?{urlencode(self.authorize_params(**overrides))}")

    async def login(
        self, login_location: str, username: str, password: str = DEMO_PASSWORD, population: str = "officer"
    ) -> httpx.Response:
        """Fill in the sign-in form at one entrance (``officer`` or ``enterprise``)."""
        page = await self.http.get(login_location)
        assert page.status_code == 200, page.text
        return_to = re.search(r'name="return_to" value="([^"]+)"', page.text)
        assert return_to
        return await self.http.post(
            "/login",
            data={
                "csrf": csrf_field(page.text),
                "return_to": return_to.group(1).replace("&amp;", "&"),
                "username": username,
                "password": password,
                "population": population,
            },
        )

    async def sign_in_for_code(
        self, username: str = "futian.case", population: str = "officer", **overrides: str | None
    ) -> dict[str, str]:
        """Authorize, sign in on the form, follow back; returns the redirect's query (code, state, iss)."""
        response = await self.authorize(**overrides)
        if response.status_code == 303:
            response = await self.login(response.headers["location"], username, population=population)
            assert response.status_code == 303, response.text
            response = await self.http.get(response.headers["location"])
        assert response.status_code == 302, response.text
        location = response.headers["location"]
        assert location.startswith(REDIRECT_URI + "?"), location
        return query_of(location)

    async def redeem(self, code: str, **overrides: str) -> httpx.Response:
        data = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT_URI,
            "client_id": DEMO_BROWSER_CLIENT,
            "code_verifier": self.verifier,
        }
        data.update(overrides)
        return await self.http.post("/token", data=data)

    async def tokens(
        self, username: str = "futian.case", population: str = "officer", **overrides: str
    ) -> dict[str, str]:
        query = await self.sign_in_for_code(username, population, **overrides)
        response = await self.redeem(query["code"], **{k: v for k, v in overrides.items() if k == "client_id"})
        assert response.status_code == 200, response.text
        tokens: dict[str, str] = response.json()
        return tokens

    async def refresh(self, refresh_token: str) -> httpx.Response:
        return await self.http.post(
            "/token",
            data={"grant_type": "refresh_token", "refresh_token": refresh_token, "client_id": DEMO_BROWSER_CLIENT},
        )

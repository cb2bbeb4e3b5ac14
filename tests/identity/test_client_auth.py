"""Client authentication at the token, introspection and revocation endpoints: unreadable credentials are an RFC 6749
§5.2 error (never a 500), failures are throttled per client and per address, generated secrets are cheap to check,
and only resource servers may introspect — tokens meant for them."""

from __future__ import annotations

import base64

import httpx
import pytest
from starlette.applications import Starlette

from identity.passwords import generate_secret, hash_generated_secret, hash_password, verify_secret
from identity.seed import DEMO_BROWSER_CLIENT, DEMO_MACHINE_CLIENT, DEMO_MACHINE_SECRET
from tests.identity.browser import Browser
from tests.identity.conftest import RESOURCE_SERVER

ENDPOINTS = ("/token", "/introspect", "/revoke")
TOKEN_ERRORS = {"invalid_request", "invalid_client", "invalid_grant", "unauthorized_client", "unsupported_grant_type"}
"""RFC 6749 §5.2 (less invalid_scope, which these requests cannot earn)."""


@pytest.mark.parametrize("path", ENDPOINTS)
@pytest.mark.parametrize(
    "credentials",
    [b"\xff\xfe:\xff", "zhijian-demo-adapter:sécret".encode("latin-1"), b"\x80"],
    ids=["ff", "latin1", "80"],
)
async def test_basic_credentials_that_are_not_utf8_are_invalid_client(
    http: httpx.AsyncClient, path: str, credentials: bytes
) -> None:
    header = b"Basic " + base64.b64encode(credentials)
    response = await http.post(path, data={"grant_type": "client_credentials", "token": "x"},
                               headers={b"authorization": header})  # fmt: skip
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert response.headers["www-authenticate"].startswith("Basic")


@pytest.mark.parametrize(
    "data",
    [
        {"grant_type": 'client_"credentials'},
        {"grant_type": "client\\credentials"},
        {"grant_type": "authorization_code", "code": "x", "client_id": DEMO_BROWSER_CLIENT, "redirect_uri": 'a"b'},
    ],
)
async def test_quotes_and_backslashes_in_token_parameters_are_invalid_request(
    http: httpx.AsyncClient, data: dict[str, str]
) -> None:
    response = await http.post("/token", data=data, auth=(DEMO_MACHINE_CLIENT, DEMO_MACHINE_SECRET))
    assert response.status_code in (400, 401)
    assert response.json()["error"] in TOKEN_ERRORS


async def test_failed_client_authentication_is_throttled_per_address_before_anything_is_verified(
    http: httpx.AsyncClient,
) -> None:
    statuses = []
    for _ in range(11):
        response = await http.post("/token", data={"grant_type": "client_credentials"}, auth=("nobody", "guess"))
        statuses.append(response.status_code)
    assert statuses == [401] * 10 + [429]
    right = await http.post(
        "/token", data={"grant_type": "client_credentials"}, auth=(DEMO_MACHINE_CLIENT, DEMO_MACHINE_SECRET)
    )
    assert right.status_code == 429 and right.json()["error"] == "invalid_client"  # the address is throttled
    assert int(right.headers["retry-after"]) > 0


def test_generated_secrets_are_checked_with_sha256_and_chosen_ones_with_argon2() -> None:
    secret = generate_secret()
    assert len(secret) >= 43
    cheap = hash_generated_secret(secret)
    assert cheap.startswith("sha256$") and verify_secret(cheap, secret) and not verify_secret(cheap, secret + "x")
    slow = hash_password("a chosen client secret")
    assert slow.startswith("$argon2id$") and verify_secret(slow, "a chosen client secret")


async def test_only_resource_servers_may_introspect(browser: Browser, http: httpx.AsyncClient) -> None:
    tokens = await browser.tokens()
    machine = await http.post(
        "/introspect", data={"token": tokens["access_token"]}, auth=(DEMO_MACHINE_CLIENT, DEMO_MACHINE_SECRET)
    )
    assert machine.status_code == 400 and machine.json()["error"] == "unauthorized_client"
    resource = await http.post("/introspect", data={"token": tokens["access_token"]}, auth=RESOURCE_SERVER)
    assert resource.json()["active"] is True and resource.json()["aud"] == "http://127.0.0.1:4000/graphql"


async def test_a_resource_server_learns_nothing_of_tokens_not_meant_for_it(
    browser: Browser, http: httpx.AsyncClient, app: Starlette
) -> None:
    tokens = await browser.tokens()
    refresh = await http.post("/introspect", data={"token": tokens["refresh_token"]}, auth=RESOURCE_SERVER)
    assert refresh.json() == {"active": False}  # a refresh token is the client's, not a resource server's
    other_secret = generate_secret()
    await app.state.identity.provider.directory.add_client(
        "reports-api", "another resource server", token_endpoint_auth_method="client_secret_basic",
        grant_types=["client_credentials"], scopes=[], secret=other_secret, secret_generated=True,
        resource_audience="https://reports.example/api",
    )  # fmt: skip
    other = await http.post("/introspect", data={"token": tokens["access_token"]}, auth=("reports-api", other_secret))
    assert other.json() == {"active": False}

"""Garbage in, a proper OAuth error out: never a 500 from the provider's endpoints."""

from __future__ import annotations

import base64

import httpx
import pytest

from identity.seed import DEMO_BROWSER_CLIENT, DEMO_MACHINE_CLIENT, DEMO_MACHINE_SECRET
from tests.identity.browser import Browser
from tests.identity.conftest import RESOURCE_SERVER

MACHINE = (DEMO_MACHINE_CLIENT, DEMO_MACHINE_SECRET)
DEEP = base64.urlsafe_b64encode(b"[" * 5000).rstrip(b"=").decode()
GARBAGE = ["x", "a.b.c", "..", f"eyJhbGciOiJSUzI1NiJ9.{DEEP}.c2ln", "é" * 50, "x" * 10_000]


@pytest.mark.parametrize("token", GARBAGE)
async def test_token_consuming_endpoints(http: httpx.AsyncClient, token: str) -> None:
    userinfo = await http.get("/userinfo", headers={b"Authorization": f"Bearer {token}".encode()})
    assert userinfo.status_code == 401
    introspect = await http.post("/introspect", data={"token": token}, auth=RESOURCE_SERVER)
    assert introspect.json() == {"active": False}
    revoke = await http.post("/revoke", data={"token": token, "client_id": DEMO_BROWSER_CLIENT})
    assert revoke.status_code == 200
    refresh = await http.post(
        "/token", data={"grant_type": "refresh_token", "refresh_token": token, "client_id": DEMO_BROWSER_CLIENT}
    )
    assert refresh.status_code == 400
    logout = await http.get("/logout", params={"id_token_hint": token})
    assert logout.status_code == 400


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"grant_type": "password", "username": "a", "password": "b"},
        {"grant_type": "authorization_code", "client_id": DEMO_BROWSER_CLIENT},
        {"grant_type": "authorization_code", "client_id": "nobody", "code": "x"},
        {"grant_type": "client_credentials", "client_assertion_type":
         "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", "client_assertion": "a.b.c"},
    ],
)  # fmt: skip
async def test_token_endpoint_errors(http: httpx.AsyncClient, data: dict[str, str]) -> None:
    response = await http.post("/token", data=data)
    assert response.status_code in (400, 401)
    assert response.json()["error"]


async def test_oversized_bodies_are_refused(http: httpx.AsyncClient) -> None:
    body = {"grant_type": "client_credentials", "pad": "x" * 100_000}
    assert (await http.post("/token", data=body)).status_code == 413
    assert (await http.post("/login", data=body)).status_code == 413


@pytest.mark.parametrize(
    "params",
    [
        {"max_age": "-1"},
        {"max_age": "9" * 40},
        {"state": "s" * 5000},
        {"ui_locales": "<script>"},
        {"prompt": "none login"},
    ],
)
async def test_odd_authorization_parameters(http: httpx.AsyncClient, params: dict[str, str]) -> None:
    response = await Browser(http).authorize(**params)
    assert response.status_code in (302, 303, 400)
    assert "<script>" not in response.text

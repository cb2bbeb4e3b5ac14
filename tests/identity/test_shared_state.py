"""Several provider processes behind a proxy share what must be shared through Redis: sign-in throttling (keyed on
the real client address the trusted proxy names), client-authentication throttling, and the revocation list a
gateway consults — a logout at one process ends access at the gateway within seconds."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest

from gateway.auth import InvalidToken, TokenValidator, builtin_issuer
from gateway.http.auth import EdgeAuth
from identity.directory import Directory
from identity.passwords import generate_secret
from identity.records import Level
from identity.seed import DEMO_PASSWORD
from identity.settings import IdentitySettings
from kernel.db import Database
from kernel.revocation import RedisRevocations
from kernel.roles import Role
from tests.identity.browser import Browser
from tests.identity.conftest import ISSUER, KEY_ENCRYPTION_KEY
from tests.identity.processes import providers

RETURN_TO = "/authorize?client_id=zhijian-officer-app"


@pytest.fixture
async def shared(
    database_file: Path, redis_server_url: str, identity_settings: IdentitySettings
) -> AsyncIterator[dict[str, Any]]:
    """A database and key directory (copies of the seeded template) and the environment two processes share."""
    url = f"sqlite+aiosqlite:///{database_file}"
    database = Database.from_url(url, ["identity"])
    username = f"officer-{secrets.token_hex(4)}"  # fresh names: counters in Redis outlive a test run
    await Directory(database).add_officer(username, DEMO_PASSWORD, "测试", [Role.INSPECTOR], Level.CITY, "440300")
    environ = {
        "ZHIJIAN_IDENTITY_ISSUER": ISSUER,
        "ZHIJIAN_IDENTITY_KEY_DIR": str(identity_settings.key_dir),
        "ZHIJIAN_IDENTITY_KEY_ENCRYPTION_KEY": KEY_ENCRYPTION_KEY,
        "ZHIJIAN_IDENTITY_COOKIE_SECRET": "shared-cookie-secret-of-the-deployment",
        "ZHIJIAN_IDENTITY_TRUSTED_PROXIES": "127.0.0.1/32",
        "ZHIJIAN_IDENTITY_CLIENT_AUTH_FAILURES": "4",
        "ZHIJIAN_REDIS_URL": redis_server_url,
    }
    yield {"url": url, "database": database, "environ": environ, "username": username, "redis": redis_server_url}
    await database.dispose()


def _address() -> str:
    """A client address of its own per test, as the proxy reports it."""
    return f"10.{secrets.randbelow(250)}.{secrets.randbelow(250)}.{secrets.randbelow(250) + 1}"


async def _login(http: httpx.AsyncClient, username: str, password: str, address: str) -> httpx.Response:
    page = await http.get("/login", params={"return_to": RETURN_TO}, headers={"x-forwarded-for": address})
    csrf = page.text.split('name="csrf" value="')[1].split('"')[0]
    return await http.post(
        "/login",
        data={
            "csrf": csrf,
            "return_to": RETURN_TO,
            "username": username,
            "password": password,
            "population": "officer",
        },
        headers={"x-forwarded-for": f"203.0.113.9, {address}"},  # the left part is the client's to invent
    )


async def test_sign_in_failures_count_across_provider_processes_per_real_address(shared: dict[str, Any]) -> None:
    async with providers(2, shared["url"], shared["environ"]) as urls:
        first, second = (httpx.AsyncClient(base_url=url) for url in urls)
        async with first, second:
            address = _address()
            statuses = []
            for attempt in range(5):  # alternating processes: each saw only two or three of the failures
                http = first if attempt % 2 else second
                statuses.append((await _login(http, shared["username"], "wrong", address)).status_code)
            assert statuses == [401] * 5
            slowed = await _login(first, shared["username"], DEMO_PASSWORD, address)
            assert slowed.status_code == 429 and "retry-after" in slowed.headers
            elsewhere = await _login(second, shared["username"], DEMO_PASSWORD, _address())
            assert elsewhere.status_code == 429  # the account is slowed, from any address …
            await asyncio.sleep(float(slowed.headers["retry-after"]) + 0.2)
            assert (await _login(second, shared["username"], DEMO_PASSWORD, address)).status_code == 303  # … not locked


async def test_client_authentication_failures_count_across_processes_per_client(shared: dict[str, Any]) -> None:
    client_id, secret = f"adapter-{secrets.token_hex(4)}", generate_secret()
    await Directory(shared["database"]).add_client(
        client_id, "adapter", token_endpoint_auth_method="client_secret_basic", grant_types=["client_credentials"],
        scopes=["entities:read"], secret=secret, secret_generated=True,
    )  # fmt: skip
    async with providers(2, shared["url"], shared["environ"]) as urls:
        first, second = (httpx.AsyncClient(base_url=url) for url in urls)
        async with first, second:

            async def token(http: httpx.AsyncClient, password: str, address: str) -> httpx.Response:
                return await http.post(
                    "/token", data={"grant_type": "client_credentials"}, auth=(client_id, password),
                    headers={"x-forwarded-for": address},
                )  # fmt: skip

            failures = [(await token((first, second)[i % 2], "wrong", _address())).status_code for i in range(4)]
            assert failures == [401] * 4  # from four addresses: counted for the client, in Redis
            refused = await token(second, secret, _address())
            assert refused.status_code == 429 and refused.json()["error"] == "invalid_client"
            assert int(refused.headers["retry-after"]) > 0
            other = await first.post("/token", data={"grant_type": "client_credentials"},
                                     auth=("zhijian-demo-adapter", "zhijian-demo-machine-secret"))  # fmt: skip
            assert other.status_code == 200  # another client is not affected


async def test_a_logout_at_one_process_is_refused_by_a_gateway_within_seconds(shared: dict[str, Any]) -> None:
    async with providers(2, shared["url"], shared["environ"]) as urls:
        first, second = (httpx.AsyncClient(base_url=url) for url in urls)
        revocations = RedisRevocations.from_url(shared["redis"])
        async with first, second, httpx.AsyncClient() as jwks_http:
            config = replace(builtin_issuer(ISSUER, "http://127.0.0.1:4000/graphql"), jwks_uri=f"{urls[0]}/jwks.json")
            edge = EdgeAuth(TokenValidator([config], jwks_http), revocations=revocations)
            await edge.start()
            try:
                browser = Browser(first)
                tokens = await browser.tokens(shared["username"])
                header = f"Bearer {tokens['access_token']}".encode()
                assert await edge.principal(header) is not None  # validated, and now cached
                second.cookies = first.cookies  # the same browser, sent by the proxy to the other process
                page = await second.get("/logout")
                csrf = page.text.split('name="csrf" value="')[1].split('"')[0]
                assert (await second.post("/logout", data={"csrf": csrf})).status_code == 200
                for _ in range(50):  # within seconds: the gateway's copy follows the channel
                    try:
                        await edge.principal(header)
                    except InvalidToken as refused:
                        assert refused.reason == "revoked"
                        break
                    await asyncio.sleep(0.1)
                else:
                    pytest.fail("the gateway still accepts the token 5 s after the logout")
            finally:
                await edge.aclose()
                await revocations.close()

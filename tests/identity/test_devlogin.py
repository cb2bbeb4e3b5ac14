"""``zhijian login``: the real code + PKCE flow against a provider served by uvicorn on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import httpx
import pytest

from gateway.auth import TokenValidator, builtin_issuer
from identity.app import create_app
from identity.devlogin import DEFAULT_REDIRECT_URI as REDIRECT_URI
from identity.devlogin import FlowFailed, LoginRefused, LoginRequest, sign_in
from identity.directory import Directory
from identity.seed import DEMO_PASSWORD
from identity.settings import IdentitySettings
from kernel.db import Database
from tests.gateway.servers import free_port, serving
from tests.identity.conftest import migrated, settings_for

REPO = Path(__file__).resolve().parents[2]
ENTERPRISE = "91440300MA5H7K2P12"


class Deferred:
    """An ASGI app whose target is set once the server's address (the issuer) is known."""

    target: Any = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await self.target(scope, receive, send)


@pytest.fixture
async def live_issuer(database: Database, identity_settings: IdentitySettings) -> AsyncIterator[str]:
    """The seeded provider on a free port of 127.0.0.1; after two wrong passwords an account is slowed down."""
    app = Deferred()
    async with serving(app) as issuer:
        app.target = create_app(database, replace(identity_settings, issuer=issuer, login_free_failures=2))
        yield issuer


@dataclass(frozen=True, slots=True)
class Run:
    status: int
    stdout: str
    stderr: str


async def zhijian_login(*args: str, password: str = DEMO_PASSWORD, env: dict[str, str] | None = None) -> Run:
    """``zhijian login …`` as a separate process, the password on stdin."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "hub.cli", "login", *args, "--password-stdin", env={**os.environ, **(env or {})},
        cwd=REPO, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await process.communicate(f"{password}\n".encode())
    assert process.returncode is not None
    return Run(process.returncode, out.decode(), err.decode())


async def test_login_prints_an_access_token_the_gateway_accepts_with_the_officers_jurisdiction(
    live_issuer: str, identity_settings: IdentitySettings
) -> None:
    run = await zhijian_login("futian.station", "--issuer", live_issuer)
    assert run.status == 0, run.stderr
    token = run.stdout.strip()
    assert token.count(".") == 2 and "\n" not in token
    async with httpx.AsyncClient() as http:
        validator = TokenValidator([builtin_issuer(live_issuer, identity_settings.gateway_audience)], http)
        principal = await validator.caller(f"Bearer {token}")
    assert principal is not None
    assert principal.org_path == "440300/440304/440304001"
    assert principal.client_id == "zhijian-officer-app"
    assert DEMO_PASSWORD not in run.stdout + run.stderr


async def test_json_prints_the_whole_token_response(live_issuer: str) -> None:
    run = await zhijian_login("city.admin", "--issuer", live_issuer, "--json")
    assert run.status == 0, run.stderr
    tokens = json.loads(run.stdout)
    assert {"access_token", "id_token", "refresh_token", "expires_in"} <= set(tokens)
    assert tokens["token_type"].lower() == "bearer"


async def test_wrong_password_is_refused_with_exit_status_1(live_issuer: str) -> None:
    run = await zhijian_login("futian.case", "--issuer", live_issuer, password="not-the-password")
    assert (run.status, run.stdout) == (1, "")
    assert "login refused: wrong username or password" in run.stderr
    assert "not-the-password" not in run.stderr


async def test_an_unreachable_provider_is_named_with_exit_status_2() -> None:
    nobody = f"http://127.0.0.1:{free_port()}"
    run = await zhijian_login("futian.case", "--issuer", nobody)
    assert run.status == 2
    assert f"cannot reach the identity provider at {nobody}" in run.stderr


async def test_a_slowed_account_says_how_long_to_wait_even_with_the_right_password(live_issuer: str) -> None:
    for wrong in ("wrong-once", "wrong-twice"):
        async with httpx.AsyncClient() as http:
            with pytest.raises(LoginRefused, match="wrong username or password"):
                await sign_in(http, LoginRequest(live_issuer, "futian.case"), wrong)
    async with httpx.AsyncClient() as http:
        with pytest.raises(LoginRefused, match=r"several failed sign-ins for this account; wait 1 s"):
            await sign_in(http, LoginRequest(live_issuer, "futian.case"), DEMO_PASSWORD)


async def test_an_enterprise_user_signs_in_at_the_enterprise_entrance(
    live_issuer: str, database: Database, identity_settings: IdentitySettings
) -> None:
    directory = Directory(database)
    await directory.add_enterprise_user("hq.owner", DEMO_PASSWORD, "华强 管理员", ENTERPRISE, "张伟")
    await directory.decide_binding("hq.owner", ENTERPRISE, confirmed=True, by="officer-x", method="officer")
    run = await zhijian_login("hq.owner", "--issuer", live_issuer, "--enterprise")
    assert run.status == 0, run.stderr
    async with httpx.AsyncClient() as http:
        validator = TokenValidator([builtin_issuer(live_issuer, identity_settings.gateway_audience)], http)
        principal = await validator.caller(f"Bearer {run.stdout.strip()}")
    assert principal is not None and principal.usccs == {ENTERPRISE} and principal.org_path is None
    assert principal.roles == {"enterprise_owner"} and principal.client_id == "zhijian-enterprise-app"
    officer_entrance = await zhijian_login("hq.owner", "--issuer", live_issuer)  # the populations are apart
    assert officer_entrance.status == 1 and "wrong username or password" in officer_entrance.stderr


async def test_an_unknown_client_is_reported_from_the_providers_error_page(live_issuer: str) -> None:
    async with httpx.AsyncClient() as http:
        with pytest.raises(FlowFailed, match="invalid_client"):
            await sign_in(http, LoginRequest(live_issuer, "futian.case", client_id="no-such-app"), DEMO_PASSWORD)


async def test_an_unregistered_redirect_uri_is_refused_before_any_password_is_sent(live_issuer: str) -> None:
    request = LoginRequest(live_issuer, "futian.case", redirect_uri="http://127.0.0.1:9/elsewhere")
    async with httpx.AsyncClient() as http:
        with pytest.raises(FlowFailed, match="refused the sign-in request"):
            await sign_in(http, request, DEMO_PASSWORD)


async def test_a_provider_calling_itself_another_issuer_is_not_trusted(live_issuer: str) -> None:
    alias = live_issuer.replace("127.0.0.1", "localhost")
    async with httpx.AsyncClient() as http:
        with pytest.raises(FlowFailed, match="calls itself"):
            await sign_in(http, LoginRequest(alias, "futian.case"), DEMO_PASSWORD)


class Tampering(httpx.AsyncBaseTransport):
    """The real provider in process, with one query parameter of the redirect to the client replaced on the way."""

    def __init__(self, inner: httpx.AsyncBaseTransport, name: str, value: str) -> None:
        self.inner, self.name, self.value = inner, name, value

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        location = response.headers.get("location", "")
        if location.startswith(REDIRECT_URI):
            url = httpx.URL(location)
            response.headers["location"] = str(url.copy_set_param(self.name, self.value))
        return response


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [("iss", "https://idp.example.org", "mix-up"), ("state", "someone-elses-state", "state does not match")],
)
async def test_a_redirect_with_another_issuer_or_state_gives_no_token(
    database: Database, identity_settings: IdentitySettings, name: str, value: str, message: str
) -> None:
    transport = Tampering(httpx.ASGITransport(app=create_app(database, identity_settings)), name, value)
    async with httpx.AsyncClient(transport=transport) as http:
        with pytest.raises(FlowFailed, match=message):
            await sign_in(http, LoginRequest(identity_settings.issuer, "futian.case"), DEMO_PASSWORD)


async def test_the_default_redirect_follows_the_gateways_port(sqlite_database_url: str, tmp_path: Path) -> None:
    """With ZHIJIAN_GATEWAY_PORT=4100 the demo client is registered for :4100 and ``zhijian login`` uses it."""
    moved = {"ZHIJIAN_GATEWAY_PORT": "4100"}
    app = Deferred()
    async with serving(app) as issuer:
        settings = settings_for(tmp_path / "keys", issuer, **moved)
        database = await migrated(sqlite_database_url, settings)
        app.target = create_app(database, settings)
        run = await zhijian_login("futian.station", "--issuer", issuer, env=moved)
        at_default = await zhijian_login("futian.station", "--issuer", issuer, env={"ZHIJIAN_GATEWAY_PORT": "4000"})
        await database.dispose()
    assert run.status == 0, run.stderr
    assert at_default.status == 1 and "refused the sign-in request" in at_default.stderr  # :4000 is not registered

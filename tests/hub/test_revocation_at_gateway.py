"""Logout, revocation and disabling end access at the gateway at once, not at token expiry: the embedded hub's
provider and gateway share the revocation list (with ``ZHIJIAN_REDIS_URL`` the processes of a deployment share it
through Redis: ``tests/identity/test_shared_state.py``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from identity.directory import Directory
from identity.records import Level
from identity.seed import DEMO_BROWSER_CLIENT, DEMO_PASSWORD, OFFICER_APP_SCOPES
from kernel.roles import Role
from tests.identity.browser import REDIRECT_URI, Browser, csrf_field
from tests.support.hub import RunningHub, running_hub

QUERY = "{ entities(first: 1) { edges { node { uscc } } } }"


@pytest.fixture
async def hub(sqlite_database_url: str, tmp_path: Path) -> AsyncIterator[RunningHub]:
    async with running_hub(sqlite_database_url, tmp_path) as running:
        directory = Directory(running.hub.database)
        await directory.add_officer("futian.case", DEMO_PASSWORD, "王芳", [Role.CASE_OFFICER], Level.DISTRICT,
                                    "440300/440304")  # fmt: skip
        grants = ["authorization_code", "refresh_token"]
        await directory.add_client(
            DEMO_BROWSER_CLIENT, "政务通", token_endpoint_auth_method="none", grant_types=grants,
            scopes=OFFICER_APP_SCOPES, redirect_uris=[REDIRECT_URI],
        )  # fmt: skip
        yield running


async def status(hub: RunningHub, token: str) -> int:
    response = await hub.gateway.post("/graphql", json={"query": QUERY}, headers={"authorization": f"Bearer {token}"})
    return response.status_code


async def test_a_logout_ends_the_sessions_tokens_at_the_gateway_at_once(hub: RunningHub) -> None:
    browser = Browser(hub.provider)
    tokens = await browser.tokens("futian.case")
    assert await status(hub, tokens["access_token"]) == 200  # validated, and cached by the gateway
    page = await hub.provider.get("/logout")
    assert (await hub.provider.post("/logout", data={"csrf": csrf_field(page.text)})).status_code == 200
    assert await status(hub, tokens["access_token"]) == 401


async def test_a_disabled_officers_tokens_are_refused_at_once(hub: RunningHub) -> None:
    tokens = await Browser(hub.provider).tokens("futian.case")
    assert await status(hub, tokens["access_token"]) == 200
    provider = hub.hub.identity.state.identity.provider
    await provider.disable(await provider.directory.set_officer_disabled("futian.case"))
    assert await status(hub, tokens["access_token"]) == 401


async def test_revoking_a_refresh_token_ends_its_access_tokens_at_the_gateway(hub: RunningHub) -> None:
    browser = Browser(hub.provider)
    tokens = await browser.tokens("futian.case")
    refreshed = (await browser.refresh(tokens["refresh_token"])).json()
    assert await status(hub, refreshed["access_token"]) == 200
    revoked = await hub.provider.post("/revoke", data={"token": refreshed["refresh_token"],
                                                       "client_id": DEMO_BROWSER_CLIENT})  # fmt: skip
    assert revoked.status_code == 200
    assert await status(hub, refreshed["access_token"]) == 401
    assert await status(hub, tokens["access_token"]) == 401  # the whole grant

"""In the embedded hub the gateway, the provider and the subgraphs share one event loop: a hostile document is
refused by the gateway's limits before it can stall sign-in or another officer's query."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from identity.directory import Directory
from identity.records import Level
from identity.seed import DEMO_BROWSER_CLIENT, DEMO_PASSWORD, OFFICER_APP_SCOPES
from kernel.roles import Role
from tests.identity.browser import REDIRECT_URI, Browser
from tests.support.hub import RunningHub, running_hub

QUERY = "{ entities(first: 1) { edges { node { uscc } } } }"


def fragment_bomb(levels: int) -> str:
    """About 1 KB: each fragment spreads the next twice, 2**18 fields once expanded (issue 9's 23.5 s stall)."""
    parts = [f"fragment F{i} on MarketEntity {{ uscc ...F{i + 1} ...F{i + 1} }}" for i in range(levels)]
    last = f"fragment F{levels} on MarketEntity {{ uscc }}"
    return "{ entities(first: 1) { edges { node { ...F0 } } } } " + " ".join(parts) + " " + last


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


async def test_a_fragment_bomb_is_refused_while_an_officer_signs_in_and_queries(hub: RunningHub) -> None:
    bomb = fragment_bomb(18)
    assert len(bomb) < 1_200

    async def sign_in_and_query() -> int:
        tokens = await Browser(hub.provider).tokens("futian.case")
        headers = {"authorization": f"Bearer {tokens['access_token']}"}
        response = await hub.gateway.post("/graphql", json={"query": QUERY}, headers=headers)
        assert "errors" not in response.json()
        return response.status_code

    async def attack() -> str:
        response = await hub.gateway.post("/graphql", json={"query": bomb})
        return str(response.json()["errors"][0]["extensions"]["code"])

    *refused, officer = await asyncio.gather(attack(), attack(), attack(), sign_in_and_query())
    assert officer == 200
    assert refused == ["FIELD_LIMIT_EXCEEDED"] * 3

"""Supergraph hot reload: swapped under load without a failed request, a broken supergraph refused while the
old one keeps serving, and a changed file picked up by the poll."""

from __future__ import annotations

import asyncio
import dataclasses
from pathlib import Path

import httpx
import pytest

from gateway.http import create_app
from gateway.settings import GatewaySettings
from tests.gateway.kit import Federation
from tests.gateway.market import ENTITIES, PERMITS, SUPERVISION, market_federation, market_world
from tests.gateway.servers import serving

NORMAL = {"query": '{ entity(uscc: "91440300B") { name riskLevel permits { kind } } }'}
NEW_FIELD = {"query": '{ entity(uscc: "91440300B") { name registeredAt } }'}


def next_version() -> Federation:
    """The subgraphs as deployed next: entities adds a field the current supergraph does not have yet."""
    sdl = ENTITIES.sdl.replace("category: String!", "category: String!\n      registeredAt: String")
    return Federation([dataclasses.replace(ENTITIES, sdl=sdl), PERMITS, SUPERVISION], market_world())


async def test_a_new_supergraph_is_swapped_in_under_load_without_failed_requests(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    current, upcoming = market_federation(), next_version()
    path = tmp_path / "supergraph.graphql"
    path.write_text(current.supergraph_sdl)
    app = create_app(current.supergraph_sdl, GatewaySettings(supergraph_path=str(path)), upcoming.transports())
    before = app.gateway.version
    pool = httpx.Limits(max_connections=8)
    async with serving(app, lifespan="on") as url, httpx.AsyncClient(base_url=url, limits=pool, timeout=60) as client:
        assert (await client.post("/graphql", json=NEW_FIELD)).json()["errors"][0]["extensions"]["code"] == (
            "GRAPHQL_VALIDATION_FAILED"
        )
        path.write_text(upcoming.supergraph_sdl)
        load = asyncio.gather(*(client.post("/graphql", json=NORMAL) for _ in range(24)))
        answers, swapped = await asyncio.gather(load, app.reload_file())
        assert swapped
        assert all(a.status_code == 200 and "errors" not in a.json() for a in answers)
        assert (await client.post("/graphql", json=NEW_FIELD)).json() == {
            "data": {"entity": {"name": "便利店", "registeredAt": None}}
        }
        ready = (await client.get("/ready")).json()
        assert ready["supergraph"] == app.gateway.version != before

        path.write_text("type Query { broken")
        with caplog.at_level("ERROR", logger="zhijian.gateway"):
            assert not await app.reload_file()
        assert "kept supergraph" in caplog.text
        assert (await client.post("/graphql", json=NEW_FIELD)).status_code == 200
        assert (await client.get("/ready")).json()["supergraph"] == ready["supergraph"]


async def test_a_changed_file_is_picked_up_by_the_poll(tmp_path: Path) -> None:
    current, upcoming = market_federation(), next_version()
    path = tmp_path / "supergraph.graphql"
    path.write_text(current.supergraph_sdl)
    settings = GatewaySettings(supergraph_path=str(path), supergraph_poll_s=0.05)
    app = create_app(current.supergraph_sdl, settings, upcoming.transports())
    before = app.gateway.version
    async with serving(app, lifespan="on"):
        path.write_text(upcoming.supergraph_sdl + "\n")
        for _ in range(400):
            if app.gateway.version != before:
                break
            await asyncio.sleep(0.025)
    assert app.gateway.version != before

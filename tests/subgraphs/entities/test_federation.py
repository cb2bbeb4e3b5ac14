"""Federation: ``_entities`` answers 100 representations with ONE SQL statement (DataLoader-backed references)."""

from __future__ import annotations

from sqlalchemy import select

from kernel.db import Database
from kernel.orgtree import default_org_tree
from subgraphs.entities.models import MarketEntityRow
from subgraphs.entities.seed import seed_entities
from tests.subgraphs.entities.harness import Subgraph
from tests.support.clock import DEFAULT_NOW
from tests.support.statements import statements

ENTITIES = "query($r: [_Any!]!) { _entities(representations: $r) { ... on MarketEntity { uscc name status } } }"


async def test_hundred_representations_cost_one_query(subgraph: Subgraph, database: Database) -> None:
    await seed_entities(database, 150, today=DEFAULT_NOW.date(), tree=default_org_tree(), rng_seed=3, progress=False)
    async with database.transaction() as session:
        keys = list(await session.scalars(select(MarketEntityRow.uscc).order_by(MarketEntityRow.name).limit(99)))
    representations = [{"__typename": "MarketEntity", "uscc": key} for key in keys]
    representations.append({"__typename": "MarketEntity", "uscc": "91440300MA5H7K2P12"})  # not registered here
    with statements(database) as seen:
        data = await subgraph.data(ENTITIES, {"r": representations})
    selects = [s for s in seen if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 1 and "market_entity" in selects[0]
    resolved = data["_entities"]
    assert [item["uscc"] for item in resolved[:99]] == keys  # answers keep the order of the representations
    assert resolved[99] is None


async def test_service_sdl_declares_the_key(subgraph: Subgraph) -> None:
    sdl = (await subgraph.data("{ _service { sdl } }"))["_service"]["sdl"]
    assert 'type MarketEntity @key(fields: "uscc")' in sdl
    assert '@link(url: "https://specs.apollo.dev/federation/v2' in sdl

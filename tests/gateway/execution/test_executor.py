"""Executor behaviour a user notices: deduplicated representations, parallel fetches, cached plans."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from gateway.execution import AsgiSubgraphClient, Gateway
from gateway.planner import LruCache
from tests.gateway.market import market_federation


async def test_entities_are_fetched_once_per_distinct_representation() -> None:
    fed = market_federation()
    gateway = Gateway(fed.supergraph_sdl, fed.transports())
    # Three permits, two holders: the supervision subgraph must see each holder once.
    result = await gateway.execute("{ entities { permits { holder { riskLevel } } } }")
    assert "errors" not in result
    [request] = fed.apps["supervision"].requests
    representations = request["variables"]["representations"]
    assert sorted(r["uscc"] for r in representations) == ["91440300A", "91440300C"]
    assert all(set(r) == {"__typename", "uscc", "category", "employeeCount"} for r in representations)


async def test_independent_fetches_run_in_parallel() -> None:
    fed = market_federation()

    def delayed(name: str) -> AsgiSubgraphClient:
        app = fed.apps[name]

        async def slow(scope: Any, receive: Any, send: Any) -> None:
            await asyncio.sleep(0.4)
            await app(scope, receive, send)

        return AsgiSubgraphClient(name, slow)

    gateway = Gateway(fed.supergraph_sdl, {name: delayed(name) for name in fed.apps})
    started = time.perf_counter()
    result = await gateway.execute('{ entities { uscc } permit(id: "JY1") { kind } inspectionsDue { date } }')
    elapsed = time.perf_counter() - started
    assert "errors" not in result
    assert elapsed < 1.0  # three root fetches on three subgraphs overlap (sequential would take 1.2 s)


async def test_plans_are_cached_per_document_operation_and_conditions() -> None:
    fed = market_federation()
    gateway = Gateway(fed.supergraph_sdl, fed.transports())
    text = "query($s: Boolean!) { entities { name inspections @skip(if: $s) { id } } }"
    prepared = gateway.prepare(text, None)
    first = gateway.plan(text, None, prepared, (True,))
    assert gateway.plan(text, None, gateway.prepare(text, None), (True,)) is first
    other = gateway.plan(text, None, prepared, (False,))
    assert other is not first
    assert len(other.plan.fetches) == 2 and len(first.plan.fetches) == 1


def test_lru_cache_evicts_the_least_recently_used() -> None:
    cache: LruCache[str, int] = LruCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1
    cache.put("c", 3)
    assert cache.get("b") is None
    assert cache.get("a") == 1 and cache.get("c") == 3
    assert len(cache) == 2

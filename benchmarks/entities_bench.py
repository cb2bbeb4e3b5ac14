"""Entities subgraph benchmark on PostgreSQL: bulk seed (COPY) and HTTP latency at the subgraph (uvicorn, 127.0.0.1).

    python -m benchmarks.entities_bench seed [--count 3700000] [--url postgresql+asyncpg://postgres@127.0.0.1/zhijian_bench]
    python -m benchmarks.entities_bench run  [--url ...] [--requests 3000] [--concurrency 8]

Prints: seeding time; entity(uscc) p50/p99 and requests/s; first vs deep entities page; _entities with 100
representations. The subgraph runs in its own uvicorn process (``serve``); the SQL statement count of
``_entities`` is taken in-process (ASGI call, before_cursor_execute listener), since it is a property of the code.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from collections.abc import Sequence

import httpx
from sqlalchemy import event, func, select, tablesample

from benchmarks.subgraph_harness import (
    SignedCaller,
    percentile,
    recreate_database,
    serve_app,
    served_subgraph,
    timed,
    verifier,
)
from kernel.clock import legal_date, system_clock
from kernel.db import Database
from kernel.migrations import upgrade
from kernel.orgtree import default_org_tree
from subgraphs.common.pagination import encode_cursor
from subgraphs.entities.component import component
from subgraphs.entities.models import MarketEntityRow
from subgraphs.entities.seed import seed_entities
from subgraphs.entities.services import EntityServices

DEFAULT_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/zhijian_bench"
PORT = 4091


async def seed(url: str, count: int) -> None:
    await recreate_database(url)
    database = Database.from_url(url, [component.name])
    try:
        await upgrade(database, [component.migrations])
        report = await seed_entities(
            database, count, today=legal_date(system_clock()), tree=default_org_tree(), progress=True
        )
    finally:
        await database.dispose()
    rate = report.entities / report.seconds
    print(
        f"seeded {report.entities:,} entities, {report.listings:,} listings, {report.restrictions:,} restrictions "
        f"in {report.seconds:.1f} s ({rate:,.0f} entities/s, indexes rebuilt and analysed)"
    )


async def run(url: str, requests: int, concurrency: int) -> None:
    database = Database.from_url(url, [component.name])
    async with database.transaction() as session:
        total = await session.scalar(select(func.count()).select_from(MarketEntityRow))
        # a sample of keys spread over the whole key space (TABLESAMPLE avoids reading 3.7 M keys)
        sampled = tablesample(MarketEntityRow.__table__, func.system(0.2))
        sample = list(await session.scalars(select(sampled.c.uscc).limit(requests)))
        deep_after = await session.scalar(
            select(MarketEntityRow.uscc).order_by(MarketEntityRow.uscc).offset((total or 1) * 9 // 10).limit(1)
        )
    print(
        f"PostgreSQL database with {total:,} entities; {len(sample):,} sampled keys; {os.cpu_count()} CPUs on this box"
    )
    async with served_subgraph("benchmarks.entities_bench", url, PORT, concurrency) as client:
        lookup = "query($u: String!) { entity(uscc: $u) { uscc name status district { code } creditFlags } }"
        for key in sample[:200]:  # warm-up: connections, prepared statements
            await timed(client, lookup, {"u": key})
        sequential = [(await timed(client, lookup, {"u": key}))[0] for key in sample]
        print(
            f"entity(uscc), sequential, {len(sequential)} requests: p50 {percentile(sequential, 0.5) * 1000:.2f} ms, "
            f"p99 {percentile(sequential, 0.99) * 1000:.2f} ms, {len(sequential) / sum(sequential):,.0f} req/s"
        )
        queue = list(sample)
        latencies: list[float] = []

        async def worker() -> None:
            while queue:
                latencies.append((await timed(client, lookup, {"u": queue.pop()}))[0])

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        wall = time.perf_counter() - began
        print(
            f"entity(uscc), {concurrency} concurrent clients: {len(latencies) / wall:,.0f} req/s, "
            f"p50 {percentile(latencies, 0.5) * 1000:.2f} ms, p99 {percentile(latencies, 0.99) * 1000:.2f} ms"
        )

        page = (
            "query($a: String, $f: EntityFilter) { entities(first: 20, after: $a, filter: $f) "
            "{ edges { node { uscc name } } pageInfo { hasNextPage endCursor } } }"
        )
        first_cursor = (await timed(client, page, {"a": None}))[1]["data"]["entities"]["pageInfo"]["endCursor"]
        for label, variables in (
            ("first page", {"a": None}),
            ("page 2", {"a": first_cursor}),
            ("page at 90 % of the list", {"a": encode_cursor([deep_after or ""])}),
            ("first page, district 440306", {"a": None, "f": {"districtCode": "440306"}}),
            ("deep page, district 440306", {"a": encode_cursor([deep_after or ""]), "f": {"districtCode": "440306"}}),
            ("nameContains 餐饮管理 (4 chars)", {"a": None, "f": {"nameContains": "餐饮管理"}}),
            ("nameContains 湘川烧腊 (rare)", {"a": None, "f": {"nameContains": "湘川烧腊"}}),
            ("nameContains 湘川 (2 chars, rare)", {"a": None, "f": {"nameContains": "湘川"}}),
            ("nameContains 餐饮 (2 chars, common)", {"a": None, "f": {"nameContains": "餐饮"}}),
            ("onAbnormalList", {"a": None, "f": {"onAbnormalList": True}}),
        ):
            times = [(await timed(client, page, variables))[0] for _ in range(30)]
            print(
                f"entities {label}: p50 {percentile(times, 0.5) * 1000:.2f} ms, "
                f"p99 {percentile(times, 0.99) * 1000:.2f} ms"
            )

        representations = [{"__typename": "MarketEntity", "uscc": key} for key in sample[:100]]
        batch = "query($r: [_Any!]!) { _entities(representations: $r) { ... on MarketEntity { uscc name } } }"
        await timed(client, batch, {"r": representations})
        times = []
        for _ in range(30):
            elapsed, body = await timed(client, batch, {"r": representations})
            times.append(elapsed)
        resolved = sum(1 for item in body["data"]["_entities"] if item)
        print(
            f"_entities with 100 representations: p50 {percentile(times, 0.5) * 1000:.2f} ms, "
            f"p99 {percentile(times, 0.99) * 1000:.2f} ms, {resolved} resolved"
        )
    statements = [0]

    def count(*_: object) -> None:
        statements[0] += 1

    event.listen(database.engine.sync_engine, "before_cursor_execute", count)
    transport = httpx.ASGITransport(app=component.create_app(database, EntityServices(), verifier()))
    async with httpx.AsyncClient(transport=transport, base_url="http://in-process", auth=SignedCaller()) as client:
        await timed(client, batch, {"r": representations})
    print(f"_entities with 100 representations: {statements[0]} SQL statement(s) (in-process count)")
    await database.dispose()


def serve(url: str) -> None:
    """The subgraph alone in this process, as it runs on :4001 in production."""
    serve_app(component.create_app(Database.from_url(url, [component.name]), EntityServices(), verifier()), PORT)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    seeding = commands.add_parser("seed")
    seeding.add_argument("--url", default=DEFAULT_URL)
    seeding.add_argument("--count", type=int, default=3_700_000)
    running = commands.add_parser("run")
    running.add_argument("--url", default=DEFAULT_URL)
    running.add_argument("--requests", type=int, default=3000)
    running.add_argument("--concurrency", type=int, default=8)
    serving = commands.add_parser("serve")
    serving.add_argument("--url", default=DEFAULT_URL)
    args = parser.parse_args(argv)
    if args.command == "seed":
        asyncio.run(seed(args.url, args.count))
    elif args.command == "serve":
        serve(args.url)
    else:
        asyncio.run(run(args.url, args.requests, args.concurrency))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Permits subgraph benchmark on PostgreSQL: bulk seed (COPY), HTTP latency at the subgraph, expiry job.

    python -m benchmarks.permits_bench seed [--count 1000000] [--holders 200000] [--url postgresql+asyncpg://…/zhijian_permits_bench]
    python -m benchmarks.permits_bench run  [--url ...] [--requests 2000] [--concurrency 8]

Prints: seeding rate; permitByNumber p50/p99 sequential and concurrent; first vs deep permits page, by holder;
_entities with 100 representations by number and by id (latency, and SQL statements counted in process); the
expiry job over the whole table. The subgraph runs in its own uvicorn process (``serve``), as on :4002.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import time
from collections.abc import Sequence

import httpx
from sqlalchemy import event, func, select, tablesample

from benchmarks.subgraph_harness import (
    SignedCaller,
    percentile,
    recreate_database,
    report,
    serve_app,
    served_subgraph,
    timed,
    verifier,
)
from kernel.db import Database
from kernel.migrations import upgrade
from kernel.orgtree import default_org_tree
from kernel.uscc import complete_uscc
from subgraphs.common.component import Holder
from subgraphs.common.pagination import encode_cursor
from subgraphs.permits.component import component
from subgraphs.permits.jobs import expire_permits
from subgraphs.permits.models import PermitRow
from subgraphs.permits.registry import InMemoryEntityRegistry
from subgraphs.permits.seed import seed_permits
from subgraphs.permits.services import PermitServices

DEFAULT_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/zhijian_permits_bench"
PORT = 4092
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def holders(count: int) -> list[Holder]:
    """``count`` distinct Shenzhen enterprises (valid USCCs), their premises spread over every station."""
    stations = default_org_tree().stations()
    found = []
    for serial in range(count):
        digits, value = [], serial
        for _ in range(9):
            value, rest = divmod(value, 31)
            digits.append(ALPHABET[rest])
        uscc = complete_uscc("91440300" + "".join(reversed(digits)))
        station = stations[serial % len(stations)]
        district = default_org_tree().district_of(station)
        premises = f"广东省深圳市{district.area}{station.area}示例路{serial % 999 + 1}号"
        found.append(Holder(uscc, f"深圳市基准食品有限公司{serial}", premises, district.region_codes[0]))
    return found


async def seed(url: str, count: int, holder_count: int) -> None:
    await recreate_database(url)
    database = Database.from_url(url, [component.name])
    try:
        await upgrade(database, [component.migrations])
        began = time.perf_counter()
        await seed_permits(database, PermitServices(), count, holders(holder_count), progress=True)
        seconds = time.perf_counter() - began
        async with database.engine.begin() as connection:
            await connection.exec_driver_sql("ANALYZE permits.permit")
    finally:
        await database.dispose()
    print(f"seeded {count:,} permits for {holder_count:,} holders in {seconds:.1f} s ({count / seconds:,.0f} rows/s)")


async def run(url: str, requests: int, concurrency: int) -> None:
    database = Database.from_url(url, [component.name])
    async with database.transaction() as session:
        total = await session.scalar(select(func.count()).select_from(PermitRow))
        sampled = tablesample(PermitRow.__table__, func.system(0.5))
        rows = (
            await session.execute(select(sampled.c.id, sampled.c.number, sampled.c.holder_uscc).limit(requests))
        ).all()
        deep_after = await session.scalar(
            select(PermitRow.number).order_by(PermitRow.number).offset((total or 1) * 9 // 10).limit(1)
        )
    numbers = [row.number for row in rows]
    print(f"PostgreSQL database with {total:,} permits; {len(numbers):,} sampled; {os.cpu_count()} CPUs on this box")
    lookup = "query($n: String!) { permitByNumber(number: $n) { id number status validTo holder { uscc } } }"
    async with served_subgraph("benchmarks.permits_bench", url, PORT, concurrency) as client:
        for number in numbers[:200]:
            await timed(client, lookup, {"n": number})
        sequential = [(await timed(client, lookup, {"n": number}))[0] for number in numbers]
        report(f"permitByNumber, sequential, {len(sequential)} requests", sequential)
        queue, latencies = list(numbers), []

        async def worker() -> None:
            while queue:
                latencies.append((await timed(client, lookup, {"n": queue.pop()}))[0])

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        wall = time.perf_counter() - began
        print(
            f"permitByNumber, {concurrency} concurrent clients: {len(latencies) / wall:,.0f} req/s, "
            f"p50 {percentile(latencies, 0.5) * 1000:.2f} ms, p99 {percentile(latencies, 0.99) * 1000:.2f} ms"
        )
        page = (
            "query($a: String, $f: PermitFilter) { permits(first: 20, after: $a, filter: $f) "
            "{ edges { node { number status } } pageInfo { hasNextPage endCursor } } }"
        )
        for label, variables in (
            ("first page", {"a": None}),
            ("page at 90 % of the list", {"a": encode_cursor([deep_after or ""])}),
            ("one holder", {"a": None, "f": {"holderUscc": rows[0].holder_uscc}}),
            (
                "VALID in 440306, deep",
                {"a": encode_cursor([deep_after or ""]), "f": {"status": "VALID", "premisesRegion": "440306"}},
            ),
        ):
            times = [(await timed(client, page, variables))[0] for _ in range(30)]
            report(f"permits {label}", times)
        batch = "query($r: [_Any!]!) { _entities(representations: $r) { ... on Permit { id number } } }"
        for key, values in (("number", numbers[:100]), ("id", [row.id for row in rows[:100]])):
            representations = [{"__typename": "Permit", key: value} for value in values]
            times = [(await timed(client, batch, {"r": representations}))[0] for _ in range(30)]
            report(f"_entities, 100 Permit by {key}", times)
    statements = [0]

    def count(*_: object) -> None:
        statements[0] += 1

    event.listen(database.engine.sync_engine, "before_cursor_execute", count)
    mixed = [{"__typename": "Permit", "number": n} for n in numbers[:50]] + [
        {"__typename": "Permit", "id": row.id} for row in rows[50:100]
    ]
    app = component.create_app(database, PermitServices(registry=InMemoryEntityRegistry()), verifier())
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://in-process", auth=SignedCaller()) as client:
        await timed(client, batch, {"r": mixed})
    event.remove(database.engine.sync_engine, "before_cursor_execute", count)
    print(f"_entities with 50 by number + 50 by id: {statements[0]} SQL statement(s) (in-process count)")
    began = time.perf_counter()
    month_ahead = dt.datetime.now(dt.UTC) + dt.timedelta(days=30)
    expired = await expire_permits(database, PermitServices(clock=lambda: month_ahead))
    print(f"expire_permits over {total:,} permits: {expired:,} expired in {time.perf_counter() - began:.2f} s")
    await database.dispose()


def serve(url: str) -> None:
    """The subgraph alone in this process, as it runs on :4002 in production."""
    serve_app(
        component.create_app(
            Database.from_url(url, [component.name]), PermitServices(registry=InMemoryEntityRegistry()), verifier()
        ),
        PORT,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    seeding = commands.add_parser("seed")
    seeding.add_argument("--url", default=DEFAULT_URL)
    seeding.add_argument("--count", type=int, default=1_000_000)
    seeding.add_argument("--holders", type=int, default=200_000)
    running = commands.add_parser("run")
    running.add_argument("--url", default=DEFAULT_URL)
    running.add_argument("--requests", type=int, default=2000)
    running.add_argument("--concurrency", type=int, default=8)
    serving = commands.add_parser("serve")
    serving.add_argument("--url", default=DEFAULT_URL)
    args = parser.parse_args(argv)
    if args.command == "seed":
        asyncio.run(seed(args.url, args.count, args.holders))
    elif args.command == "serve":
        serve(args.url)
    else:
        asyncio.run(run(args.url, args.requests, args.concurrency))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

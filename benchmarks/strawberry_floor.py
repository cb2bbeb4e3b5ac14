"""The floor under the hub's figures: Strawberry alone, answering the hub benchmark's three queries from memory.

    python -m benchmarks.strawberry_floor [--seconds 3] [--connections 16]

One uvicorn process (uvloop, httptools, as the hub serves) runs a Strawberry schema of the same shape as the
officer's queries of ``benchmarks/hub_bench.py`` — a Relay page of entities with their permits, a page of permits
with their holders — over objects already in memory, with Strawberry's parser and validation caches (as the hub
has them): no gateway, no database, no identity, no extension of ours. What it costs per request is what
Strawberry, graphql-core and the HTTP server cost for that response before any of our code runs; the hub's CPU per
request is compared with it (issue 17: the part of a request that is ours).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from typing import Generic, TypeVar

import strawberry

from benchmarks.hub_bench import ENTITIES_20, ENTITY_1, PERMITS_20, http_post, load, percentile, wait_until_up

T = TypeVar("T")
PORT = int(os.environ.get("HUB_BENCH_PORT_BASE", "21700")) + 90


@strawberry.type
class Permit:
    number: str
    kind: str
    status: str
    valid_to: dt.date
    holder: MarketEntity


@strawberry.type
class MarketEntity:
    uscc: str
    name: str
    status: str
    district_code: str
    permits: list[Permit]


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type
class Connection(Generic[T]):
    edges: list[Edge[T]]


def _data(count: int = 100) -> tuple[list[MarketEntity], list[Permit]]:
    entities = [MarketEntity(uscc=f"91440300MA5F{i:06d}", name=f"深圳市测试餐饮有限公司{i}", status="ACTIVE",
                             district_code="440304", permits=[]) for i in range(count)]  # fmt: skip
    permits = []
    for index, entity in enumerate(entities):
        permit = Permit(number=f"JY14403040{index:06d}", kind="JY", status="VALID", valid_to=dt.date(2030, 1, 1),
                        holder=entity)  # fmt: skip
        entity.permits.append(permit)
        permits.append(permit)
    return entities, permits


ENTITIES, PERMITS = _data()


@strawberry.type
class Query:
    @strawberry.field
    async def entities(self, first: int = 20) -> Connection[MarketEntity]:
        return Connection(edges=[Edge(cursor=e.uscc, node=e) for e in ENTITIES[:first]])

    @strawberry.field
    async def permits(self, first: int = 20) -> Connection[Permit]:
        return Connection(edges=[Edge(cursor=p.number, node=p) for p in PERMITS[:first]])


def serve(port: int) -> None:
    import uvicorn
    from strawberry.asgi import GraphQL
    from strawberry.extensions import ParserCache, ValidationCache

    caches = (lambda: ParserCache(maxsize=64), lambda: ValidationCache(maxsize=64))
    schema = strawberry.Schema(query=Query, extensions=caches)
    app = GraphQL(schema, graphql_ide=None)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", loop="uvloop", http="httptools")


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def measure(pid: int, query: str, seconds: float, connections: int) -> tuple[int, int, float, float, float]:
    body = ('{"query": "%s"}' % query).encode()  # noqa: UP031 (the queries hold no quote or backslash)
    request = http_post(PORT, "/graphql", body, {})
    await load(PORT, lambda: request, 1.0, connections)
    before = _cpu_seconds(pid)
    outcome = await load(PORT, lambda: request, seconds, connections)
    cpu = _cpu_seconds(pid) - before
    requests = len(outcome.latencies)
    return requests, outcome.errors, percentile(outcome.latencies, 0.5), percentile(outcome.latencies, 0.99), cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    server = subprocess.Popen([sys.executable, "-m", "benchmarks.strawberry_floor", "serve"])
    try:
        asyncio.run(wait_until_up(PORT))
        print(f"Strawberry alone, from memory (load {os.getloadavg()[0]:.1f})")
        print(f"{'workload':<14} {'requests':>8} {'errors':>6} {'p50 ms':>8} {'p99 ms':>8} {'req/CPU-s':>10} "
              f"{'CPU ms/req':>10}")  # fmt: skip
        for name, query in (("entity×1", ENTITY_1), ("entities×20", ENTITIES_20), ("permits×20", PERMITS_20)):
            requests, errors, p50, p99, cpu = asyncio.run(measure(server.pid, query, args.seconds, args.connections))
            print(f"{name:<14} {requests:>8} {errors:>6} {1000 * p50:>8.1f} {1000 * p99:>8.1f} "
                  f"{requests / cpu:>10.0f} {1000 * cpu / requests:>10.2f}")  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=15)
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["serve"]:
        serve(PORT)
    else:
        raise SystemExit(main())

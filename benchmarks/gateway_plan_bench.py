"""Cold and cached planning time for a generated 50-subgraph supergraph.

    .venv/bin/python benchmarks/gateway_plan_bench.py [--subgraphs 50] [--repeat 20]

Each subgraph `s<i>` adds fields to two shared entities (`Product`, `Seller`) and a `@requires`
field, so one query fans out over every subgraph with nested entity jumps.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gateway.composition import SubgraphSource, compose
from gateway.execution import Gateway

LINK = (
    'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires"])\n'
)


def subgraph_sdl(index: int) -> str:
    """Subgraph `s<index>`: its own Product and Seller fields; `est<i>` requires `w<i-1>` of the previous one."""
    root = "type Query { products: [Product] }" if index == 0 else f"type Query {{ dummy{index}: Int }}"
    requires = (
        "" if index == 0 else f'  w{index - 1}: Int @external\n  est{index}: Int @requires(fields: "w{index - 1}")\n'
    )
    return f"""{LINK}{root}
type Product @key(fields: "id") {{
  id: ID!
  p{index}: Int
  w{index}: Int
  seller{index}: Seller
{requires}}}
type Seller @key(fields: "sid") {{
  sid: ID!
  s{index}: String
  tip{index}: Product
}}
"""


def build(count: int) -> str:
    """Compose the generated subgraphs into a supergraph."""
    return compose(
        [SubgraphSource(f"s{i}", f"http://127.0.0.1:1/s{i}", subgraph_sdl(i)) for i in range(count)]
    ).unwrap()


def query(count: int) -> str:
    """A query that touches every subgraph, with nested jumps and `@requires`."""
    fields = " ".join(f"p{i}" for i in range(count))
    estimates = " ".join(f"est{i}" for i in range(1, count, 5))
    nested = " ".join(
        f"seller{i} {{ s{(i + 7) % count} tip{(i + 3) % count} {{ p{(i + 11) % count} }} }}"
        for i in range(0, count, 10)
    )
    return f"query Fanout {{ products {{ id {fields} {estimates} {nested} }} }}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--subgraphs", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    sdl = build(args.subgraphs)
    text = query(args.subgraphs)
    cold: list[float] = []
    fetches = 0
    for _ in range(args.repeat):
        gateway = Gateway(sdl, {})
        started = time.perf_counter()
        prepared = gateway.prepare(text, None)
        planned = gateway.plan(text, None, prepared, ())
        cold.append(time.perf_counter() - started)
        fetches = len(planned.plan.fetches)
    rounds = 100_000
    started = time.perf_counter()
    for _ in range(rounds):
        prepared = gateway.prepare(text, None)
        gateway.plan(text, None, prepared, ())
    cached = (time.perf_counter() - started) / rounds
    print(f"supergraph: {args.subgraphs} subgraphs, {len(sdl):,} bytes; query touches {fetches} fetches")
    print(
        f"cold plan (parse + validate + plan + shape): median {statistics.median(cold) * 1e3:.1f} ms, "
        f"max {max(cold) * 1e3:.1f} ms over {args.repeat} runs"
    )
    print(f"cached plan lookup: {cached * 1e6:.2f} µs")


if __name__ == "__main__":
    main()

"""Cold and cached planning time for a generated 50-subgraph supergraph, and for a fragment-heavy operation.

    .venv/bin/python benchmarks/gateway_plan_bench.py [--subgraphs 50] [--repeat 20] [--fragments 240]

Each subgraph `s<i>` adds fields to two shared entities (`Product`, `Seller`) and a `@requires`
field, so one query fans out over every subgraph with nested entity jumps. The second case is a ~20 KB operation of
hundreds of named fragments over interfaces and their implementations (`Product`, `Similar`, `Dish`, `Drink`), in
chains of eight spreads (graphql-core's overlap check gives up, "Validation aborted.", on one chain of 240), on the
audit-style `abstract_entities` federation of the differential tests (entity jumps and a `@requires` of an abstract
field); budget: plans cold in < 50 ms. Its parse and validation are printed apart: the default limits refuse such
a document (more than 100 fragments; over 0.2 s of validation), so it is measured with the limits raised.
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
from gateway.settings import DocumentLimits

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


FRAGMENT_FEDERATION = Path(__file__).resolve().parents[1] / "tests/gateway/differential/sdl/abstract_entities"
_BODIES = {  # in this order each fragment may spread the one before (no object type follows another)
    "Product": "id sku registeredBy {{ name badge }} reviewsCount",
    "Dish": "reviewsCount registeredBy {{ registrations }} reviewsOfSimilar {{ body }}",
    "Similar": "similar {{ id sku }}",
    "Drink": "sku reviewsCount registeredBy {{ badge }}",
}


def fragment_operation(count: int, chain: int = 8) -> str:
    """`count` named fragments cycling over the interfaces and types, in chains of `chain` (each spreads the one
    before); the operation spreads every chain's last fragment under two root fields."""
    kinds = list(_BODIES)
    fragments = []
    for index in range(count):
        kind = kinds[index % len(kinds)]
        spread = f" ...F{index - 1}" if index % chain else ""
        fragments.append(f"fragment F{index} on {kind} {{ {_BODIES[kind].format()} __typename{spread} }}")
    heads = " ".join(f"...F{index}" for index in range(chain - 1, count, chain))
    return f'query Fragments {{ products {{ {heads} }} similar(id: "d1") {{ {heads} }} }}\n' + "\n".join(fragments)


def fragment_case(count: int, repeat: int) -> None:
    sources = [
        SubgraphSource(path.stem, f"http://127.0.0.1:1/{path.stem}", path.read_text(encoding="utf-8"))
        for path in sorted(FRAGMENT_FEDERATION.glob("*.graphql"))
    ]
    sdl = compose(sources).unwrap()
    text = fragment_operation(count)
    # The default limits refuse more than 100 fragments; this measures an operator who raised them.
    limits = DocumentLimits(
        max_bytes=1 << 20, max_tokens=1 << 20, max_fields=1 << 20, max_fragments=1 << 20, validation_budget_s=60.0
    )
    prepare: list[float] = []
    plan: list[float] = []
    fetches = 0
    for _ in range(repeat):
        gateway = Gateway(sdl, {}, document_limits=limits)
        started = time.perf_counter()
        prepared = gateway.prepare(text, None)
        validated = time.perf_counter()
        planned = gateway.plan(text, None, prepared, ())
        plan.append(time.perf_counter() - validated)
        prepare.append(validated - started)
        fetches = len(planned.plan.fetches)
    print(
        f"fragment-heavy operation: {len(text.encode()):,} bytes, {count} fragments over interfaces, "
        f"{fetches} fetches over {repeat} cold runs: plan median {statistics.median(plan) * 1e3:.1f} ms "
        f"(max {max(plan) * 1e3:.1f}; budget 50 ms); parse + validate median "
        f"{statistics.median(prepare) * 1e3:.0f} ms (graphql-core's overlapping-fields rule)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--subgraphs", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--fragments", type=int, default=240, help="fragments in the fragment-heavy case (0: skip)")
    args = parser.parse_args()
    if args.fragments:
        fragment_case(args.fragments, args.repeat)
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

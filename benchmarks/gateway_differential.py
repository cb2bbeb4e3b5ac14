"""The differential test's long mode: thousands of seeded random operations per fixture.

    .venv/bin/python -m benchmarks.gateway_differential [--operations 2000] [--seed zhijian] [--fixture NAME ...]
    .venv/bin/python -m benchmarks.gateway_differential --subgraphs FILE.json ...  # e.g. an audit suite's

Runs every fixture of `tests/gateway/differential/fixtures.py` (or the named ones; `--subgraphs` takes
`[{"name": ..., "sdl": ...}, ...]` files such as the federation audit serves at `/<suite>/subgraphs`) through
the gateway against in-process subgraphs and the merged reference schema; prints operations run, operations
per second, broken invariants by kind and each failure cut down to a minimal operation. Exit status 1 when
anything failed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.gateway.differential.check import Fixture
from tests.gateway.differential.fixtures import SIDE_EFFECTS, build_fixture, fixture_names
from tests.gateway.differential.runner import explore
from tests.gateway.differential.synthetic import SyntheticFederation


def jobs_of(args: argparse.Namespace) -> list[tuple[str, Callable[[], Fixture]]]:
    """(name, builder) of every fixture to run."""
    jobs: list[tuple[str, Callable[[], Fixture]]] = []
    for path in args.subgraphs:
        sources = [(s["name"], s["sdl"]) for s in json.loads(Path(path).read_text(encoding="utf-8"))]
        name = Path(path).name.removesuffix(".json").removesuffix(".subgraphs")
        jobs.append((name, partial(SyntheticFederation, name, sources)))
    if not args.subgraphs or args.fixture:
        jobs.extend((name, partial(build_fixture, name)) for name in args.fixture or fixture_names())
    return jobs


async def run(args: argparse.Namespace, jobs: list[tuple[str, Callable[[], Fixture]]]) -> int:
    """Explore each fixture in turn; the number of fixtures with failures."""
    failing = 0
    total = 0
    started_all = time.perf_counter()
    for name, build in jobs:
        started = time.perf_counter()
        try:
            fixture = build()
        except Exception as error:  # a supergraph our composition rejects is reported, not fatal
            print(f"{name}: not run ({type(error).__name__}: {str(error).splitlines()[0]})")
            continue
        result = await explore(
            fixture, args.operations, seed=args.seed, mutations=name.removeprefix("kit_") not in SIDE_EFFECTS
        )
        elapsed = time.perf_counter() - started
        total += result.operations
        kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(result.kinds.items())) or "none"
        print(f"{name}: {result.operations} operations, {result.operations / elapsed:.0f}/s, failing: {kinds}")
        for finding in result.findings:
            print("  " + finding.report().replace("\n", "\n  "))
        failing += bool(result.findings)
        sys.stdout.flush()
    elapsed = time.perf_counter() - started_all
    print(f"== {total} operations over {len(jobs)} fixtures in {elapsed:.0f} s; fixtures failing: {failing} ==")
    return failing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--operations", type=int, default=2000, help="random operations per fixture")
    parser.add_argument("--seed", default="zhijian")
    parser.add_argument("--fixture", action="append", default=[], help="a fixture name (repeatable)")
    parser.add_argument("--subgraphs", action="append", default=[], help="a JSON list of {name, sdl} (repeatable)")
    args = parser.parse_args()
    sys.exit(1 if asyncio.run(run(args, jobs_of(args))) else 0)


if __name__ == "__main__":
    main()

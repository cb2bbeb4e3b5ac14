"""`python -m gateway.composition NAME=URL=SDL_FILE ... [--out FILE]`: compose subgraph SDL files into a supergraph."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from gateway.composition.compose import compose
from gateway.composition.result import SubgraphSource


def main(argv: Sequence[str] | None = None) -> int:
    """Compose, write the supergraph (stdout by default); print errors with their codes and exit 1 on failure."""
    parser = argparse.ArgumentParser(prog="python -m gateway.composition", description=__doc__)
    parser.add_argument("subgraphs", nargs="+", metavar="NAME=URL=SDL_FILE")
    parser.add_argument("--out", type=Path, help="write the supergraph here instead of stdout")
    args = parser.parse_args(argv)
    sources: list[SubgraphSource] = []
    for spec in args.subgraphs:
        name, _, rest = spec.partition("=")
        url, _, path = rest.rpartition("=")
        if not name or not url or not path:
            parser.error(f"expected NAME=URL=SDL_FILE, got {spec!r}")
        sources.append(SubgraphSource(name, url, Path(path).read_text(encoding="utf-8")))
    result = compose(sources)
    for error in result.errors:
        print(f"error: {error}", file=sys.stderr)
    for hint in result.hints:
        print(f"hint: {hint.code}: {hint.message}", file=sys.stderr)
    if result.supergraph_sdl is None:
        return 1
    if args.out is None:
        sys.stdout.write(result.supergraph_sdl + "\n")
    else:
        args.out.write_text(result.supergraph_sdl + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

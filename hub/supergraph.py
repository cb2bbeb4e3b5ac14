"""The hub's supergraph: every subgraph's SDL composed in Python (``zhijian compose``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from gateway.composition import SubgraphSource, compose
from hub.settings import SUBGRAPH_PORTS
from subgraphs.common.schema_export import load_schema, print_sdl


def _compose(sdl_of: Callable[[str], str], host: str, ports: Mapping[str, int]) -> str:
    """Compose every subgraph, each at ``http://host:port/graphql``; raises ``CompositionFailed`` on conflicts."""
    return compose(
        [SubgraphSource(name, f"http://{host}:{ports[name]}/graphql", sdl_of(name)) for name in SUBGRAPH_PORTS]
    ).unwrap()


def compose_files(schema_dir: Path, host: str = "127.0.0.1") -> str:
    """Compose the checked-in ``schema/<name>.graphql`` contracts."""
    return _compose(lambda name: (schema_dir / f"{name}.graphql").read_text(encoding="utf-8"), host, SUBGRAPH_PORTS)


def compose_code(host: str, ports: Mapping[str, int] = SUBGRAPH_PORTS) -> str:
    """Compose the subgraphs' schemas as they are in this build (the embedded hub)."""
    return _compose(lambda name: print_sdl(load_schema(name)), host, ports)


def write_supergraph(schema_dir: Path) -> Path:
    """Write ``schema/supergraph.graphql`` from the subgraph contracts beside it."""
    path = schema_dir / "supergraph.graphql"
    path.write_text(compose_files(schema_dir), encoding="utf-8")
    return path

"""The hub's supergraph: every subgraph's SDL composed in Python (``zhijian compose``)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from gateway.composition import SubgraphSource, compose
from hub.settings import SUBGRAPH_PORTS
from subgraphs.common.schema_export import load_schema, print_sdl


def subgraph_url(name: str, host: str = "127.0.0.1", ports: Mapping[str, int] = SUBGRAPH_PORTS) -> str:
    return f"http://{host}:{ports[name]}/graphql"


def compose_files(schema_dir: Path, host: str = "127.0.0.1") -> str:
    """Compose the checked-in ``schema/<name>.graphql`` contracts; raises ``CompositionFailed`` on conflicts."""
    sources = [
        SubgraphSource(name, subgraph_url(name, host), (schema_dir / f"{name}.graphql").read_text(encoding="utf-8"))
        for name in SUBGRAPH_PORTS
    ]
    return compose(sources).unwrap()


def compose_code(host: str, ports: Mapping[str, int] = SUBGRAPH_PORTS) -> str:
    """Compose the subgraphs' schemas as they are in this build (the embedded hub)."""
    sources = [
        SubgraphSource(name, subgraph_url(name, host, ports), print_sdl(load_schema(name))) for name in SUBGRAPH_PORTS
    ]
    return compose(sources).unwrap()


def write_supergraph(schema_dir: Path) -> Path:
    """Write ``schema/supergraph.graphql`` from the subgraph contracts beside it."""
    path = schema_dir / "supergraph.graphql"
    path.write_text(compose_files(schema_dir), encoding="utf-8")
    return path

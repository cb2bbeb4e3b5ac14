"""The SDL contract of each subgraph: found by convention (``subgraphs/<name>/schema.py`` exporting ``schema``),
printed by strawberry, and written to ``schema/<name>.graphql`` (``zhijian schema export``)."""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

import strawberry

from subgraphs.common.errors import InternalError


def print_sdl(schema: strawberry.Schema) -> str:
    """The schema's SDL as checked in: strawberry's printer output plus a final newline."""
    return schema.as_str().rstrip("\n") + "\n"


def subgraph_names() -> tuple[str, ...]:
    """Every subgraph package that has a ``schema.py``, sorted."""
    root = resources.files("subgraphs")
    return tuple(sorted(entry.name for entry in root.iterdir() if entry.is_dir() and (entry / "schema.py").is_file()))


def load_schema(name: str) -> strawberry.Schema:
    """The ``schema`` object of ``subgraphs.<name>.schema``."""
    module = importlib.import_module(f"subgraphs.{name}.schema")
    schema = getattr(module, "schema", None)
    if not isinstance(schema, strawberry.Schema):
        raise InternalError(f"subgraphs/{name}/schema.py must export a strawberry schema named 'schema'")
    return schema


def export_schemas(directory: Path, names: Iterable[str] | None = None) -> tuple[Path, ...]:
    """Write ``<directory>/<name>.graphql`` for each subgraph (all by default); returns the files written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name in subgraph_names() if names is None else tuple(names):
        path = directory / f"{name}.graphql"
        path.write_text(print_sdl(load_schema(name)), encoding="utf-8")
        written.append(path)
    return tuple(written)

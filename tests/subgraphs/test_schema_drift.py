"""The checked-in SDL (``schema/<name>.graphql``) is what the code serves, for every subgraph with a schema.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from subgraphs.common.schema_export import load_schema, print_sdl, subgraph_names

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "schema"


def test_entities_is_discovered() -> None:
    assert "entities" in subgraph_names()


@pytest.mark.parametrize("name", subgraph_names())
def test_checked_in_sdl_matches_the_code(name: str) -> None:
    path = SCHEMA_DIR / f"{name}.graphql"
    assert path.is_file(), f"schema/{name}.graphql is missing: run `zhijian schema export`"
    assert path.read_text(encoding="utf-8") == print_sdl(load_schema(name)), (
        f"schema/{name}.graphql differs from subgraphs/{name}/schema.py: run `zhijian schema export`"
    )

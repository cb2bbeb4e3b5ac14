"""The checked-in contracts are what the code serves: each subgraph's SDL, and the supergraph composed from them."""

from pathlib import Path

import pytest

from hub.components import SUBGRAPHS
from hub.supergraph import compose_code, compose_files, print_sdl

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "schema"


@pytest.mark.parametrize("component", SUBGRAPHS, ids=lambda component: component.name)
def test_checked_in_sdl_matches_the_code(component: object) -> None:
    name = component.name  # type: ignore[attr-defined]
    path = SCHEMA_DIR / f"{name}.graphql"
    assert path.is_file(), f"schema/{name}.graphql is missing: run `zhijian schema export`"
    assert path.read_text(encoding="utf-8") == print_sdl(component.schema), (  # type: ignore[attr-defined]
        f"schema/{name}.graphql differs from subgraphs/{name}/schema.py: run `zhijian schema export`"
    )


def test_schema_supergraph_graphql_matches_composition_of_the_subgraph_files() -> None:
    composed = compose_files(SCHEMA_DIR)
    assert (SCHEMA_DIR / "supergraph.graphql").read_text(encoding="utf-8") == composed, (
        "schema/supergraph.graphql is stale: run `zhijian schema export && zhijian compose`"
    )


def test_composing_from_code_gives_the_same_supergraph() -> None:
    assert compose_code("127.0.0.1", {}) == compose_files(SCHEMA_DIR)


def test_the_supergraph_joins_entities_and_permits_on_the_uscc_key() -> None:
    supergraph = (SCHEMA_DIR / "supergraph.graphql").read_text(encoding="utf-8")
    assert '@join__graph(name: "entities", url: "http://127.0.0.1:4001/graphql")' in supergraph
    assert '@join__type(graph: PERMITS, key: "uscc"' in supergraph

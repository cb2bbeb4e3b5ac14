"""The checked-in supergraph is exactly what composing the checked-in subgraph contracts gives."""

from pathlib import Path

from hub.supergraph import compose_code, compose_files

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "schema"


def test_schema_supergraph_graphql_matches_composition_of_the_subgraph_files() -> None:
    composed = compose_files(SCHEMA_DIR)
    assert (SCHEMA_DIR / "supergraph.graphql").read_text(encoding="utf-8") == composed, (
        "schema/supergraph.graphql is stale: run `zhijian schema export && zhijian compose`"
    )


def test_composing_from_code_gives_the_same_supergraph() -> None:
    assert compose_code("127.0.0.1") == compose_files(SCHEMA_DIR)


def test_the_supergraph_joins_entities_and_permits_on_the_uscc_key() -> None:
    supergraph = (SCHEMA_DIR / "supergraph.graphql").read_text(encoding="utf-8")
    assert '@join__graph(name: "entities", url: "http://127.0.0.1:4001/graphql")' in supergraph
    assert '@join__type(graph: PERMITS, key: "uscc"' in supergraph

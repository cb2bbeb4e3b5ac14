"""Progressive `@override(label:)`: the old owner serves until the label is active."""

from __future__ import annotations

from graphql import OperationType

from gateway.composition import SubgraphSource, compose
from gateway.operation import normalize, prepare_operation
from gateway.planner import build_plan
from gateway.query_graph import QueryGraph
from gateway.supergraph import build_api_schema, parse_supergraph

LEGACY = """
extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
type Query { station(id: ID!): Station }
type Station @key(fields: "id") { id: ID! grade: String }
"""
MODERN = """
extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@override"])
type Station @key(fields: "id") { id: ID! grade: String @override(from: "legacy", label: "rollout") }
"""


def _subgraphs_used(active: frozenset[str]) -> list[str]:
    supergraph = parse_supergraph(
        compose(
            [
                SubgraphSource("legacy", "http://127.0.0.1:1", LEGACY),
                SubgraphSource("modern", "http://127.0.0.1:2", MODERN),
            ]
        ).unwrap()
    )
    prepared = prepare_operation(build_api_schema(supergraph), '{ station(id: "1") { grade } }', None)
    plan = build_plan(QueryGraph(supergraph, active), OperationType.QUERY, normalize(prepared, ()))
    return [node.subgraph for node in plan.fetches]


def test_label_off_keeps_the_old_owner() -> None:
    assert _subgraphs_used(frozenset()) == ["legacy"]


def test_label_on_moves_the_field() -> None:
    assert _subgraphs_used(frozenset({"rollout"})) == ["legacy", "modern"]

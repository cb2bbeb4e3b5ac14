"""Stage 4: pure, synchronous query planning over the query graph."""

from __future__ import annotations

from graphql import OperationType

from gateway.planner.builder import PlanBuilder
from gateway.planner.cache import LruCache
from gateway.planner.errors import PlanningError
from gateway.planner.nodes import EntityCall, FetchNode, QueryPlan, Rename, RepresentationField
from gateway.planner.render import render_plan
from gateway.query_graph import QueryGraph, Selection


def build_plan(
    graph: QueryGraph,
    kind: OperationType,
    selections: tuple[Selection, ...],
    variable_types: dict[str, str] | None = None,
) -> QueryPlan:
    """Plan a normalized operation; raise `PlanningError` when the supergraph cannot serve it."""
    return PlanBuilder(graph, variable_types or {}).plan_operation(kind, selections)


__all__ = [
    "EntityCall",
    "FetchNode",
    "LruCache",
    "PlanningError",
    "QueryPlan",
    "Rename",
    "RepresentationField",
    "build_plan",
    "render_plan",
]

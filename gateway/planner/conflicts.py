"""Alias fields whose response shapes differ where a subgraph would merge them (GraphQL spec §5.3.2).

Sibling fragments on different object types may select one response key with different types
(`... on User { id }` is `ID!`, `... on Admin { id }` is `ID`), also deep below fields merged across
fragments. The client's operation was valid against the supergraph, but the subgraph's own validation
(SameResponseShape) rejects it; the later occurrence gets an alias, renamed back after the fetch.
"""

from __future__ import annotations

from gateway.planner.fetch_builder import FieldBuilder, SelectionBuilder
from gateway.query_graph import QueryGraph
from gateway.supergraph.records import SubgraphName

_Occurrence = tuple[str, SelectionBuilder, str, FieldBuilder]
"""(parent type, container, response key, field)."""


def alias_shape_conflicts(graph: QueryGraph, subgraph: SubgraphName, root: SelectionBuilder, type_name: str) -> None:
    """Alias, in place, every field that would break SameResponseShape in `subgraph`."""
    _resolve(graph, subgraph, [(root, type_name)])


def _resolve(graph: QueryGraph, subgraph: SubgraphName, merged: list[tuple[SelectionBuilder, str]]) -> None:
    """`merged`: selection sets the subgraph merges into one (same response key above them)."""
    occurrences: dict[str, list[_Occurrence]] = {}
    for selection, type_name in merged:
        _gather(selection, type_name, occurrences)
    for key, items in occurrences.items():
        first_signature: str | None = None
        kept: list[tuple[SelectionBuilder, str]] = []
        for parent, container, _, builder in items:
            signature = _signature(graph, subgraph, parent, builder)
            if first_signature is None:
                first_signature = signature
            elif signature != first_signature and container is not items[0][1]:
                _alias(container, key, parent)
                continue
            if builder.composite:
                kept.append((builder.sub, _child_type(graph, parent, builder)))
        if kept:
            _resolve(graph, subgraph, kept)


def _gather(selection: SelectionBuilder, type_name: str, out: dict[str, list[_Occurrence]]) -> None:
    for key, builder in selection.fields.items():
        out.setdefault(key, []).append((type_name, selection, key, builder))
    for condition, fragment in selection.fragments.items():
        _gather(fragment, condition, out)


def _signature(graph: QueryGraph, subgraph: SubgraphName, parent: str, builder: FieldBuilder) -> str:
    """What must agree between merged fields: the full type for leaves, the list/non-null wrapping otherwise."""
    if builder.name == "__typename":
        return "String!"
    declared = graph.subgraph_field_type(subgraph, parent, builder.name)
    return "".join(c for c in declared if c in "[]!") if builder.composite else declared


def _child_type(graph: QueryGraph, parent: str, builder: FieldBuilder) -> str:
    try:
        return graph.field_shape(parent, builder.name).type_name
    except KeyError:
        return parent


def _alias(container: SelectionBuilder, key: str, parent: str) -> None:
    alias = f"{key}__{parent}"
    while alias in container.fields:
        alias += "_"
    container.fields = {(alias if k == key else k): v for k, v in container.fields.items()}
    container.renames[alias] = key

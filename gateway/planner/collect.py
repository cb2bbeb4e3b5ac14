"""Collect and merge a selection's fields for one runtime type (GraphQL spec §6.3.2 CollectFields)."""

from __future__ import annotations

from gateway.query_graph import Field, InlineFragment, QueryGraph, Selection


def fragment_applies(graph: QueryGraph, condition: str | None, type_name: str) -> bool:
    """DoesFragmentTypeApply: `condition` is absent, the type itself, or an abstract type containing it."""
    if condition is None or condition == type_name:
        return True
    possible = graph.possible_types(condition)
    if graph.is_abstract(type_name):
        own = graph.possible_types(type_name)
        return graph.is_abstract(condition) and bool(own) and set(own) <= set(possible)
    return type_name in possible


def collect_fields(graph: QueryGraph, selections: tuple[Selection, ...], type_name: str) -> list[Field]:
    """Fields selected on `type_name`, merged by response key in first-seen order."""
    merged: dict[str, Field] = {}
    _collect(graph, selections, type_name, merged)
    return list(merged.values())


def _collect(graph: QueryGraph, selections: tuple[Selection, ...], type_name: str, out: dict[str, Field]) -> None:
    for selection in selections:
        if isinstance(selection, Field):
            existing = out.get(selection.response_key)
            if existing is None:
                out[selection.response_key] = selection
            elif selection.selections:
                out[selection.response_key] = Field(
                    existing.response_key,
                    existing.name,
                    existing.arguments,
                    existing.selections + selection.selections,
                )
        elif fragment_applies(graph, selection.type_condition, type_name):
            _collect(graph, selection.selections, type_name, out)


def leftover_fragments(
    graph: QueryGraph, selections: tuple[Selection, ...], type_name: str
) -> tuple[InlineFragment, ...]:
    """Fragments that do not apply to `type_name` as a whole (they narrow to some of its types)."""
    result: list[InlineFragment] = []
    for selection in selections:
        if isinstance(selection, InlineFragment):
            if fragment_applies(graph, selection.type_condition, type_name):
                result.extend(leftover_fragments(graph, selection.selections, type_name))
            else:
                result.append(selection)
    return tuple(result)


def split_units(graph: QueryGraph, selections: tuple[Selection, ...], type_name: str) -> list[Selection]:
    """The selection cut into single fields, each inside the type conditions it sits under.

    Fragments that apply to `type_name` as a whole are dissolved, so `... on T { a b }` at a position of
    `T` splits like `a b` (a subgraph may serve `a` but not `b`).
    """
    units: list[Selection] = []
    for selection in selections:
        if isinstance(selection, Field):
            units.append(selection)
        elif fragment_applies(graph, selection.type_condition, type_name):
            units.extend(split_units(graph, selection.selections, type_name))
        else:
            condition = selection.type_condition
            assert condition is not None
            units.extend(InlineFragment(condition, (u,)) for u in split_units(graph, selection.selections, condition))
    return units

"""Field sets (`@key(fields:)`, `@requires`, `@provides`): parsing and the fields they select in a subgraph."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from graphql import (
    FieldNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    parse,
)

from gateway.composition.subgraph import Kind, Subgraph
from gateway.composition.typeref import named_type


@dataclass(frozen=True, slots=True)
class Selected:
    """One field a field set selects: its parent type, the field, and whether it was reachable."""

    parent: str
    field: str
    exists: bool
    has_args: bool = False
    type: str = ""
    under_external: bool = False
    has_selection: bool = False
    arguments: tuple[str, ...] = ()


def parse_field_set(fields: str) -> SelectionSetNode:
    """Parse `id organization { id }` as a selection set; raises GraphQLError on bad syntax."""
    operation = parse("{" + fields + "}", no_location=True).definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    return operation.selection_set


def selected_fields(
    subgraph: Subgraph, parent: str, fields: str, is_external: Callable[[str], bool] = lambda _: False
) -> tuple[Selected, ...] | None:
    """Every field the set selects, depth first; None when the text does not parse."""
    try:
        selection_set = parse_field_set(fields)
    except GraphQLError:
        return None
    return collect_selected(subgraph, parent, selection_set, is_external)


def collect_selected(
    subgraph: Subgraph, parent: str, selection_set: SelectionSetNode, is_external: Callable[[str], bool]
) -> tuple[Selected, ...]:
    """Every field an already parsed field set selects, depth first."""
    out: list[Selected] = []
    _collect(subgraph, parent, selection_set, out, is_external, False)
    return tuple(out)


def _collect(
    subgraph: Subgraph,
    parent: str,
    selection_set: SelectionSetNode,
    out: list[Selected],
    is_external: Callable[[str], bool],
    under_external: bool,
) -> None:
    parent_type = subgraph.type(parent)
    for selection in selection_set.selections:
        if isinstance(selection, InlineFragmentNode):
            target = selection.type_condition.name.value if selection.type_condition else parent
            _collect(subgraph, target, selection.selection_set, out, is_external, under_external)
            continue
        if not isinstance(selection, FieldNode):
            continue
        name = selection.name.value
        if name == "__typename":
            continue
        definition = parent_type.field(name) if parent_type else None
        if definition is None:
            out.append(Selected(parent, name, False))
            continue
        out.append(
            Selected(
                parent,
                name,
                True,
                bool(selection.arguments),
                definition.type,
                under_external,
                selection.selection_set is not None,
                tuple(a.name.value for a in selection.arguments or ()),
            )
        )
        if selection.selection_set is not None:
            nested = under_external or _externally_provided(subgraph, parent, name, is_external)
            _collect(subgraph, named_type(definition.type), selection.selection_set, out, is_external, nested)


def _externally_provided(subgraph: Subgraph, parent: str, name: str, is_external: Callable[[str], bool]) -> bool:
    """The field is external, or (on an interface) external in some implementation."""
    if is_external(f"{parent}.{name}"):
        return True
    return any(
        parent in t.interfaces and t.field(name) is not None and is_external(f"{t.name}.{name}") for t in subgraph.types
    )


def abstract_kind(subgraph: Subgraph, selected: Selected) -> str | None:
    """`Interface` or `Union` when the selected field has such a type (not allowed in `@key`)."""
    target = subgraph.type(named_type(selected.type))
    if target is not None and target.kind in (Kind.INTERFACE, Kind.UNION):
        return target.kind.name.capitalize()
    return None

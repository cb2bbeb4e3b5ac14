"""Selections as immutable data: the shape shared by operations, keys, `@requires` and `@provides`."""

from __future__ import annotations

from dataclasses import dataclass

from graphql import (
    FieldNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValueNode,
    parse,
)


@dataclass(frozen=True, slots=True)
class Field:
    """A field selection; `arguments` keep their AST values so variables survive until execution."""

    response_key: str
    name: str
    arguments: tuple[tuple[str, ValueNode], ...] = ()
    selections: tuple[Selection, ...] = ()


@dataclass(frozen=True, slots=True)
class InlineFragment:
    """An inline fragment; `type_condition` None means the enclosing type."""

    type_condition: str | None
    selections: tuple[Selection, ...]


Selection = Field | InlineFragment


def parse_field_set(text: str) -> tuple[Selection, ...]:
    """Parse a `join__FieldSet` string (`"id"`, `"price(currency: \\"USD\\") weight"`, `"a { b }"`)."""
    try:
        document = parse("{" + text + "}", no_location=True)
    except GraphQLError as error:
        raise ValueError(f"invalid field set {text!r}: {error.message}") from error
    operation = document.definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    return from_selection_set(operation.selection_set)


def field_from_node(node: FieldNode, selections: tuple[Selection, ...]) -> Field:
    """A `Field` for an AST field node whose sub-selection is already converted."""
    return Field(
        response_key=node.alias.value if node.alias else node.name.value,
        name=node.name.value,
        arguments=tuple((a.name.value, a.value) for a in node.arguments or ()),
        selections=selections,
    )


def from_selection_set(node: SelectionSetNode | None) -> tuple[Selection, ...]:
    """Convert a directive-free AST selection set (a field set) into `Selection`s."""
    if node is None:
        return ()
    result: list[Selection] = []
    for selection in node.selections:
        if isinstance(selection, FieldNode):
            result.append(field_from_node(selection, from_selection_set(selection.selection_set)))
        elif isinstance(selection, InlineFragmentNode):
            condition = selection.type_condition.name.value if selection.type_condition else None
            result.append(InlineFragment(condition, from_selection_set(selection.selection_set)))
        else:
            raise ValueError("field sets cannot contain fragment spreads")
    return tuple(result)

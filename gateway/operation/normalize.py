"""Turn the picked operation into plain `Selection`s: fragments inlined, `@skip`/`@include` applied.

Spec: GraphQL §6.3.2 CollectFields (directive handling) — the field merging itself happens later.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import (
    BooleanValueNode,
    DirectiveNode,
    FieldNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    SelectionSetNode,
    VariableNode,
)

from gateway.operation.document import PreparedOperation
from gateway.query_graph import InlineFragment, Selection
from gateway.query_graph.selection import field_from_node


def condition_values(prepared: PreparedOperation, variables: Mapping[str, Any]) -> tuple[bool, ...]:
    """Values of the `@skip`/`@include` variables, in `prepared.condition_variables` order."""
    return tuple(bool(variables.get(name)) for name in prepared.condition_variables)


def normalize(prepared: PreparedOperation, conditions: tuple[bool, ...]) -> tuple[Selection, ...]:
    """The operation's root selections with fragment spreads inlined and excluded selections removed."""
    values = dict(zip(prepared.condition_variables, conditions, strict=True))
    return _selections(prepared, prepared.operation.selection_set, values, frozenset())


def _included(directives: tuple[DirectiveNode, ...] | None, values: Mapping[str, bool]) -> bool:
    """GraphQL §3.13: `@skip(if: true)` or `@include(if: false)` removes the selection."""
    for directive in directives or ():
        name = directive.name.value
        if name not in ("skip", "include"):
            continue
        condition = True
        for argument in directive.arguments or ():
            if argument.name.value != "if":
                continue
            if isinstance(argument.value, VariableNode):
                condition = values.get(argument.value.name.value, False)
            elif isinstance(argument.value, BooleanValueNode):
                condition = argument.value.value
        if (name == "skip" and condition) or (name == "include" and not condition):
            return False
    return True


def _selections(
    prepared: PreparedOperation,
    node: SelectionSetNode | None,
    values: Mapping[str, bool],
    visiting: frozenset[str],
) -> tuple[Selection, ...]:
    if node is None:
        return ()
    result: list[Selection] = []
    for selection in node.selections:
        if not _included(selection.directives, values):
            continue
        if isinstance(selection, FieldNode):
            inner = _selections(prepared, selection.selection_set, values, visiting)
            result.append(field_from_node(selection, inner))
        elif isinstance(selection, InlineFragmentNode):
            condition = selection.type_condition.name.value if selection.type_condition else None
            inner = _selections(prepared, selection.selection_set, values, visiting)
            result.append(InlineFragment(condition, inner))
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            fragment = prepared.fragments.get(name)
            if fragment is None or name in visiting:
                continue  # validation already rejects unknown and cyclic spreads
            inner = _selections(prepared, fragment.selection_set, values, visiting | {name})
            result.append(InlineFragment(fragment.type_condition.name.value, inner))
    return tuple(result)

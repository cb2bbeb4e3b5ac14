"""Print a fetch's selection as the compact GraphQL operation sent to its subgraph."""

from __future__ import annotations

from typing import TYPE_CHECKING

from graphql import ListValueNode, ObjectValueNode, OperationType, ValueNode, VariableNode, print_ast

from gateway.planner.nodes import EntityCall

if TYPE_CHECKING:
    from gateway.planner.fetch_builder import SelectionBuilder


def render_fetch_operation(
    root: SelectionBuilder, entity: EntityCall | None, kind: OperationType, variable_types: dict[str, str]
) -> tuple[str, tuple[str, ...]]:
    """The operation text and the client variables it uses."""
    used: list[str] = []
    body = _selection(root, used)
    variables = tuple(sorted(set(used)))
    declared = [f"${name}:{variable_types[name]}" for name in variables if name in variable_types]
    if entity is not None:
        declared.insert(0, "$representations:[_Any!]!")
        body = f"_entities(representations:$representations){{...on {entity.typename}{{{body}}}}}"
    header = kind.value
    if declared:
        header += "(" + ",".join(declared) + ")"
    return f"{header}{{{body}}}", variables


def _selection(sel: SelectionBuilder, used: list[str]) -> str:
    parts: list[str] = []
    for key, f in sel.fields.items():
        text = key if key == f.name else f"{key}:{f.name}"
        if f.arguments:
            args = []
            for name, value in f.arguments:
                _variables(value, used)
                args.append(f"{name}:{print_ast(value)}")
            text += "(" + ",".join(args) + ")"
        if f.composite or f.sub.fields or f.sub.fragments:
            inner = _selection(f.sub, used)
            text += "{" + (inner or "__typename") + "}"
        parts.append(text)
    for condition, fragment in sel.fragments.items():
        inner = _selection(fragment, used)
        if inner:
            parts.append(f"...on {condition}{{{inner}}}")
    return " ".join(parts)


def _variables(value: ValueNode, used: list[str]) -> None:
    if isinstance(value, VariableNode):
        used.append(value.name.value)
    elif isinstance(value, ListValueNode):
        for item in value.values:
            _variables(item, used)
    elif isinstance(value, ObjectValueNode):
        for object_field in value.fields:
            _variables(object_field.value, used)

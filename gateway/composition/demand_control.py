"""Demand control directives (`@cost`, `@listSize`, https://specs.apollo.dev/cost/v0.1): when subgraphs apply
them differently, arguments merge like Apollo's strategies — `weight` and `assumedSize` by maximum, the list
arguments by union, `requireOneSlicingArgument` by AND."""

from __future__ import annotations

from collections.abc import Sequence

from graphql import BooleanValueNode, IntValueNode, ListValueNode, StringValueNode, parse_value, print_ast
from graphql.language import ValueNode

from gateway.composition.context import Reporter
from gateway.composition.subgraph import COMPOSITE, Applied, Field, Kind, Subgraph
from gateway.composition.typeref import is_list, named_type

LIST_SIZE_ARGUMENTS = ("assumedSize", "slicingArguments", "sizedFields", "requireOneSlicingArgument")


def merge_demand_control(name: str, applications: Sequence[Applied]) -> str:
    """One printed `@cost` or `@listSize` from differing applications."""
    if name == "cost":
        weights = [_int(a.arg("weight")) for a in applications]
        return f"@cost(weight: {max(w for w in weights if w is not None)})"
    parts: list[str] = []
    for arg in LIST_SIZE_ARGUMENTS:
        values = [a.arg(arg) for a in applications]
        if arg == "requireOneSlicingArgument":
            flags = [_bool(v) for v in values]
            flags = [True if f is None else f for f in flags]  # the argument defaults to true
            parts.append(f"{arg}: {'true' if all(flags) else 'false'}")
        elif arg == "assumedSize":
            sizes = [s for s in (_int(v) for v in values) if s is not None]
            if sizes:
                parts.append(f"{arg}: {max(sizes)}")
        else:
            merged: list[str] = []
            for value in values:
                merged.extend(s for s in _strings(value) if s not in merged)
            if any(v is not None for v in values):
                node = ListValueNode(values=tuple(StringValueNode(value=s) for s in merged))
                parts.append(f"{arg}: {print_ast(node)}")
    return f"@listSize({', '.join(parts)})"


def _node(literal: str | None) -> ValueNode | None:
    return parse_value(literal) if literal is not None else None


def _int(literal: str | None) -> int | None:
    node = _node(literal)
    return int(node.value) if isinstance(node, IntValueNode) else None


def _bool(literal: str | None) -> bool | None:
    node = _node(literal)
    return node.value if isinstance(node, BooleanValueNode) else None


def _strings(literal: str | None) -> list[str]:
    node = _node(literal)
    if isinstance(node, StringValueNode):
        return [node.value]
    if isinstance(node, ListValueNode):
        return [v.value for v in node.values if isinstance(v, StringValueNode)]
    return []


def validate_demand_control(subgraph: Subgraph, reporter: Reporter) -> None:
    """The cost spec's rules: no `@cost` on interface fields; `@listSize` on lists, with Int slicing arguments
    of the field, list-typed sized fields of the returned type, and a non-negative assumed size."""
    for type_def in subgraph.types:
        for field in type_def.fields:
            coordinate = f"{type_def.name}.{field.name}"
            if type_def.kind is Kind.INTERFACE and field.has("cost"):
                _error(
                    subgraph,
                    reporter,
                    "COST_APPLIED_TO_INTERFACE_FIELD",
                    f'@cost cannot be applied to interface "{coordinate}"',
                    coordinate,
                )
            for application in field.applied("listSize"):
                _validate_list_size(subgraph, reporter, field, coordinate, application)


def _validate_list_size(
    subgraph: Subgraph, reporter: Reporter, field: Field, coordinate: str, application: Applied
) -> None:
    sized = _strings(application.arg("sizedFields"))
    if not sized and not is_list(field.type):
        _error(subgraph, reporter, "LIST_SIZE_APPLIED_TO_NON_LIST", f'"{coordinate}" is not a list', coordinate)
    size = _int(application.arg("assumedSize"))
    if size is not None and size < 0:
        _error(
            subgraph,
            reporter,
            "LIST_SIZE_INVALID_ASSUMED_SIZE",
            f'Assumed size of "{coordinate}" cannot be negative',
            coordinate,
        )
    for name in _strings(application.arg("slicingArguments")):
        arg = field.arg(name)
        if arg is None:
            _error(
                subgraph,
                reporter,
                "LIST_SIZE_INVALID_SLICING_ARGUMENT",
                f'Slicing argument "{name}" is not an argument of "{coordinate}"',
                coordinate,
            )
        elif arg.type not in ("Int", "Int!"):
            _error(
                subgraph,
                reporter,
                "LIST_SIZE_INVALID_SLICING_ARGUMENT",
                f'Slicing argument "{coordinate}({name}:)" must be Int or Int!',
                coordinate,
            )
    target = subgraph.type(named_type(field.type))
    if sized and (target is None or target.kind not in COMPOSITE):
        _error(
            subgraph,
            reporter,
            "LIST_SIZE_INVALID_SIZED_FIELD",
            f'Sized fields cannot be used because "{field.type}" is not a composite type',
            coordinate,
        )
        return
    for name in sized:
        sized_field = target.field(name) if target else None
        if sized_field is None:
            _error(
                subgraph,
                reporter,
                "LIST_SIZE_INVALID_SIZED_FIELD",
                f'Sized field "{name}" is not a field on type "{named_type(field.type)}"',
                coordinate,
            )
        elif not is_list(sized_field.type):
            _error(
                subgraph,
                reporter,
                "LIST_SIZE_APPLIED_TO_NON_LIST",
                f'Sized field "{named_type(field.type)}.{name}" is not a list',
                coordinate,
            )


def _error(subgraph: Subgraph, reporter: Reporter, code: str, message: str, coordinate: str) -> None:
    reporter.error(code, f"[{subgraph.name}] {message}", subgraphs=[subgraph.name], coordinates=[coordinate])

"""Prints a merged supergraph in the layout `@apollo/composition` emits (types and directives sorted by name,
fields in merge order, type directives one per line)."""

from __future__ import annotations

from collections.abc import Sequence

from gateway.composition.merged import MergedEnumValue, MergedField, MergedInputValue, MergedType, Supergraph
from gateway.composition.subgraph import DirectiveDef, Kind

INDENT = "  "


def sort_key(name: str) -> tuple[str, str]:
    """Approximates JavaScript `localeCompare` (case-insensitive first, lower case before upper case)."""
    return name.lower(), name.swapcase()


def print_supergraph(supergraph: Supergraph) -> str:
    """The supergraph SDL text (no trailing newline, like Apollo's)."""
    roots = "\n".join(f"{INDENT}{op}: {name}" for op, name in supergraph.roots)
    links = "".join(f"\n{INDENT}{link}" for link in supergraph.links)
    parts = [description(supergraph.description, "") + f"schema{links}\n{{\n{roots}\n}}"]
    parts.extend(text for _, text in sorted(supergraph.directive_defs, key=lambda d: sort_key(d[0])))
    printed = [(t.name, print_type(t)) for t in supergraph.types] + list(supergraph.raw_types)
    parts.extend(text for _, text in sorted(printed, key=lambda t: sort_key(t[0])))
    return "\n\n".join(parts)


def print_directive_def(definition: DirectiveDef) -> str:
    """A directive definition as kept from a subgraph."""
    args = [
        MergedInputValue(a.name, a.type, a.default, a.description, tuple(d.print() for d in a.directives))
        for a in definition.args
    ]
    return print_directive(definition.name, args, definition.repeatable, definition.locations, definition.description)


def print_directive(
    name: str, args: Sequence[MergedInputValue], repeatable: bool, locations: Sequence[str], text: str | None
) -> str:
    """`directive @name(args) repeatable on A | B`, after its description."""
    flag = " repeatable" if repeatable else ""
    return description(text, "") + f"directive @{name}{print_args(args)}{flag} on " + " | ".join(locations)


def print_type(type_def: MergedType) -> str:
    """One type definition."""
    head = description(type_def.description, "") + f"{type_def.kind.value} {type_def.name}"
    if type_def.kind in (Kind.OBJECT, Kind.INTERFACE) and type_def.interfaces:
        head += " implements " + " & ".join(type_def.interfaces)
    if type_def.kind is Kind.UNION:
        members = " = " + " | ".join(type_def.members) if type_def.members else ""
        return head + _directives_block(type_def.directives, bool(members)) + members
    if type_def.kind is Kind.SCALAR:
        return head + _directives_block(type_def.directives, False)
    lines: list[str]
    if type_def.kind is Kind.ENUM:
        lines = [_enum_value(v, i == 0) for i, v in enumerate(type_def.values)]
    elif type_def.kind is Kind.INPUT_OBJECT:
        lines = [_input_field(f, i == 0) for i, f in enumerate(type_def.input_fields)]
    else:
        lines = [_field(f, i == 0) for i, f in enumerate(type_def.fields)]
    block = "{\n" + "\n".join(lines) + "\n}" if lines else ""
    separator = " " if not type_def.directives and lines else ""
    return head + _directives_block(type_def.directives, bool(lines)) + separator + block


def _directives_block(directives: Sequence[str], end_with_newline: bool) -> str:
    if not directives:
        return ""
    return "\n" + INDENT + f"\n{INDENT}".join(directives) + ("\n" if end_with_newline else "")


def _inline(directives: Sequence[str]) -> str:
    return "".join(f" {d}" for d in directives)


def _field(field: MergedField, first: bool) -> str:
    return (
        description(field.description, INDENT, first)
        + INDENT
        + field.name
        + print_args(field.args, INDENT)
        + f": {field.type}"
        + _inline(field.directives)
    )


def _input_field(field: MergedInputValue, first: bool) -> str:
    default = f" = {field.default}" if field.default is not None else ""
    return (
        description(field.description, INDENT, first)
        + INDENT
        + f"{field.name}: {field.type}{default}"
        + _inline(field.directives)
    )


def _enum_value(value: MergedEnumValue, first: bool) -> str:
    return description(value.description, INDENT, first) + INDENT + value.name + _inline(value.directives)


def print_args(args: Sequence[MergedInputValue], indentation: str = "") -> str:
    """Arguments inline, or one per line when any has a description (graphql-js behaviour)."""
    if not args:
        return ""
    if all(not a.description for a in args):
        return "(" + ", ".join(_arg(a) for a in args) + ")"
    lines = [
        description(a.description, INDENT + indentation, i == 0) + INDENT + indentation + _arg(a)
        for i, a in enumerate(args)
    ]
    return "(\n" + "\n".join(lines) + "\n" + indentation + ")"


def _arg(arg: MergedInputValue) -> str:
    default = f" = {arg.default}" if arg.default is not None else ""
    return f"{arg.name}: {arg.type}{default}" + _inline(arg.directives)


def description(text: str | None, indentation: str, first: bool = True) -> str:
    """A block-string description followed by a newline, indented like graphql-js prints it."""
    if text is None:
        return ""
    block = _block_string(text, len(text) > 70)
    prefix = "\n" + indentation if indentation and not first else indentation
    return prefix + block.replace("\n", "\n" + indentation) + "\n"


def _block_string(value: str, prefer_multiple_lines: bool) -> str:
    single_line = "\n" not in value
    leading_space = value[:1] in (" ", "\t")
    multiple = not single_line or value.endswith('"') or value.endswith("\\") or prefer_multiple_lines
    result = "\n" if multiple and not (single_line and leading_space) else ""
    result += value
    if multiple:
        result += "\n"
    return '"""' + result.replace('"""', '\\"""') + '"""'

"""Merging named types per kind, with `@join__type`, `@join__implements`, `@join__unionMember` and
`@join__enumValue` (https://specs.apollo.dev/join/v0.3)."""

from __future__ import annotations

from collections.abc import Sequence

from gateway.composition.access_control import Extra
from gateway.composition.applied import is_inaccessible, merge_applications
from gateway.composition.arguments import NamedSubtype, merge_input_value, report_partial_presence
from gateway.composition.context import Context
from gateway.composition.description import merge_description
from gateway.composition.fields import merge_fields
from gateway.composition.listing import human_list, quote
from gateway.composition.merged import MergedEnumValue, MergedInputValue, MergedType
from gateway.composition.subgraph import Kind, TypeDef

Sources = Sequence[tuple[int, TypeDef]]


def join_types(ctx: Context, sources: Sources, *, interface_dest: bool = False) -> tuple[str, ...]:
    """One `@join__type` per key (or one without key) for every subgraph defining the type."""
    out: list[str] = []
    defined = {i for i, t in sources if t.has_definition}
    for index, type_def in sources:
        # The Federation 1 upgrader turns extensions of a type defined elsewhere into plain definitions.
        upgraded = not ctx.subgraphs[index].fed2 and bool(defined - {index})
        graph = f"graph: {ctx.graph_names[index]}"
        interface_object = interface_dest and type_def.kind is Kind.OBJECT
        suffix = ", isInterfaceObject: true" if interface_object else ""
        keys = type_def.applied("key") if type_def.kind in (Kind.OBJECT, Kind.INTERFACE) else ()
        if not keys:
            out.append(f"@join__type({graph}{suffix})")
            continue
        for key in keys:
            args = [graph, f"key: {quote(key.string_arg('fields') or '')}"]
            if (key.from_extension and not upgraded) or type_def.has("extends"):
                args.append("extension: true")
            resolvable = key.arg("resolvable")
            if resolvable is not None:
                args.append(f"resolvable: {resolvable}")
            out.append(f"@join__type({', '.join(args)}{suffix})")
    return tuple(out)


def merged_interfaces(sources: Sources) -> tuple[str, ...]:
    """Implemented interfaces, first seen first."""
    out: list[str] = []
    for _, type_def in sources:
        out.extend(i for i in type_def.interfaces if i not in out)
    return tuple(out)


def merge_composite(
    ctx: Context,
    kind: Kind,
    name: str,
    sources: Sources,
    subtype: NamedSubtype,
    composed: frozenset[str],
    inherited: Extra,
) -> MergedType:
    """Merge an object or interface type (interface sources may be `@interfaceObject` object types)."""
    implements = tuple(
        f"@join__implements(graph: {ctx.graph_names[i]}, interface: {quote(itf)})"
        for i, type_def in sources
        for itf in type_def.interfaces
    )
    from_implementations = inherited.get(name, ()) if kind is Kind.INTERFACE else ()
    applications = merge_applications(
        ctx,
        [(i, t.directives) for i, t in sources],
        composed,
        from_implementations,
        access_first=kind is Kind.INTERFACE,
    )
    return MergedType(
        kind=kind,
        name=name,
        description=merge_description(t.description for _, t in sources),
        interfaces=merged_interfaces(sources),
        directives=implements
        + join_types(ctx, sources, interface_dest=kind is Kind.INTERFACE)
        + applications.inaccessible
        + applications.rest,
        fields=merge_fields(ctx, kind, name, sources, subtype, composed, inherited),
    )


def merge_union(ctx: Context, name: str, sources: Sources, composed: frozenset[str]) -> MergedType:
    """Union members are the union of every subgraph's members."""
    members: list[str] = []
    for _, type_def in sources:
        members.extend(m for m in type_def.members if m not in members)
    member_joins = tuple(
        f"@join__unionMember(graph: {ctx.graph_names[i]}, member: {quote(member)})"
        for member in members
        for i, type_def in sources
        if member in type_def.members
    )
    applications = merge_applications(ctx, [(i, t.directives) for i, t in sources], composed)
    return MergedType(
        kind=Kind.UNION,
        name=name,
        description=merge_description(t.description for _, t in sources),
        directives=join_types(ctx, sources) + applications.inaccessible + member_joins + applications.rest,
        members=tuple(members),
    )


def _type_level(ctx: Context, sources: Sources, composed: frozenset[str]) -> tuple[str | None, tuple[str, ...]]:
    """Description and directives (`@join__type`, `@inaccessible`, merged ones) of a scalar, enum or input."""
    applications = merge_applications(ctx, [(i, t.directives) for i, t in sources], composed)
    directives = join_types(ctx, sources) + applications.inaccessible + applications.rest
    return merge_description(t.description for _, t in sources), directives


def merge_scalar(ctx: Context, name: str, sources: Sources, composed: frozenset[str]) -> MergedType:
    """Scalars only merge descriptions and directives."""
    description, directives = _type_level(ctx, sources, composed)
    return MergedType(Kind.SCALAR, name, description, directives=directives)


def merge_enum(ctx: Context, name: str, sources: Sources, composed: frozenset[str]) -> MergedType:
    """Output-only enums take every value, input-only enums the common ones, enums used both ways must agree."""
    examples = ctx.reporter.enum_usage.get(name, {})
    usage = set(examples)
    if not usage:
        ctx.reporter.hint("UNUSED_ENUM_TYPE", f'Enum type "{name}" is defined but unused.')
    order: list[str] = []
    for _, type_def in sources:
        order.extend(v.name for v in type_def.values if v.name not in order)
    values: list[MergedEnumValue] = []
    for value_name in order:
        present = [(i, v) for i, t in sources for v in t.values if v.name == value_name]
        missing = [i for i, t in sources if t.value(value_name) is None]
        value_directives = [(i, v.directives) for i, v in present]
        if missing and not is_inaccessible(value_directives) and usage and usage != {"output"}:
            if usage == {"input", "output"}:
                defined_in = human_list((ctx.name(i) for i, _ in present), "subgraph")
                missing_in = human_list(map(ctx.name, missing), "subgraph")
                ctx.reporter.error(
                    "ENUM_VALUE_MISMATCH",
                    f'Enum type "{name}" is used as both input type (for example, as type of "{examples["input"]}") '
                    f'and output type (for example, as type of "{examples["output"]}"), but value "{value_name}" is '
                    f'not defined in all the subgraphs defining "{name}": "{value_name}" is defined in '
                    f"{defined_in} but not in {missing_in}",
                    subgraphs=[ctx.name(i) for i in missing],
                    coordinates=[f"{name}.{value_name}"],
                )
            else:
                ctx.reporter.hint(
                    "INCONSISTENT_ENUM_VALUE_FOR_INPUT_ENUM",
                    f'Value "{value_name}" of enum type "{name}" will not be part of the supergraph as it is not '
                    f'defined in all the subgraphs defining "{name}"',
                )
                continue
        applications = merge_applications(ctx, value_directives, composed)
        joins = tuple(f"@join__enumValue(graph: {ctx.graph_names[i]})" for i, _ in present)
        values.append(
            MergedEnumValue(
                name=value_name,
                description=merge_description(v.description for _, v in present),
                directives=applications.inaccessible + joins + applications.rest,
            )
        )
    if not values:
        ctx.reporter.error(
            "EMPTY_MERGED_ENUM_TYPE",
            f'None of the values of enum type "{name}" are defined consistently in all the subgraphs defining '
            f"that type. As only values common to all subgraphs are merged, this would result in an empty type.",
            subgraphs=[ctx.name(i) for i, _ in sources],
            coordinates=[name],
        )
    description, directives = _type_level(ctx, sources, composed)
    return MergedType(Kind.ENUM, name, description, directives=directives, values=tuple(values))


def merge_input(
    ctx: Context, name: str, sources: Sources, subtype: NamedSubtype, composed: frozenset[str]
) -> MergedType:
    """Input objects keep only the fields every subgraph defines; a required field missing somewhere fails."""
    order: list[str] = []
    for _, type_def in sources:
        order.extend(f.name for f in type_def.input_fields if f.name not in order)
    fields: list[MergedInputValue] = []
    for field_name in order:
        coordinate = f"{name}.{field_name}"
        present = [(i, f) for i, t in sources for f in t.input_fields if f.name == field_name]
        missing = [i for i, t in sources if t.input_field(field_name) is None]
        types = {f.type for _, f in present}
        joins = (
            tuple(
                f"@join__field(graph: {ctx.graph_names[i]}"
                + (f", type: {quote(f.type)}" if len(types) > 1 else "")
                + ")"
                for i, f in present
            )
            if len(types) > 1 or missing
            else ()
        )
        merged = merge_input_value(ctx, coordinate, present, subtype, composed, "Input field", joins)
        if missing and not is_inaccessible([(i, f.directives) for i, f in present]):
            report_partial_presence(ctx, coordinate, present, missing, "Input field")
            continue
        fields.append(merged)
    if not fields:
        ctx.reporter.error(
            "EMPTY_MERGED_INPUT_TYPE",
            f'None of the fields of input object type "{name}" are consistently defined in all the subgraphs '
            f"defining that type. As only fields common to all subgraphs are merged, this would result in an "
            f"empty type.",
            subgraphs=[ctx.name(i) for i, _ in sources],
            coordinates=[name],
        )
    description, directives = _type_level(ctx, sources, composed)
    return MergedType(Kind.INPUT_OBJECT, name, description, directives=directives, input_fields=tuple(fields))

"""Merging object and interface fields: types, arguments, `@external`, `@override`, sharing, and `@join__field`."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from gateway.composition.access_control import Extra
from gateway.composition.applied import is_merged, merge_applications
from gateway.composition.arguments import NamedSubtype, merge_arguments, merge_type_reference
from gateway.composition.context import Context
from gateway.composition.context_arguments import context_arguments_literal, contextual_arguments
from gateway.composition.description import merge_description
from gateway.composition.listing import human_list, mismatch, quote
from gateway.composition.merged import MergedField, MergedInputValue
from gateway.composition.subgraph import Applied, Field, Kind, TypeDef
from gateway.composition.typeref import is_strict_subtype


@dataclass(frozen=True, slots=True)
class Override:
    """The outcome of `@override` on one field: which subgraphs lost it and how."""

    from_of: dict[int, str]
    used_overridden: frozenset[int]
    unused_overridden: frozenset[int]
    labels: dict[int, str]


def merge_fields(
    ctx: Context,
    dest_kind: Kind,
    type_name: str,
    type_sources: Sequence[tuple[int, TypeDef]],
    subtype: NamedSubtype,
    composed: frozenset[str],
    inherited: Extra,
) -> tuple[MergedField, ...]:
    """Merge the fields of one object or interface type (in first-seen order over sorted subgraphs)."""
    order: list[str] = []
    per_field: dict[str, list[tuple[int, Field]]] = {}
    for index, type_def in type_sources:
        for field in type_def.fields:
            if field.name not in per_field:
                order.append(field.name)
                per_field[field.name] = []
            per_field[field.name].append((index, field))
    parents = [index for index, _ in type_sources]
    merged: list[MergedField] = []
    for name in order:
        result = _merge_field(
            ctx,
            dest_kind,
            type_name,
            parents,
            per_field[name],
            subtype,
            composed,
            inherited.get(f"{type_name}.{name}", ()),
        )
        if result is not None:
            merged.append(result)
    return tuple(merged)


def _merge_field(
    ctx: Context,
    dest_kind: Kind,
    type_name: str,
    parents: Sequence[int],
    sources: Sequence[tuple[int, Field]],
    subtype: NamedSubtype,
    composed: frozenset[str],
    inherited: Sequence[Applied],
) -> MergedField | None:
    coordinate = f"{type_name}.{sources[0][1].name}"
    external = {i for i, _ in sources if ctx.facts[i].is_external(coordinate)}
    if len(external) == len(sources):
        listed = human_list((ctx.name(i) for i, _ in sources), "subgraph")
        ctx.reporter.error(
            "EXTERNAL_MISSING_ON_BASE",
            f'Field "{coordinate}" is marked @external on all the subgraphs in which it is listed ({listed}).',
            subgraphs=[ctx.name(i) for i, _ in sources],
            coordinates=[coordinate],
        )
        return None
    for index, field in sources:
        for directive in field.directives if index in external else ():
            if is_merged(directive, composed):
                ctx.reporter.error(
                    "MERGED_DIRECTIVE_APPLICATION_ON_EXTERNAL",
                    f"[{ctx.name(index)}] Cannot apply merged directive {directive.print()} to external field "
                    f'"{coordinate}"',
                    subgraphs=[ctx.name(index)],
                    coordinates=[coordinate],
                )
    override = _override(ctx, coordinate, sources, dest_kind)
    resolving = [(i, f) for i, f in sources if i not in external]
    contextual = {a.name for _, f in sources for a in contextual_arguments(f)}
    args = merge_arguments(
        ctx,
        coordinate,
        [(i, tuple(a for a in f.args if a.name not in contextual)) for i, f in resolving],
        subtype,
        composed,
    )
    merged_type, all_equal = merge_type_reference(
        ctx,
        coordinate,
        [(i, f.type) for i, f in resolving],
        subtype,
        input_position=False,
        code="FIELD_TYPE_MISMATCH",
    )
    externals = [(i, f) for i, f in sources if i in external]
    _validate_externals(ctx, coordinate, merged_type, all_equal, externals, subtype, sources)
    _validate_external_arguments(ctx, coordinate, args, resolving, externals)
    applications = merge_applications(
        ctx, [(i, f.directives) for i, f in resolving], composed, inherited, access_first=True
    )
    joins = _join_fields(ctx, parents, sources, external, all_equal, override)
    if dest_kind is Kind.OBJECT:
        _validate_sharing(ctx, coordinate, sources, override)
    return MergedField(
        name=sources[0][1].name,
        type=merged_type,
        args=args,
        description=merge_description(f.description for _, f in resolving),
        directives=applications.inaccessible + joins + applications.rest,
    )


def _join_fields(
    ctx: Context,
    parents: Sequence[int],
    sources: Sequence[tuple[int, Field]],
    external: set[int],
    all_equal: bool,
    override: Override,
) -> tuple[str, ...]:
    by_index = dict(sources)
    needed = not all_equal or bool(override.used_overridden) or bool(override.labels)
    needed = needed or any(contextual_arguments(f) for _, f in sources)
    for index in parents:
        field = by_index.get(index)
        if (
            field is None
            or index in override.unused_overridden
            or index in external
            or field.has("requires")
            or field.has("provides")
        ):
            needed = True
    if not needed:
        return ()
    out: list[str] = []
    for index, field in sources:
        if index in override.unused_overridden and index not in override.labels:
            continue
        args = [f"graph: {ctx.graph_names[index]}"]
        for directive in ("requires", "provides"):
            applied = field.applied(directive)
            fields = applied[0].string_arg("fields") if applied else None
            if fields is not None:
                args.append(f"{directive}: {quote(fields)}")
        if index in override.from_of:
            args.append(f"override: {quote(override.from_of[index])}")
        if not all_equal:
            args.append(f"type: {quote(field.type)}")
        if index in external:
            args.append("external: true")
        if index in override.used_overridden:
            args.append("usedOverridden: true")
        if index in override.labels:
            args.append(f"overrideLabel: {quote(override.labels[index])}")
        context_arguments = context_arguments_literal(ctx.name(index), field)
        if context_arguments is not None:
            args.append(f"contextArguments: {context_arguments}")
        out.append(f"@join__field({', '.join(args)})")
    return tuple(out)


def _override(ctx: Context, coordinate: str, sources: Sequence[tuple[int, Field]], dest_kind: Kind) -> Override:
    from_of: dict[int, str] = {}
    used: set[int] = set()
    unused: set[int] = set()
    labels: dict[int, str] = {}
    by_name = {ctx.name(i): (i, f) for i, f in sources}
    overriding = {i for i, f in sources if f.has("override")}
    for index, field in sources:
        applied = field.applied("override")
        if not applied:
            continue
        source_name = applied[0].string_arg("from") or ""
        here = ctx.name(index)
        from_of[index] = source_name
        if dest_kind is Kind.INTERFACE:
            ctx.reporter.error(
                "OVERRIDE_ON_INTERFACE",
                f'@override cannot be used on field "{coordinate}" on subgraph "{here}": @override is not '
                f"supported on interface type fields.",
                subgraphs=[here],
                coordinates=[coordinate],
            )
            continue
        if source_name == here:
            ctx.reporter.error(
                "OVERRIDE_FROM_SELF_ERROR",
                f'Source and destination subgraphs "{here}" are the same for overridden field "{coordinate}"',
                subgraphs=[here],
                coordinates=[coordinate],
            )
            continue
        if source_name not in {s.name for s in ctx.subgraphs}:
            ctx.reporter.hint(
                "FROM_SUBGRAPH_DOES_NOT_EXIST",
                f'Source subgraph "{source_name}" for field "{coordinate}" on subgraph "{here}" does not exist.',
            )
            continue
        target = by_name.get(source_name)
        if target is None:
            ctx.reporter.hint(
                "OVERRIDE_DIRECTIVE_CAN_BE_REMOVED",
                f'Field "{coordinate}" on subgraph "{here}" no longer exists in the from subgraph.',
            )
            continue
        from_index, from_field = target
        if from_index in overriding:
            ctx.reporter.error(
                "OVERRIDE_SOURCE_HAS_OVERRIDE",
                f'Field "{coordinate}" on subgraph "{here}" is also marked with directive @override in subgraph '
                f'"{source_name}". Only one @override directive is allowed per field.',
                subgraphs=[here, source_name],
                coordinates=[coordinate],
            )
            continue
        conflicting = next((d for d in ("requires", "provides") if from_field.has(d)), None)
        if conflicting is None and ctx.facts[index].is_external(coordinate):
            conflicting = "external"
        if conflicting is not None:
            ctx.reporter.error(
                "OVERRIDE_COLLISION_WITH_ANOTHER_DIRECTIVE",
                f'@override cannot be used on field "{coordinate}" on subgraph "{here}" since "{coordinate}" on '
                f'"{source_name}" is marked with directive "@{conflicting}"',
                subgraphs=[here, source_name],
                coordinates=[coordinate],
            )
            continue
        if ctx.facts[from_index].is_external(coordinate):
            continue
        if coordinate in ctx.facts[from_index].used:
            used.add(from_index)
        else:
            unused.add(from_index)
        label = applied[0].string_arg("label")
        if label is not None:
            if _valid_label(label) and ctx.join_minor >= 4:
                labels[index] = labels[from_index] = label
            else:
                ctx.reporter.error(
                    "OVERRIDE_LABEL_INVALID",
                    f'Invalid @override label "{label}" on field "{coordinate}" on subgraph "{here}": labels must '
                    "start with a letter and after that may contain alphanumerics, underscores, minuses, colons, "
                    'periods, or slashes. Alternatively, labels may be of the form "percent(x)" where x is a float '
                    "between 0-100 inclusive.",
                    subgraphs=[here],
                    coordinates=[coordinate],
                )
    return Override(from_of, frozenset(used), frozenset(unused), labels)


def _valid_label(label: str) -> bool:
    """`feature:x/y` style identifiers or `percent(x)` with 0 <= x <= 100 and at most 8 decimals."""
    if re.fullmatch(r"[a-zA-Z][a-zA-Z0-9_\-:./]*", label):
        return True
    match = re.fullmatch(r"percent\((\d{1,2}(\.\d{1,8})?|100)\)", label)
    return match is not None and 0 <= float(match[1]) <= 100


def _validate_externals(
    ctx: Context,
    coordinate: str,
    merged_type: str,
    all_equal: bool,
    externals: Sequence[tuple[int, Field]],
    subtype: NamedSubtype,
    everywhere: Sequence[tuple[int, Field]],
) -> None:
    bad = [
        (i, f)
        for i, f in externals
        if not (f.type == merged_type or (not all_equal and is_strict_subtype(merged_type, f.type, subtype)))
    ]
    if bad:
        listing = mismatch(f'type "{merged_type}"', ((ctx.name(i), f'type "{f.type}"') for i, f in everywhere))
        ctx.reporter.error(
            "EXTERNAL_TYPE_MISMATCH",
            f'Type of field "{coordinate}" is incompatible across subgraphs (where marked @external): it has {listing}',
            subgraphs=[ctx.name(i) for i, _ in bad],
            coordinates=[coordinate],
        )


def _validate_external_arguments(
    ctx: Context,
    coordinate: str,
    args: Sequence[MergedInputValue],
    resolving: Sequence[tuple[int, Field]],
    externals: Sequence[tuple[int, Field]],
) -> None:
    """An `@external` declaration must repeat every merged argument, with its type and default."""
    for arg in args:
        arg_coordinate = f"{coordinate}({arg.name}:)"
        declared = [ctx.name(i) for i, f in resolving if f.arg(arg.name) is not None]
        for index, field in externals:
            mine = field.arg(arg.name)
            here = ctx.name(index)
            if mine is None:
                where = human_list(declared, "subgraph")
                ctx.reporter.error(
                    "EXTERNAL_ARGUMENT_MISSING",
                    f'Field "{coordinate}" is missing argument "{arg_coordinate}" in some subgraphs where it is marked '
                    f'@external: argument "{arg_coordinate}" is declared in {where} but not in subgraph '
                    f'"{here}" (where "{coordinate}" is @external).',
                    subgraphs=[here, *declared],
                    coordinates=[arg_coordinate],
                )
            elif mine.type != arg.type:
                ctx.reporter.error(
                    "EXTERNAL_ARGUMENT_TYPE_MISMATCH",
                    f'Type of argument "{arg_coordinate}" is incompatible across subgraphs (where "{coordinate}" is '
                    f'marked @external): it has type "{arg.type}" in the supergraph but type "{mine.type}" in '
                    f'subgraph "{here}"',
                    subgraphs=[here],
                    coordinates=[arg_coordinate],
                )
            elif mine.default != arg.default:
                ctx.reporter.error(
                    "EXTERNAL_ARGUMENT_DEFAULT_MISMATCH",
                    f'Argument "{arg_coordinate}" has incompatible defaults across subgraphs (where "{coordinate}" is '
                    f"marked @external): it has default value {arg.default} in the supergraph but "
                    f'{mine.default} in subgraph "{here}"',
                    subgraphs=[here],
                    coordinates=[arg_coordinate],
                )


def _validate_sharing(ctx: Context, coordinate: str, sources: Sequence[tuple[int, Field]], override: Override) -> None:
    shareable: list[int] = []
    non_shareable: list[int] = []
    for index, _ in sources:
        if index in override.used_overridden or index in override.unused_overridden:
            continue
        facts = ctx.facts[index]
        if facts.is_fully_external(coordinate):
            continue
        (shareable if coordinate in facts.shareable else non_shareable).append(index)
    if non_shareable and (shareable or len(non_shareable) > 1):
        resolving = sorted(shareable + non_shareable)
        which = human_list(map(ctx.name, non_shareable), "subgraph") if shareable else "all of them"
        resolvers = human_list(map(ctx.name, resolving), "subgraph")
        ctx.reporter.error(
            "INVALID_FIELD_SHARING",
            f'Non-shareable field "{coordinate}" is resolved from multiple subgraphs: it is resolved from '
            f"{resolvers} and defined as non-shareable in {which}",
            subgraphs=[ctx.name(i) for i in resolving],
            coordinates=[coordinate],
        )

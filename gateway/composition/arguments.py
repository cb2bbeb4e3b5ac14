"""Merging field arguments and input values: intersection of presence, compatible types, equal defaults."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from gateway.composition.applied import merge_applications
from gateway.composition.context import Context
from gateway.composition.description import merge_description
from gateway.composition.listing import human_list, mismatch
from gateway.composition.merged import MergedInputValue
from gateway.composition.subgraph import InputValue
from gateway.composition.typeref import is_required, is_strict_subtype, named_type

NamedSubtype = Callable[[str, str], bool]


def merge_type_reference(
    ctx: Context,
    coordinate: str,
    sources: Sequence[tuple[int, str]],
    subtype: NamedSubtype,
    *,
    input_position: bool,
    code: str,
) -> tuple[str, bool]:
    """The merged type (most general for outputs, most specific for inputs) and whether all were equal."""
    merged: str | None = None
    has_subtypes = False
    incompatible = False
    for _, ref in sources:
        if merged is None or merged == ref:
            merged = ref
        elif is_strict_subtype(merged, ref, subtype):
            has_subtypes = True
            if input_position:
                merged = ref
        elif is_strict_subtype(ref, merged, subtype):
            has_subtypes = True
            if not input_position:
                merged = ref
        else:
            incompatible = True
    assert merged is not None
    examples = ctx.reporter.enum_usage.setdefault(named_type(merged), {})
    examples.setdefault("input" if input_position else "output", coordinate)
    if incompatible:
        kind = "argument" if code == "FIELD_ARGUMENT_TYPE_MISMATCH" else "field"
        listing = mismatch(f'type "{merged}"', ((ctx.name(i), f'type "{ref}"') for i, ref in sources))
        ctx.reporter.error(
            code,
            f'Type of {kind} "{coordinate}" is incompatible across subgraphs: it has {listing}',
            subgraphs=[ctx.name(i) for i, _ in sources],
            coordinates=[coordinate],
        )
        return merged, False
    return merged, not has_subtypes


def merge_default(ctx: Context, coordinate: str, sources: Sequence[tuple[int, InputValue]], kind: str) -> str | None:
    """A default survives only when every subgraph has the same one; two different defaults are an error."""
    defaults = [value.default for _, value in sources]
    present = {d for d in defaults if d is not None}
    if len(present) > 1:
        code = "FIELD_ARGUMENT_DEFAULT_MISMATCH" if kind == "Argument" else "INPUT_FIELD_DEFAULT_MISMATCH"
        first = next(d for d in defaults if d is not None)
        listing = mismatch(
            f"default value {first}",
            (
                (ctx.name(i), f"default value {v.default}" if v.default is not None else "no default value")
                for i, v in sources
            ),
        )
        ctx.reporter.error(
            code,
            f'{kind} "{coordinate}" has incompatible default values across subgraphs: it has {listing}',
            subgraphs=[ctx.name(i) for i, _ in sources],
            coordinates=[coordinate],
        )
        return None
    if present and None in defaults:
        ctx.reporter.hint(
            "INCONSISTENT_DEFAULT_VALUE_PRESENCE", f'{kind} "{coordinate}" has a default value in only some subgraphs'
        )
        return None
    return defaults[0] if defaults else None


def merge_arguments(
    ctx: Context,
    coordinate: str,
    sources: Sequence[tuple[int, Sequence[InputValue]]],
    subtype: NamedSubtype,
    composed: frozenset[str],
) -> tuple[MergedInputValue, ...]:
    """Arguments present in every source; a required argument missing somewhere is an error."""
    names: list[str] = []
    for _, args in sources:
        names.extend(a.name for a in args if a.name not in names)
    merged: list[MergedInputValue] = []
    for name in names:
        arg_coordinate = f"{coordinate}({name}:)"
        present = [(i, a) for i, args in sources for a in args if a.name == name]
        missing = [i for i, args in sources if all(a.name != name for a in args)]
        if missing:
            report_partial_presence(ctx, arg_coordinate, present, missing, "Argument")
            continue
        merged.append(merge_input_value(ctx, arg_coordinate, present, subtype, composed, "Argument"))
    return tuple(merged)


def report_partial_presence(
    ctx: Context, coordinate: str, present: Sequence[tuple[int, InputValue]], missing: Sequence[int], kind: str
) -> None:
    """An input value some subgraphs lack is dropped: an error when it is required somewhere, else a hint."""
    required = [i for i, value in present if is_required(value.type, value.default)]
    argument = kind == "Argument"
    code = "REQUIRED_ARGUMENT_MISSING_IN_SOME_SUBGRAPH" if argument else "REQUIRED_INPUT_FIELD_MISSING_IN_SOME_SUBGRAPH"
    if required:
        required_in = human_list(map(ctx.name, required), "subgraph")
        missing_in = human_list(map(ctx.name, missing), "subgraph")
        ctx.reporter.error(
            code,
            f'{"Argument" if argument else "Input object field"} "{coordinate}" is required in some subgraphs but '
            f"does not appear in all subgraphs: it is required in {required_in} but does not appear in {missing_in}",
            subgraphs=[ctx.name(i) for i in [*required, *missing]],
            coordinates=[coordinate],
        )
    elif argument:
        ctx.reporter.hint(
            "INCONSISTENT_ARGUMENT_PRESENCE",
            f'Optional argument "{coordinate}" will not be included in the supergraph as it does not appear in all '
            "subgraphs",
        )
    else:
        ctx.reporter.hint(
            "INCONSISTENT_INPUT_OBJECT_FIELD",
            f'Input object field "{coordinate}" will not be added to the supergraph as it does not appear in all '
            "subgraphs",
        )


def merge_input_value(
    ctx: Context,
    coordinate: str,
    present: Sequence[tuple[int, InputValue]],
    subtype: NamedSubtype,
    composed: frozenset[str],
    kind: str,
    joins: tuple[str, ...] = (),
) -> MergedInputValue:
    """Merge one argument or input field defined by every source in `present`; `joins` (`@join__field`s of an
    input field) go between `@inaccessible` and the other applications."""
    code = "FIELD_ARGUMENT_TYPE_MISMATCH" if kind == "Argument" else "FIELD_TYPE_MISMATCH"
    type_ref, _ = merge_type_reference(
        ctx, coordinate, [(i, a.type) for i, a in present], subtype, input_position=True, code=code
    )
    applications = merge_applications(ctx, [(i, a.directives) for i, a in present], composed)
    return MergedInputValue(
        name=present[0][1].name,
        type=type_ref,
        default=merge_default(ctx, coordinate, present, kind),
        description=merge_description(a.description for _, a in present),
        directives=applications.inaccessible + joins + applications.rest,
    )

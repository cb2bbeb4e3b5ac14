"""Per-subgraph checks of federation directives before merging: `@key`, `@requires`, `@provides`, `@external`."""

from __future__ import annotations

from collections.abc import Callable

from graphql import GraphQLError

from gateway.composition.access_control import ACCESS_CONTROL
from gateway.composition.context import Reporter
from gateway.composition.demand_control import validate_demand_control
from gateway.composition.facts import Facts
from gateway.composition.fieldset import Selected, abstract_kind, collect_selected, parse_field_set
from gateway.composition.listing import human_list
from gateway.composition.subgraph import COMPOSITE, Applied, Field, Kind, Subgraph, TypeDef
from gateway.composition.typeref import is_required, named_type


def validate_subgraph(subgraph: Subgraph, facts: Facts, reporter: Reporter) -> None:
    """Report every misuse of federation directives in one (upgraded) subgraph; GraphQL validity is checked
    before the upgrade by `graphql_rules.validate_graphql`."""
    validate_demand_control(subgraph, reporter)
    _validate_directive_placement(subgraph, reporter)
    for type_def in subgraph.types:
        if type_def.kind not in (Kind.OBJECT, Kind.INTERFACE):
            continue
        for key in type_def.applied("key"):
            _validate_key(subgraph, type_def, key, reporter)
            if type_def.kind is Kind.INTERFACE:
                _validate_key_on_implementations(subgraph, type_def, key, reporter)
        for field in type_def.fields:
            for requires in field.applied("requires"):
                _validate_nested(subgraph, facts, type_def.name, field, requires, "requires", reporter)
            for provides in field.applied("provides"):
                if facts.is_external(f"{type_def.name}.{field.name}"):
                    reporter.error(
                        "EXTERNAL_COLLISION_WITH_ANOTHER_DIRECTIVE",
                        f"[{subgraph.name}] Cannot have both @provides and @external on field "
                        f'"{type_def.name}.{field.name}"',
                        subgraphs=[subgraph.name],
                        coordinates=[f"{type_def.name}.{field.name}"],
                    )
                    continue
                _validate_provides(subgraph, facts, type_def, field, provides, reporter)
            coordinate = f"{type_def.name}.{field.name}"
            if subgraph.fed2 and type_def.kind is Kind.INTERFACE and field.has("external"):
                reporter.error(
                    "EXTERNAL_ON_INTERFACE",
                    f'[{subgraph.name}] Interface type field "{coordinate}" is marked @external but @external is not '
                    "allowed on interface fields (it is nonsensical).",
                    subgraphs=[subgraph.name],
                    coordinates=[coordinate],
                )
            elif subgraph.fed2 and facts.is_external(coordinate) and coordinate not in facts.used:
                reporter.error(
                    "EXTERNAL_UNUSED",
                    f'[{subgraph.name}] Field "{coordinate}" is marked @external but is not used in any federation '
                    f"directive (@key, @provides, @requires) or to satisfy an interface; the field declaration "
                    f"has no use and should be removed (or the field should not be @external).",
                    subgraphs=[subgraph.name],
                    coordinates=[coordinate],
                )


def _validate_directive_placement(subgraph: Subgraph, reporter: Reporter) -> None:
    """`@shareable` only on object types and their fields, once per declaration; access control not on
    interfaces, interface fields or interface objects."""
    for type_def in subgraph.types:
        interface_like = type_def.kind is Kind.INTERFACE or type_def.has("interfaceObject")
        kind = "interface" if type_def.kind is Kind.INTERFACE else "interface object"
        for directive in (d for d in type_def.directives if d.federation and d.name in ACCESS_CONTROL):
            if interface_like:
                _access_error(subgraph, reporter, directive.name, kind, type_def.name)
        if type_def.kind is Kind.OBJECT:
            for extension in (False, True):
                if sum(1 for d in type_def.applied("shareable") if d.from_extension == extension) > 1:
                    _duplicate_shareable(subgraph, reporter, f'the same type declaration of "{type_def.name}"')
        for field in type_def.fields:
            coordinate = f"{type_def.name}.{field.name}"
            for directive in (d for d in field.directives if d.federation and d.name in ACCESS_CONTROL):
                if type_def.kind is Kind.INTERFACE:
                    _access_error(subgraph, reporter, directive.name, "field", coordinate)
            if type_def.kind is Kind.INTERFACE and field.has("shareable"):
                reporter.error(
                    "INVALID_SHAREABLE_USAGE",
                    f'[{subgraph.name}] Invalid use of @shareable on field "{coordinate}": only object type fields can '
                    "be marked with @shareable",
                    subgraphs=[subgraph.name],
                    coordinates=[coordinate],
                )
            elif len(field.applied("shareable")) > 1:
                _duplicate_shareable(subgraph, reporter, f'field "{coordinate}"')


def _access_error(subgraph: Subgraph, reporter: Reporter, name: str, kind: str, coordinate: str) -> None:
    reporter.error(
        "AUTH_REQUIREMENTS_APPLIED_ON_INTERFACE",
        f'[{subgraph.name}] Invalid use of @{name} on {kind} "{coordinate}": @{name} cannot be applied on '
        "interfaces, interface fields and interface objects",
        subgraphs=[subgraph.name],
        coordinates=[coordinate],
    )


def _duplicate_shareable(subgraph: Subgraph, reporter: Reporter, where: str) -> None:
    reporter.error(
        "INVALID_SHAREABLE_USAGE",
        f"[{subgraph.name}] Invalid duplicate application of @shareable on {where}: @shareable is only repeatable on "
        "types so it can be used simultaneously on a type definition and its extensions, but it should not be "
        "duplicated on the same definition/extension declaration",
        subgraphs=[subgraph.name],
        coordinates=[where.split('"')[1]],
    )


def _selection(
    subgraph: Subgraph,
    parent: str,
    applied: Applied,
    directive: str,
    where: str,
    reporter: Reporter,
    is_external: Callable[[str], bool] = lambda _: False,
) -> tuple[Selected, ...] | None:
    fields = applied.string_arg("fields") or ""
    prefix = f'[{subgraph.name}] On {where}, for @{directive}(fields: "{fields}"): '
    code = f"{directive.upper()}_INVALID_FIELDS"
    try:
        selection_set = parse_field_set(fields)
    except GraphQLError as error:
        reporter.error(code, prefix + f"invalid selection: {error}", subgraphs=[subgraph.name])
        return None
    selected = collect_selected(subgraph, parent, selection_set, is_external)
    problems = 0
    for s in selected:
        coordinate = f"{s.parent}.{s.field}"
        message = _selection_problem(subgraph, s)
        if message is not None:
            problems += 1
            reporter.error(code, prefix + message, subgraphs=[subgraph.name], coordinates=[coordinate])
    return None if problems else selected


def _selection_problem(subgraph: Subgraph, s: Selected) -> str | None:
    """What is wrong with one selection of a field set, GraphQL-validation style (None when fine)."""
    coordinate = f"{s.parent}.{s.field}"
    if not s.exists:
        return (
            f'Cannot query field "{s.field}" on type "{s.parent}" (if the field is defined in another subgraph, '
            "you need to add it to this subgraph with @external)."
        )
    field = subgraph.field(s.parent, s.field)
    for arg in field.args if field else ():
        if is_required(arg.type, arg.default) and arg.name not in s.arguments:
            return f'Missing mandatory value for argument "{arg.name}" of field "{coordinate}" in selection "{s.field}"'
    target = subgraph.type(named_type(s.type))
    composite = target is not None and target.kind in COMPOSITE
    if composite and not s.has_selection:
        return f'Invalid empty selection set for field "{coordinate}" of non-leaf type {s.type}'
    if not composite and s.has_selection:
        return f'Leaf field "{coordinate}" selection set should be empty'
    return None


def _validate_key(subgraph: Subgraph, type_def: TypeDef, key: Applied, reporter: Reporter) -> None:
    selected = _selection(subgraph, type_def.name, key, "key", f'type "{type_def.name}"', reporter)
    fields = key.string_arg("fields") or ""
    for s in selected or ():
        prefix = f'[{subgraph.name}] On type "{type_def.name}", for @key(fields: "{fields}"): '
        kind = abstract_kind(subgraph, s)
        if kind is not None:
            reporter.error(
                "KEY_FIELDS_SELECT_INVALID_TYPE",
                prefix + f'field "{s.parent}.{s.field}" is a {kind} type which is not allowed in @key',
                subgraphs=[subgraph.name],
                coordinates=[f"{s.parent}.{s.field}"],
            )
        if s.has_args or _has_arguments(subgraph, s):
            reporter.error(
                "KEY_FIELDS_HAS_ARGS",
                prefix + f"field {s.parent}.{s.field} cannot be included because it has arguments (fields with "
                "argument are not allowed in @key)",
                subgraphs=[subgraph.name],
                coordinates=[f"{s.parent}.{s.field}"],
            )


def _validate_key_on_implementations(subgraph: Subgraph, interface: TypeDef, key: Applied, reporter: Reporter) -> None:
    """A key on an interface must be repeated on every implementation in the same subgraph."""
    fields = key.string_arg("fields")
    missing = [
        t.name
        for t in subgraph.types
        if interface.name in t.interfaces and all(k.string_arg("fields") != fields for k in t.applied("key"))
    ]
    if missing:
        reporter.error(
            "INTERFACE_KEY_NOT_ON_IMPLEMENTATION",
            f'[{subgraph.name}] Key {key.print()} on interface type "{interface.name}" is missing on implementation '
            f"{human_list(missing, 'type')}.",
            subgraphs=[subgraph.name],
            coordinates=[interface.name],
        )


def _has_arguments(subgraph: Subgraph, selected: Selected) -> bool:
    field = subgraph.field(selected.parent, selected.field)
    return field is not None and bool(field.args)


def _validate_nested(
    subgraph: Subgraph,
    facts: Facts,
    parent: str,
    field: Field,
    applied: Applied,
    directive: str,
    reporter: Reporter,
    owner: str | None = None,
) -> None:
    where = f'field "{owner or parent}.{field.name}"'
    selected = _selection(subgraph, parent, applied, directive, where, reporter, facts.is_external)
    if selected is None or not subgraph.fed2:
        return
    fields = applied.string_arg("fields") or ""
    leaves = _leaves(subgraph, selected)
    for s in leaves:
        coordinate = f"{s.parent}.{s.field}"
        if not facts.is_external(coordinate) and not s.under_external:
            reporter.error(
                f"{directive.upper()}_FIELDS_MISSING_EXTERNAL",
                f'[{subgraph.name}] On {where}, for @{directive}(fields: "{fields}"): field "{coordinate}" should '
                f"not be part of a @{directive} since it is already provided by this subgraph (it is not marked "
                "@external)",
                subgraphs=[subgraph.name],
                coordinates=[coordinate],
            )


def _validate_provides(
    subgraph: Subgraph, facts: Facts, type_def: TypeDef, field: Field, provides: Applied, reporter: Reporter
) -> None:
    coordinate = f"{type_def.name}.{field.name}"
    target = subgraph.type(named_type(field.type))
    if target is None or target.kind not in COMPOSITE:
        reporter.error(
            "PROVIDES_ON_NON_OBJECT_FIELD",
            f'[{subgraph.name}] Invalid @provides directive on field "{coordinate}": field has type '
            f'"{field.type}" which is not a Composite Type',
            subgraphs=[subgraph.name],
            coordinates=[coordinate],
        )
        return
    _validate_nested(subgraph, facts, target.name, field, provides, "provides", reporter, type_def.name)


def _leaves(subgraph: Subgraph, selected: tuple[Selected, ...]) -> list[Selected]:
    leaves: list[Selected] = []
    for s in selected:
        target = subgraph.type(named_type(s.type))
        if target is None or target.kind in (Kind.SCALAR, Kind.ENUM):
            leaves.append(s)
    return leaves

"""GraphQL validity of one subgraph schema (what graphql-js `validateSchema` and SDL validation check), with
graphql-js / Apollo wording: unknown types and directives, duplicates, input/output positions, interfaces."""

from __future__ import annotations

from graphql import (
    BooleanValueNode,
    EnumValueNode,
    FloatValueNode,
    IntValueNode,
    ListValueNode,
    NullValueNode,
    ObjectValueNode,
    StringValueNode,
    ValueNode,
    VariableNode,
    parse_value,
)

from gateway.composition.context import Reporter
from gateway.composition.subgraph import FED1_DIRECTIVES, FEDERATION_DIRECTIVES, Applied, Kind, Subgraph, TypeDef
from gateway.composition.typeref import is_required, is_strict_subtype, named_type

BUILTIN_SCALARS = frozenset({"String", "Int", "Float", "Boolean", "ID"})
BUILTIN_DIRECTIVES = frozenset({"deprecated", "specifiedBy", "include", "skip", "oneOf"})
FEDERATION_ARGUMENTS: dict[str, frozenset[str]] = {
    "key": frozenset({"fields", "resolvable"}),
    "requires": frozenset({"fields"}),
    "provides": frozenset({"fields"}),
    "external": frozenset({"reason"}),
    "override": frozenset({"from", "label"}),
    "tag": frozenset({"name"}),
    "requiresScopes": frozenset({"scopes"}),
    "policy": frozenset({"policies"}),
    "composeDirective": frozenset({"name"}),
    "context": frozenset({"name"}),
    "fromContext": frozenset({"field"}),
    "cost": frozenset({"weight"}),
    "listSize": frozenset({"assumedSize", "slicingArguments", "sizedFields", "requireOneSlicingArgument"}),
}


def validate_graphql(subgraph: Subgraph, reporter: Reporter) -> None:
    """Report what makes the subgraph an invalid GraphQL schema (code INVALID_GRAPHQL)."""
    _validate_references(subgraph, reporter)
    _validate_unique_members(subgraph, reporter)
    _validate_known_directives(subgraph, reporter)
    _validate_locations(subgraph, reporter)
    _validate_positions(subgraph, reporter)
    _validate_defaults(subgraph, reporter)
    for type_def in subgraph.types:
        if type_def.kind in (Kind.OBJECT, Kind.INTERFACE) and not type_def.has("interfaceObject"):
            _validate_implementations(subgraph, type_def, reporter)


def _error(subgraph: Subgraph, reporter: Reporter, message: str, coordinate: str) -> None:
    reporter.error(
        "INVALID_GRAPHQL", f"[{subgraph.name}] {message}", subgraphs=[subgraph.name], coordinates=[coordinate]
    )


def _validate_references(subgraph: Subgraph, reporter: Reporter) -> None:
    """Every type a subgraph references must be defined in it (graphql-js: "Unknown type X")."""
    known = BUILTIN_SCALARS | {t.name for t in subgraph.types if t.has_definition or t.has_extension}
    unknown: list[str] = []
    for type_def in subgraph.types:
        refs = [f.type for f in type_def.fields] + [a.type for f in type_def.fields for a in f.args]
        refs += [f.type for f in type_def.input_fields] + list(type_def.members) + list(type_def.interfaces)
        unknown.extend(n for n in map(named_type, refs) if n not in known and n not in unknown)
    for name in unknown:
        reporter.error(
            "INVALID_GRAPHQL", f"[{subgraph.name}] Unknown type {name}", subgraphs=[subgraph.name], coordinates=[name]
        )


def _validate_unique_members(subgraph: Subgraph, reporter: Reporter) -> None:
    """Fields, input fields, arguments and enum values are defined once (graphql-js wording)."""
    for type_def in subgraph.types:
        seen: set[str] = set()
        members = [f.name for f in type_def.fields] + [f.name for f in type_def.input_fields]
        members += [v.name for v in type_def.values]
        for member in members:
            if member in seen:
                reporter.error(
                    "INVALID_GRAPHQL",
                    f"[{subgraph.name}] Field {member} already exists on {type_def.name}",
                    subgraphs=[subgraph.name],
                    coordinates=[f"{type_def.name}.{member}"],
                )
            seen.add(member)
        for field in type_def.fields:
            names = [a.name for a in field.args]
            for duplicate in sorted({n for n in names if names.count(n) > 1}):
                coordinate = f"{type_def.name}.{field.name}({duplicate}:)"
                reporter.error(
                    "INVALID_GRAPHQL",
                    f'[{subgraph.name}] Argument "{coordinate}" can only be defined once.',
                    subgraphs=[subgraph.name],
                    coordinates=[coordinate],
                )


def _validate_known_directives(subgraph: Subgraph, reporter: Reporter) -> None:
    """Every applied directive is a federation one, a built-in, defined in the SDL or imported by a `@link`;
    federation directives only take their spec's arguments."""
    known = BUILTIN_DIRECTIVES | {d.name for d in subgraph.directive_defs}
    known |= {local for link in subgraph.links for _, local in link.imports}
    reported: set[str] = set()
    for applied in subgraph.applications():
        if applied.federation:
            allowed = FEDERATION_ARGUMENTS.get(applied.name, frozenset())
            if applied.name == "override" and (subgraph.fed_version or (2, 0)) < (2, 7):
                allowed = frozenset({"from"})
            for arg, _ in applied.args:
                if arg not in allowed and f"{applied.name}({arg}:)" not in reported:
                    reported.add(f"{applied.name}({arg}:)")
                    _error(
                        subgraph,
                        reporter,
                        f'Unknown argument "{arg}" on directive "@{applied.name}".',
                        f"@{applied.name}",
                    )
            continue
        if applied.name in known or applied.name in reported:
            continue
        reported.add(applied.name)
        message = f'Unknown directive "@{applied.name}".'
        if applied.name in FEDERATION_DIRECTIVES and subgraph.fed2:
            message += (
                f' If you meant the "@{applied.name}" federation directive, you should use fully-qualified name '
                f'"@federation__{applied.name}" or add "@{applied.name}" to the `import` argument of the @link to the '
                "federation specification."
            )
        elif applied.name in FEDERATION_DIRECTIVES - FED1_DIRECTIVES:
            message += (
                f' If you meant the "@{applied.name}" federation 2 directive, note that this schema is a federation 1 '
                "schema. To be a federation 2 schema, it needs to @link to the federation specifcation v2."
            )
        _error(subgraph, reporter, message, f"@{applied.name}")


_ACCESS = frozenset({"FIELD_DEFINITION", "OBJECT", "INTERFACE", "SCALAR", "ENUM"})
_EVERYWHERE = frozenset(
    {
        "FIELD_DEFINITION",
        "OBJECT",
        "INTERFACE",
        "UNION",
        "ARGUMENT_DEFINITION",
        "SCALAR",
        "ENUM",
        "ENUM_VALUE",
        "INPUT_OBJECT",
        "INPUT_FIELD_DEFINITION",
    }
)
FEDERATION_LOCATIONS: dict[str, frozenset[str]] = {
    "key": frozenset({"OBJECT", "INTERFACE"}),
    "requires": frozenset({"FIELD_DEFINITION"}),
    "provides": frozenset({"FIELD_DEFINITION"}),
    "override": frozenset({"FIELD_DEFINITION"}),
    "external": frozenset({"OBJECT", "FIELD_DEFINITION"}),
    "shareable": frozenset({"OBJECT", "FIELD_DEFINITION"}),
    "interfaceObject": frozenset({"OBJECT"}),
    "extends": frozenset({"OBJECT", "INTERFACE"}),
    "inaccessible": _EVERYWHERE,
    "tag": _EVERYWHERE | {"SCHEMA"},
    "authenticated": _ACCESS,
    "requiresScopes": _ACCESS,
    "policy": _ACCESS,
    "composeDirective": frozenset({"SCHEMA"}),
    "context": frozenset({"OBJECT", "INTERFACE", "UNION"}),
    "fromContext": frozenset({"ARGUMENT_DEFINITION"}),
}
REPEATABLE = frozenset({"key", "tag", "shareable", "composeDirective", "context"})
_TYPE_LOCATION = {
    Kind.OBJECT: "OBJECT",
    Kind.INTERFACE: "INTERFACE",
    Kind.UNION: "UNION",
    Kind.ENUM: "ENUM",
    Kind.INPUT_OBJECT: "INPUT_OBJECT",
    Kind.SCALAR: "SCALAR",
}


def _validate_locations(subgraph: Subgraph, reporter: Reporter) -> None:
    """Federation directives only where their definitions allow, non-repeatable ones once per element."""
    elements: list[tuple[str, str, tuple[Applied, ...]]] = [("SCHEMA", "schema", subgraph.schema_directives)]
    for t in subgraph.types:
        elements.append((_TYPE_LOCATION[t.kind], t.name, t.directives))
        for f in t.fields:
            elements.append(("FIELD_DEFINITION", f"{t.name}.{f.name}", f.directives))
            elements.extend(("ARGUMENT_DEFINITION", f"{t.name}.{f.name}({a.name}:)", a.directives) for a in f.args)
        elements.extend(("INPUT_FIELD_DEFINITION", f"{t.name}.{f.name}", f.directives) for f in t.input_fields)
        elements.extend(("ENUM_VALUE", f"{t.name}.{v.name}", v.directives) for v in t.values)
    for location, coordinate, directives in elements:
        federation = [d for d in directives if d.federation]
        for directive in federation:
            allowed = FEDERATION_LOCATIONS.get(directive.name)
            if allowed is not None and location not in allowed:
                _error(subgraph, reporter, f'Directive "@{directive.name}" may not be used on {location}.', coordinate)
        names = [d.name for d in federation if d.name not in REPEATABLE]
        for name in sorted({n for n in names if names.count(n) > 1}):
            _error(subgraph, reporter, f'The directive "@{name}" can only be used once at this location.', coordinate)


def _validate_positions(subgraph: Subgraph, reporter: Reporter) -> None:
    """Arguments and input fields take input types; object and interface fields take output types."""
    kinds = {t.name: t.kind for t in subgraph.types}
    inputs = {Kind.SCALAR, Kind.ENUM, Kind.INPUT_OBJECT}
    for type_def in subgraph.types:
        for field in type_def.fields:
            coordinate = f"{type_def.name}.{field.name}"
            target = named_type(field.type)
            if kinds.get(target) is Kind.INPUT_OBJECT:
                _error(
                    subgraph,
                    reporter,
                    f'The type of "{coordinate}" must be Output Type but got: {field.type}.',
                    coordinate,
                )
            for arg in field.args:
                arg_kind = kinds.get(named_type(arg.type))
                if arg_kind is not None and arg_kind not in inputs:
                    _error(
                        subgraph,
                        reporter,
                        f'The type of "{coordinate}({arg.name}:)" must be Input Type but got: {arg.type}.',
                        f"{coordinate}({arg.name}:)",
                    )
        for input_field in type_def.input_fields:
            coordinate = f"{type_def.name}.{input_field.name}"
            field_kind = kinds.get(named_type(input_field.type))
            if field_kind is not None and field_kind not in inputs:
                _error(
                    subgraph,
                    reporter,
                    f'The type of "{coordinate}" must be Input Type but got: {input_field.type}.',
                    coordinate,
                )


def _validate_implementations(subgraph: Subgraph, type_def: TypeDef, reporter: Reporter) -> None:
    """Each implemented interface's fields exist on the type with a compatible (covariant) type."""

    def named_subtype(base: str, candidate: str) -> bool:
        base_def, candidate_def = subgraph.type(base), subgraph.type(candidate)
        if base_def is None or candidate_def is None:
            return False
        return candidate in base_def.members or base in candidate_def.interfaces

    for interface in type_def.interfaces:
        interface_def = subgraph.type(interface)
        if interface_def is None or interface_def.kind is not Kind.INTERFACE:
            if interface_def is not None:
                _error(
                    subgraph,
                    reporter,
                    f"Type {type_def.name} must only implement Interface types, it cannot implement {interface}.",
                    type_def.name,
                )
            continue
        for itf_field in interface_def.fields:
            field = type_def.field(itf_field.name)
            coordinate = f"{type_def.name}.{itf_field.name}"
            if field is None:
                _error(
                    subgraph,
                    reporter,
                    f"Interface field {interface}.{itf_field.name} expected but {type_def.name} does not provide it.",
                    coordinate,
                )
            elif field.type != itf_field.type and not is_strict_subtype(itf_field.type, field.type, named_subtype):
                _error(
                    subgraph,
                    reporter,
                    f"Interface field {interface}.{itf_field.name} expects type "
                    f"{itf_field.type} but {coordinate} is type {field.type}.",
                    coordinate,
                )


def _validate_defaults(subgraph: Subgraph, reporter: Reporter) -> None:
    """Default values must be valid for their argument or input field type (Apollo's wording)."""
    for type_def in subgraph.types:
        for field in type_def.fields:
            for arg in field.args:
                if arg.default is not None and not _valid_value(subgraph, arg.type, parse_value(arg.default)):
                    _error(
                        subgraph,
                        reporter,
                        f"Invalid default value (got: {arg.default}) provided for argument "
                        f"{type_def.name}.{field.name}({arg.name}:) of type {arg.type}.",
                        f"{type_def.name}.{field.name}({arg.name}:)",
                    )
        for input_field in type_def.input_fields:
            if input_field.default is not None and not _valid_value(
                subgraph, input_field.type, parse_value(input_field.default)
            ):
                _error(
                    subgraph,
                    reporter,
                    f"Invalid default value (got: {input_field.default}) provided for input "
                    f"field {type_def.name}.{input_field.name} of type {input_field.type}.",
                    f"{type_def.name}.{input_field.name}",
                )


def _valid_value(subgraph: Subgraph, type_ref: str, node: ValueNode) -> bool:
    """Input coercion of a literal, as GraphQL defines it (lists accept a single item)."""
    if isinstance(node, NullValueNode):
        return not type_ref.endswith("!")
    if isinstance(node, VariableNode):
        return False
    inner = type_ref.removesuffix("!")
    if inner.startswith("["):
        item = inner[1:-1]
        if isinstance(node, ListValueNode):
            return all(_valid_value(subgraph, item, v) for v in node.values)
        return _valid_value(subgraph, item, node)
    if inner in BUILTIN_SCALARS:
        return _valid_builtin(inner, node)
    type_def = subgraph.type(inner)
    if type_def is None or type_def.kind is Kind.SCALAR:
        return True
    if type_def.kind is Kind.ENUM:
        return isinstance(node, EnumValueNode) and type_def.value(node.value) is not None
    if type_def.kind is Kind.INPUT_OBJECT:
        if not isinstance(node, ObjectValueNode):
            return False
        given = {f.name.value: f.value for f in node.fields}
        for field in type_def.input_fields:
            value = given.pop(field.name, None)
            if value is None:
                if is_required(field.type, field.default):
                    return False
            elif not _valid_value(subgraph, field.type, value):
                return False
        return not given
    return False


def _valid_builtin(scalar: str, node: ValueNode) -> bool:
    if scalar == "Int":
        return isinstance(node, IntValueNode) and -(2**31) <= int(node.value) < 2**31
    if scalar == "Float":
        return isinstance(node, IntValueNode | FloatValueNode)
    if scalar == "String":
        return isinstance(node, StringValueNode)
    if scalar == "Boolean":
        return isinstance(node, BooleanValueNode)
    return isinstance(node, StringValueNode | IntValueNode)  # ID

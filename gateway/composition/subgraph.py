"""One subgraph's SDL parsed into plain records, with `@link` imports resolved to federation directive names.

Federation directives are stored under their spec names (`key`, `shareable`, ...) whatever alias the subgraph
imported them as; the federation plumbing (`_service`, `_entities`, `_Any`, `_Entity`, `FieldSet`, `link__*`) is
dropped. Spec: https://specs.apollo.dev/federation/v2.0 and https://specs.apollo.dev/link/v1.0.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum

from graphql import (
    ConstDirectiveNode,
    DirectiveDefinitionNode,
    DocumentNode,
    EnumTypeDefinitionNode,
    EnumTypeExtensionNode,
    FieldDefinitionNode,
    GraphQLError,
    InputObjectTypeDefinitionNode,
    InputObjectTypeExtensionNode,
    InputValueDefinitionNode,
    InterfaceTypeDefinitionNode,
    InterfaceTypeExtensionNode,
    ListValueNode,
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    ObjectValueNode,
    ScalarTypeDefinitionNode,
    ScalarTypeExtensionNode,
    SchemaDefinitionNode,
    SchemaExtensionNode,
    StringValueNode,
    TypeDefinitionNode,
    TypeExtensionNode,
    UnionTypeDefinitionNode,
    UnionTypeExtensionNode,
    ValueNode,
    parse,
    print_ast,
)

from gateway.composition.errors import CompositionError
from gateway.composition.typeref import named_type

FEDERATION_IDENTITY = "https://specs.apollo.dev/federation"

FEDERATION_DIRECTIVES = frozenset(
    {
        "key",
        "external",
        "requires",
        "provides",
        "extends",
        "shareable",
        "inaccessible",
        "tag",
        "override",
        "interfaceObject",
        "composeDirective",
        "authenticated",
        "requiresScopes",
        "policy",
        "context",
        "fromContext",
        "cost",
        "listSize",
    }
)
FED1_DIRECTIVES = frozenset({"key", "external", "requires", "provides", "extends", "tag"})
PLUMBING_TYPES = frozenset(
    {
        "_Any",
        "_Entity",
        "_Service",
        "FieldSet",
        "_FieldSet",
        "federation__FieldSet",
        "federation__Scope",
        "federation__Policy",
        "federation__ContextFieldValue",
        "link__Import",
        "link__Purpose",
    }
)
PLUMBING_FIELDS = frozenset({"_entities", "_service"})
DEFAULT_ROOTS = {"query": "Query", "mutation": "Mutation", "subscription": "Subscription"}
_VERSION = re.compile(r"^(?P<identity>.+)/(?P<name>[A-Za-z_][\w-]*)/v(?P<major>\d+)\.(?P<minor>\d+)/?$")


class Kind(StrEnum):
    """GraphQL named type kinds, valued by their SDL keyword."""

    OBJECT = "type"
    INTERFACE = "interface"
    UNION = "union"
    ENUM = "enum"
    INPUT_OBJECT = "input"
    SCALAR = "scalar"


COMPOSITE = frozenset({Kind.OBJECT, Kind.INTERFACE, Kind.UNION})
"""Kinds with fields to select (GraphQL "composite types"); the others are leaves or inputs."""


@dataclass(frozen=True, slots=True)
class Applied:
    """An applied directive; `name` is the spec name for federation directives, as written otherwise."""

    name: str
    args: tuple[tuple[str, str], ...] = ()
    federation: bool = False
    from_extension: bool = False

    def arg(self, name: str) -> str | None:
        """The printed GraphQL literal of an argument, if given."""
        return next((value for key, value in self.args if key == name), None)

    def string_arg(self, name: str) -> str | None:
        """A string argument decoded (`fields: "id"` -> `id`)."""
        literal = self.arg(name)
        if literal is None:
            return None
        node = parse(f"{{ f(a: {literal}) }}").definitions[0]
        value = node.selection_set.selections[0].arguments[0].value  # type: ignore[attr-defined]
        return value.value if isinstance(value, StringValueNode) else None

    def print(self, name: str | None = None) -> str:
        """SDL text, optionally under another name (the supergraph name)."""
        shown = name or self.name
        if not self.args:
            return f"@{shown}"
        return f"@{shown}(" + ", ".join(f"{key}: {value}" for key, value in self.args) + ")"


@dataclass(frozen=True, slots=True)
class InputValue:
    """An argument or input object field."""

    name: str
    type: str
    default: str | None = None
    description: str | None = None
    directives: tuple[Applied, ...] = ()


@dataclass(frozen=True, slots=True)
class Field:
    """An object or interface field."""

    name: str
    type: str
    args: tuple[InputValue, ...] = ()
    description: str | None = None
    directives: tuple[Applied, ...] = ()
    from_extension: bool = False

    def has(self, directive: str) -> bool:
        """Whether a (spec-named) directive is applied."""
        return any(d.name == directive for d in self.directives)

    def applied(self, directive: str) -> tuple[Applied, ...]:
        """Every application of a (spec-named) directive."""
        return tuple(d for d in self.directives if d.name == directive)

    def arg(self, name: str) -> InputValue | None:
        """An argument by name."""
        return next((a for a in self.args if a.name == name), None)


@dataclass(frozen=True, slots=True)
class EnumValue:
    """An enum value."""

    name: str
    description: str | None = None
    directives: tuple[Applied, ...] = ()


@dataclass(frozen=True, slots=True)
class TypeDef:
    """A named type with all its extensions folded in."""

    kind: Kind
    name: str
    description: str | None = None
    directives: tuple[Applied, ...] = ()
    fields: tuple[Field, ...] = ()
    input_fields: tuple[InputValue, ...] = ()
    interfaces: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    values: tuple[EnumValue, ...] = ()
    has_definition: bool = True
    has_extension: bool = False

    def has(self, directive: str) -> bool:
        """Whether a (spec-named) directive is applied to the type."""
        return any(d.name == directive for d in self.directives)

    def applied(self, directive: str) -> tuple[Applied, ...]:
        """Every application of a (spec-named) directive on the type."""
        return tuple(d for d in self.directives if d.name == directive)

    def field(self, name: str) -> Field | None:
        """An output field by name."""
        return next((f for f in self.fields if f.name == name), None)

    def input_field(self, name: str) -> InputValue | None:
        """An input field by name."""
        return next((f for f in self.input_fields if f.name == name), None)

    def value(self, name: str) -> EnumValue | None:
        """An enum value by name."""
        return next((v for v in self.values if v.name == name), None)


@dataclass(frozen=True, slots=True)
class DirectiveDef:
    """A directive definition kept from the subgraph (custom and executable directives)."""

    name: str
    args: tuple[InputValue, ...]
    repeatable: bool
    locations: tuple[str, ...]
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Link:
    """One `@link` on the schema: which spec, under which namespace, importing what (`(spec name, local)`)."""

    url: str
    identity: str
    name: str
    version: tuple[int, int]
    namespace: str
    imports: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Subgraph:
    """A parsed subgraph."""

    name: str
    url: str
    fed_version: tuple[int, int] | None
    types: tuple[TypeDef, ...]
    directive_defs: tuple[DirectiveDef, ...]
    links: tuple[Link, ...]
    roots: tuple[tuple[str, str], ...]
    schema_directives: tuple[Applied, ...] = ()
    schema_description: str | None = None
    _index: dict[str, TypeDef] = field(default_factory=dict, compare=False, repr=False)

    @property
    def fed2(self) -> bool:
        """Whether the subgraph links Federation 2 (otherwise Federation 1 semantics apply)."""
        return self.fed_version is not None

    def type(self, name: str) -> TypeDef | None:
        """A type by name."""
        if not self._index:
            self._index.update((t.name, t) for t in self.types)
        return self._index.get(name)

    def field(self, type_name: str, field_name: str) -> Field | None:
        """An output field by its parent type's name and its own."""
        type_def = self.type(type_name)
        return type_def.field(field_name) if type_def else None

    def applications(self) -> Iterator[Applied]:
        """Every applied directive, on the schema and on every type, field, argument and value."""
        yield from self.schema_directives
        for type_def in self.types:
            yield from type_def.directives
            for output in type_def.fields:
                yield from output.directives
                for arg in output.args:
                    yield from arg.directives
            for input_field in type_def.input_fields:
                yield from input_field.directives
            for value in type_def.values:
                yield from value.directives


def parse_subgraph(name: str, url: str, sdl: str) -> Subgraph:
    """Parse and normalise one subgraph's SDL; raises `CompositionError(INVALID_GRAPHQL)` on syntax errors."""
    try:
        document = parse(sdl)
    except GraphQLError as error:
        raise CompositionError("INVALID_GRAPHQL", f"[{name}] {error.message}", subgraphs=(name,)) from error
    links = _links(document)
    names = _DirectiveNames(links)
    roots = _roots(document)
    defined = {node.name.value for node in document.definitions if isinstance(node, TypeDefinitionNode)}
    for op, given in _declared_roots(document).items():
        if given not in defined:
            raise CompositionError(
                "INVALID_GRAPHQL", f"[{name}] Cannot set schema {op} root to unknown type {given}", subgraphs=(name,)
            )
    renames = {given: DEFAULT_ROOTS[op] for op, given in roots.items()}
    try:
        types = _types(document, names, renames)
    except CompositionError as error:
        raise CompositionError(
            error.code, f"[{name}] {error.message}", subgraphs=(name,), coordinates=error.coordinates
        ) from error
    if all(t.name != "Query" for t in types):
        # Every subgraph has one (`_service`, `_entities`); it is not a definition the SDL may reference.
        types += (TypeDef(Kind.OBJECT, "Query", has_definition=False),)
    present_roots = tuple(
        (op, DEFAULT_ROOTS[op]) for op in DEFAULT_ROOTS if DEFAULT_ROOTS[op] in {t.name for t in types}
    )
    fed_link = next((link for link in links if link.identity == FEDERATION_IDENTITY), None)
    directive_defs = tuple(
        _directive_def(node)
        for node in document.definitions
        if isinstance(node, DirectiveDefinitionNode)
        and names.canonical(node.name.value)[1] is False
        and node.name.value not in {"link", "core"}
    )
    return Subgraph(
        name=name,
        url=url,
        fed_version=fed_link.version if fed_link else None,
        types=types,
        directive_defs=directive_defs,
        links=links,
        roots=present_roots,
        schema_directives=tuple(
            applied
            for node in document.definitions
            if isinstance(node, SchemaDefinitionNode | SchemaExtensionNode)
            for applied in _applied(node.directives, names, False)
            if applied.name != "link"
        ),
        schema_description=next(
            (
                node.description.value
                for node in document.definitions
                if isinstance(node, SchemaDefinitionNode) and node.description is not None
            ),
            None,
        ),
    )


class _DirectiveNames:
    """Maps directive names as written to (spec name, is-federation)."""

    def __init__(self, links: tuple[Link, ...]) -> None:
        self._map: dict[str, str] = {}
        self._prefixes: list[str] = []
        fed = next((link for link in links if link.identity == FEDERATION_IDENTITY), None)
        if fed is None:
            self._map = {d: d for d in FED1_DIRECTIVES}
            return
        for spec_name, local in fed.imports:
            self._map[local] = spec_name
        self._prefixes.append(f"{fed.namespace}__")

    def canonical(self, written: str) -> tuple[str, bool]:
        if written in self._map:
            return self._map[written], True
        for prefix in self._prefixes:
            spec_name = written[len(prefix) :]
            # An imported directive is only known under its imported name, not the namespaced one.
            imported = spec_name in self._map.values()
            if written.startswith(prefix) and spec_name in FEDERATION_DIRECTIVES and not imported:
                return spec_name, True
        return written, False


def _links(document: DocumentNode) -> tuple[Link, ...]:
    links: list[Link] = []
    for node in document.definitions:
        if not isinstance(node, SchemaDefinitionNode | SchemaExtensionNode):
            continue
        for directive in node.directives or ():
            if directive.name.value != "link":
                continue
            args = {a.name.value: a.value for a in directive.arguments or ()}
            url_node = args.get("url")
            if not isinstance(url_node, StringValueNode):
                continue
            match = _VERSION.match(url_node.value)
            if match is None:
                continue
            alias = args.get("as")
            namespace = alias.value if isinstance(alias, StringValueNode) else match["name"]
            links.append(
                Link(
                    url=url_node.value,
                    identity=f"{match['identity']}/{match['name']}",
                    name=match["name"],
                    version=(int(match["major"]), int(match["minor"])),
                    namespace=namespace,
                    imports=_imports(args.get("import")),
                )
            )
    return tuple(links)


def _imports(node: ValueNode | None) -> tuple[tuple[str, str], ...]:
    if not isinstance(node, ListValueNode):
        return ()
    out: list[tuple[str, str]] = []
    for item in node.values:
        if isinstance(item, StringValueNode):
            out.append((item.value.lstrip("@"), item.value.lstrip("@")))
        elif isinstance(item, ObjectValueNode):
            fields = {f.name.value: f.value for f in item.fields}
            spec, local = fields.get("name"), fields.get("as", fields.get("name"))
            if isinstance(spec, StringValueNode) and isinstance(local, StringValueNode):
                out.append((spec.value.lstrip("@"), local.value.lstrip("@")))
    return tuple(out)


def _declared_roots(document: DocumentNode) -> dict[str, str]:
    return {
        op.operation.value: op.type.name.value
        for node in document.definitions
        if isinstance(node, SchemaDefinitionNode | SchemaExtensionNode)
        for op in node.operation_types or ()
    }


def _roots(document: DocumentNode) -> dict[str, str]:
    return {**DEFAULT_ROOTS, **_declared_roots(document)}


_KINDS: dict[type, Kind] = {
    ObjectTypeDefinitionNode: Kind.OBJECT,
    ObjectTypeExtensionNode: Kind.OBJECT,
    InterfaceTypeDefinitionNode: Kind.INTERFACE,
    InterfaceTypeExtensionNode: Kind.INTERFACE,
    UnionTypeDefinitionNode: Kind.UNION,
    UnionTypeExtensionNode: Kind.UNION,
    EnumTypeDefinitionNode: Kind.ENUM,
    EnumTypeExtensionNode: Kind.ENUM,
    InputObjectTypeDefinitionNode: Kind.INPUT_OBJECT,
    InputObjectTypeExtensionNode: Kind.INPUT_OBJECT,
    ScalarTypeDefinitionNode: Kind.SCALAR,
    ScalarTypeExtensionNode: Kind.SCALAR,
}


def _types(document: DocumentNode, names: _DirectiveNames, renames: dict[str, str]) -> tuple[TypeDef, ...]:
    merged: dict[str, TypeDef] = {}
    for node in document.definitions:
        if not isinstance(node, TypeDefinitionNode | TypeExtensionNode):
            continue
        type_name = renames.get(node.name.value, node.name.value)
        if type_name in PLUMBING_TYPES or type_name.startswith("link__"):
            continue
        part = _type_part(node, type_name, names, renames)
        previous = merged.get(type_name)
        if previous is not None and previous.has_definition and part.has_definition:
            raise CompositionError(
                "INVALID_GRAPHQL", f'There can be only one type named "{type_name}".', coordinates=(type_name,)
            )
        merged[type_name] = part if previous is None else _fold(previous, part)
    return tuple(merged.values())


def _type_part(
    node: TypeDefinitionNode | TypeExtensionNode, name: str, names: _DirectiveNames, renames: dict[str, str]
) -> TypeDef:
    extension = isinstance(node, TypeExtensionNode)
    kind = _KINDS[type(node)]
    description = getattr(node, "description", None)
    fields = tuple(
        _field(f, names, renames, extension)
        for f in getattr(node, "fields", None) or ()
        if isinstance(f, FieldDefinitionNode) and f.name.value not in PLUMBING_FIELDS
    )
    input_fields = tuple(
        _input_value(f, names, renames)
        for f in getattr(node, "fields", None) or ()
        if isinstance(f, InputValueDefinitionNode)
    )
    return TypeDef(
        kind=kind,
        name=name,
        description=description.value if description else None,
        directives=_applied(node.directives, names, extension),
        fields=fields,
        input_fields=input_fields,
        interfaces=tuple(i.name.value for i in getattr(node, "interfaces", None) or ()),
        members=tuple(renames.get(m.name.value, m.name.value) for m in getattr(node, "types", None) or ()),
        values=tuple(
            EnumValue(
                v.name.value, v.description.value if v.description else None, _applied(v.directives, names, False)
            )
            for v in getattr(node, "values", None) or ()
        ),
        has_definition=not extension,
        has_extension=extension,
    )


def _fold(base: TypeDef, part: TypeDef) -> TypeDef:
    return TypeDef(
        kind=base.kind,
        name=base.name,
        description=base.description if base.description is not None else part.description,
        directives=base.directives + part.directives,
        fields=base.fields + part.fields,
        input_fields=base.input_fields + part.input_fields,
        interfaces=base.interfaces + tuple(i for i in part.interfaces if i not in base.interfaces),
        members=base.members + tuple(m for m in part.members if m not in base.members),
        values=base.values + part.values,
        has_definition=base.has_definition or part.has_definition,
        has_extension=base.has_extension or part.has_extension,
    )


def _type_ref(node: object, renames: dict[str, str]) -> str:
    printed = print_ast(node)  # type: ignore[arg-type]
    inner = named_type(printed)
    return printed.replace(inner, renames[inner]) if inner in renames else printed


def _field(node: FieldDefinitionNode, names: _DirectiveNames, renames: dict[str, str], extension: bool) -> Field:
    return Field(
        name=node.name.value,
        type=_type_ref(node.type, renames),
        args=tuple(_input_value(a, names, renames) for a in node.arguments or ()),
        description=node.description.value if node.description else None,
        directives=_applied(node.directives, names, extension),
        from_extension=extension,
    )


def _input_value(node: InputValueDefinitionNode, names: _DirectiveNames, renames: dict[str, str]) -> InputValue:
    return InputValue(
        name=node.name.value,
        type=_type_ref(node.type, renames),
        default=print_ast(node.default_value) if node.default_value is not None else None,
        description=node.description.value if node.description else None,
        directives=_applied(node.directives, names, False),
    )


def _applied(
    nodes: tuple[ConstDirectiveNode, ...] | None, names: _DirectiveNames, extension: bool
) -> tuple[Applied, ...]:
    out: list[Applied] = []
    for node in nodes or ():
        spec_name, federation = names.canonical(node.name.value)
        args = tuple((a.name.value, print_ast(a.value)) for a in node.arguments or ())
        out.append(Applied(spec_name, args, federation, extension))
    return tuple(out)


def _directive_def(node: DirectiveDefinitionNode) -> DirectiveDef:
    return DirectiveDef(
        name=node.name.value,
        args=tuple(_input_value(a, _DirectiveNames(()), {}) for a in node.arguments or ()),
        repeatable=node.repeatable,
        locations=tuple(loc.value for loc in node.locations),
        description=node.description.value if node.description else None,
    )

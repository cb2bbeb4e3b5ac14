"""Read a supergraph SDL (`link` v1.0, `join` v0.2–v0.5) into ownership records.

Spec: https://specs.apollo.dev/join/v0.5 and https://specs.apollo.dev/link/v1.0.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    DirectiveNode,
    DocumentNode,
    EnumTypeDefinitionNode,
    FieldDefinitionNode,
    GraphQLError,
    GraphQLSchema,
    InputObjectTypeDefinitionNode,
    InterfaceTypeDefinitionNode,
    NamedTypeNode,
    ObjectTypeDefinitionNode,
    ScalarTypeDefinitionNode,
    SchemaDefinitionNode,
    TypeDefinitionNode,
    TypeNode,
    UnionTypeDefinitionNode,
    build_ast_schema,
    parse,
    print_ast,
    value_from_ast_untyped,
)

from gateway.supergraph.errors import SupergraphError
from gateway.supergraph.records import (
    NO_ACCESS_RULES,
    AccessRecord,
    FieldInSubgraph,
    FieldRecord,
    KeyRecord,
    SubgraphName,
    SubgraphRecord,
    TypeInSubgraph,
    TypeRecord,
)

_SPEC_URL = re.compile(r"^https://specs\.apollo\.dev/(?P<name>[a-zA-Z]+)/v(?P<version>\d+\.\d+)$")
_SUPPORTED_JOIN = ("0.2", "0.3", "0.4", "0.5")
_KIND_BY_NODE: tuple[tuple[type[TypeDefinitionNode], str], ...] = (
    (ObjectTypeDefinitionNode, "OBJECT"),
    (InterfaceTypeDefinitionNode, "INTERFACE"),
    (UnionTypeDefinitionNode, "UNION"),
    (EnumTypeDefinitionNode, "ENUM"),
    (InputObjectTypeDefinitionNode, "INPUT_OBJECT"),
    (ScalarTypeDefinitionNode, "SCALAR"),
)


@dataclass(frozen=True, slots=True)
class LinkedNames:
    """How the linked specs' directives are spelled in this document (`@link(as:)` renames them)."""

    join: str
    inaccessible: str
    tag: str
    authenticated: str
    requires_scopes: str
    policy: str
    spec_prefixes: tuple[str, ...]
    """Prefixes (`join__`, `link__`...) of the spec types that the API schema drops."""
    spec_directives: tuple[str, ...]
    """Directive names that belong to specs and never reach the API schema."""


@dataclass(frozen=True, slots=True)
class Supergraph:
    """A parsed supergraph: its subgraphs, ownership records and the full supergraph schema."""

    sdl: str
    document: DocumentNode
    schema: GraphQLSchema
    names: LinkedNames
    subgraphs: tuple[SubgraphRecord, ...]
    types: Mapping[str, TypeRecord]
    query_type: str
    mutation_type: str | None
    subscription_type: str | None

    def subgraph(self, name: str) -> SubgraphRecord:
        """The subgraph called `name` (its `@join__graph(name:)`)."""
        for record in self.subgraphs:
            if record.name == name:
                return record
        raise KeyError(name)


def parse_supergraph(sdl: str) -> Supergraph:
    """Parse and check a supergraph SDL; raise `SupergraphError` with a readable reason if it is broken."""
    try:
        document = parse(sdl, no_location=True)
    except GraphQLError as error:
        raise SupergraphError(f"The supergraph is not valid GraphQL SDL: {error.message}") from error
    names = _linked_names(document)
    try:
        schema = build_ast_schema(document)
    except (GraphQLError, TypeError) as error:
        raise SupergraphError(f"The supergraph schema is invalid: {error}") from error
    subgraphs = _subgraphs(document, names)
    by_enum = {record.enum_value: record.name for record in subgraphs}
    types: dict[str, TypeRecord] = {}
    for definition in document.definitions:
        if not isinstance(definition, TypeDefinitionNode):
            continue
        name = definition.name.value
        if name.startswith(names.spec_prefixes):
            continue
        types[name] = _type_record(definition, names, by_enum)
    query = schema.query_type
    if query is None:
        raise SupergraphError("The supergraph has no Query type.")
    mutation = schema.mutation_type
    subscription = schema.subscription_type
    return Supergraph(
        sdl=sdl,
        document=document,
        schema=schema,
        names=names,
        subgraphs=subgraphs,
        types=types,
        query_type=query.name,
        mutation_type=mutation.name if mutation else None,
        subscription_type=subscription.name if subscription else None,
    )


def _linked_names(document: DocumentNode) -> LinkedNames:
    """Find the `@link`ed specs on the schema definition and how their names are spelled."""
    links: dict[str, tuple[str, str]] = {}
    imports: dict[str, str] = {}
    for definition in document.definitions:
        if not isinstance(definition, SchemaDefinitionNode):
            continue
        for directive in definition.directives or ():
            if directive.name.value == "core":
                raise SupergraphError(
                    "This supergraph uses the Federation 1 `@core` format; recompose it with Federation 2."
                )
            if directive.name.value != "link":
                continue
            args = _arguments(directive)
            match = _SPEC_URL.match(str(args.get("url", "")))
            if match is None:
                continue
            spec, version = match.group("name"), match.group("version")
            links[spec] = (str(args.get("as") or spec), version)
            for item in args.get("import") or ():
                if isinstance(item, str):
                    imports[item.lstrip("@")] = item.lstrip("@")
                elif isinstance(item, dict):
                    imports[str(item["name"]).lstrip("@")] = str(item.get("as", item["name"])).lstrip("@")
    if "join" not in links:
        raise SupergraphError(
            "The supergraph does not @link the join spec (https://specs.apollo.dev/join/v0.x); "
            "is this a subgraph schema instead of a composed supergraph?"
        )
    join, version = links["join"]
    if version not in _SUPPORTED_JOIN:
        raise SupergraphError(f"join spec v{version} is not supported (supported: {', '.join(_SUPPORTED_JOIN)}).")

    def spec_name(spec: str) -> str:
        return links[spec][0] if spec in links else spec

    specs = set(links) | {"link", "join"}
    prefixes = tuple(f"{spec_name(spec)}__" for spec in sorted(specs))
    directives = [spec_name(spec) for spec in sorted(specs)]
    directives += [
        imports.get(d, d) for d in ("link", "inaccessible", "tag", "authenticated", "requiresScopes", "policy")
    ]
    return LinkedNames(
        join=join,
        inaccessible=spec_name("inaccessible"),
        tag=spec_name("tag"),
        authenticated=spec_name("authenticated"),
        requires_scopes=spec_name("requiresScopes"),
        policy=spec_name("policy"),
        spec_prefixes=prefixes,
        spec_directives=tuple(sorted(set(directives))),
    )


def _arguments(directive: DirectiveNode) -> dict[str, Any]:
    """A directive application's arguments as plain Python values."""
    return {arg.name.value: value_from_ast_untyped(arg.value) for arg in directive.arguments or ()}


def _applications(node: Any, name: str) -> list[dict[str, Any]]:
    """Arguments of every application of directive `name` on `node`."""
    return [_arguments(d) for d in node.directives or () if d.name.value == name]


def _subgraphs(document: DocumentNode, names: LinkedNames) -> tuple[SubgraphRecord, ...]:
    """The `join__Graph` enum: one value per subgraph with `@join__graph(name:, url:)`."""
    enum_name = f"{names.join}__Graph"
    for definition in document.definitions:
        if isinstance(definition, EnumTypeDefinitionNode) and definition.name.value == enum_name:
            records = []
            for value in definition.values or ():
                graph = _applications(value, f"{names.join}__graph")
                if not graph or "name" not in graph[0]:
                    raise SupergraphError(f"{enum_name}.{value.name.value} has no @{names.join}__graph(name:, url:).")
                url = graph[0].get("url")
                records.append(
                    SubgraphRecord(
                        enum_value=value.name.value,
                        name=SubgraphName(str(graph[0]["name"])),
                        url=str(url) if url is not None else "",
                    )
                )
            return tuple(records)
    raise SupergraphError(f"The supergraph has no {enum_name} enum listing its subgraphs.")


def _graph(by_enum: Mapping[str, SubgraphName], value: Any, where: str) -> SubgraphName:
    """Resolve a `graph:` argument to a subgraph name or fail with the location."""
    if not isinstance(value, str) or value not in by_enum:
        raise SupergraphError(f"{where} refers to unknown subgraph {value!r}.")
    return by_enum[value]


def _access(node: Any, names: LinkedNames) -> AccessRecord:
    """Collect authorization directives for the later identity stage."""
    authenticated = bool(_applications(node, names.authenticated))
    scopes = tuple(
        tuple(str(s) for s in group) for app in _applications(node, names.requires_scopes) for group in app["scopes"]
    )
    policies = tuple(
        tuple(str(p) for p in group) for app in _applications(node, names.policy) for group in app["policies"]
    )
    record = AccessRecord(authenticated=authenticated, scopes=scopes, policies=policies)
    return record if record.restricts else NO_ACCESS_RULES


def _type_ref(node: TypeNode) -> str:
    """A type reference as SDL text, e.g. `[Int!]!`."""
    return print_ast(node)


def _type_record(definition: TypeDefinitionNode, names: LinkedNames, by_enum: Mapping[str, SubgraphName]) -> TypeRecord:
    """Build one `TypeRecord` from a type definition and its join directives."""
    name = definition.name.value
    kind = next(k for cls, k in _KIND_BY_NODE if isinstance(definition, cls))
    join = names.join
    subgraphs: dict[SubgraphName, TypeInSubgraph] = {}
    for app in _applications(definition, f"{join}__type"):
        graph = _graph(by_enum, app.get("graph"), f"@{join}__type on {name}")
        keys = list(subgraphs[graph].keys) if graph in subgraphs else []
        if app.get("key") is not None:
            keys.append(KeyRecord(fields=str(app["key"]), resolvable=app.get("resolvable", True) is not False))
        previous = subgraphs.get(graph)
        subgraphs[graph] = TypeInSubgraph(
            subgraph=graph,
            keys=tuple(keys),
            extension=bool(app.get("extension")) or (previous.extension if previous else False),
            is_interface_object=bool(app.get("isInterfaceObject"))
            or (previous.is_interface_object if previous else False),
        )
    fields: list[FieldRecord] = []
    field_nodes: tuple[FieldDefinitionNode, ...] = ()
    if isinstance(definition, ObjectTypeDefinitionNode | InterfaceTypeDefinitionNode):
        field_nodes = tuple(definition.fields or ())
    for field in field_nodes:
        fields.append(_field_record(name, field, names, by_enum))
    implements = tuple(
        (_graph(by_enum, app.get("graph"), f"@{join}__implements on {name}"), str(app["interface"]))
        for app in _applications(definition, f"{join}__implements")
    )
    members = tuple(
        (_graph(by_enum, app.get("graph"), f"@{join}__unionMember on {name}"), str(app["member"]))
        for app in _applications(definition, f"{join}__unionMember")
    )
    if isinstance(definition, UnionTypeDefinitionNode) and not members:
        members = tuple((graph, member.name.value) for graph in subgraphs for member in _union_types(definition))
    enum_values: tuple[tuple[str, tuple[SubgraphName, ...]], ...] = ()
    if isinstance(definition, EnumTypeDefinitionNode):
        enum_values = tuple(
            (
                value.name.value,
                tuple(
                    _graph(by_enum, app.get("graph"), f"@{join}__enumValue on {name}.{value.name.value}")
                    for app in _applications(value, f"{join}__enumValue")
                ),
            )
            for value in definition.values or ()
        )
    return TypeRecord(
        name=name,
        kind=kind,
        subgraphs=tuple(subgraphs.values()),
        fields=tuple(fields),
        implements=implements,
        union_members=members,
        enum_values=enum_values,
        inaccessible=bool(_applications(definition, names.inaccessible)),
        access=_access(definition, names),
    )


def _union_types(definition: UnionTypeDefinitionNode) -> tuple[NamedTypeNode, ...]:
    return tuple(definition.types or ())


def _field_record(
    type_name: str, field: FieldDefinitionNode, names: LinkedNames, by_enum: Mapping[str, SubgraphName]
) -> FieldRecord:
    """Build one `FieldRecord` from a field definition and its `@join__field` applications."""
    where = f"@{names.join}__field on {type_name}.{field.name.value}"
    entries = []
    applications = _applications(field, f"{names.join}__field")
    for app in applications:
        if app.get("graph") is None:
            continue  # `@join__field` without a graph marks a field no subgraph resolves (v0.3+).
        entries.append(
            FieldInSubgraph(
                subgraph=_graph(by_enum, app.get("graph"), where),
                requires=_optional_str(app.get("requires")),
                provides=_optional_str(app.get("provides")),
                type=_optional_str(app.get("type")),
                external=bool(app.get("external")),
                override=_optional_str(app.get("override")),
                override_label=_optional_str(app.get("overrideLabel")),
                used_overridden=bool(app.get("usedOverridden")),
            )
        )
    return FieldRecord(
        name=field.name.value,
        type_name=type_name,
        return_type=_type_ref(field.type),
        subgraphs=tuple(entries),
        joined=bool(applications),
        inaccessible=bool(_applications(field, names.inaccessible)),
        access=_access(field, names),
    )


def _optional_str(value: Any) -> str | None:
    return None if value is None else str(value)

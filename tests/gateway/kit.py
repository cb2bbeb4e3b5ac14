"""Test kit: small real federation subgraphs on graphql-core over one shared data set, plus the
monolith reference schema that answers the same queries without federation.

A subgraph resolves only what its SDL declares; `@external` fields come only from representations
(so a gateway that forgets `@requires` inputs gets wrong answers), and `computed` fields derive
their value from the object the subgraph sees.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson
from graphql import (
    GraphQLError,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLSchema,
    InterfaceTypeDefinitionNode,
    ObjectTypeDefinitionNode,
    SelectionSetNode,
    build_ast_schema,
    graphql,
    parse,
    validate,
    value_from_ast_untyped,
)
from graphql.language import Visitor, visit

from gateway.composition import SubgraphSource, compose
from gateway.execution import AsgiSubgraphClient, SubgraphClient
from gateway.supergraph import build_api_schema, parse_supergraph

Info = GraphQLResolveInfo[Any]
World = Mapping[str, Sequence[Mapping[str, Any]]]
"""Every object of every type, fully populated: typename → objects."""
Computed = Callable[[Mapping[str, Any]], Any]
RootResolver = Callable[..., Any]

_FEDERATION_DEFINITIONS = """
scalar _Any
directive @key(fields: String!, resolvable: Boolean = true) repeatable on OBJECT | INTERFACE
directive @external on FIELD_DEFINITION | OBJECT
directive @requires(fields: String!) on FIELD_DEFINITION
directive @provides(fields: String!) on FIELD_DEFINITION
directive @shareable repeatable on OBJECT | FIELD_DEFINITION
directive @override(from: String!, label: String) on FIELD_DEFINITION
directive @inaccessible on FIELD_DEFINITION | OBJECT | INTERFACE | UNION | ARGUMENT_DEFINITION | SCALAR
  | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION
directive @interfaceObject on OBJECT
directive @tag(name: String!) repeatable on FIELD_DEFINITION | OBJECT | INTERFACE | UNION | ARGUMENT_DEFINITION
  | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION
"""
_LINK = re.compile(r"extend\s+schema\s+@link\([^)]*\)(\s*@link\([^)]*\))*", re.S)

FEDERATION_LINK = (
    'extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: '
    '["@key", "@external", "@requires", "@provides", "@shareable", "@override", "@inaccessible", '
    '"@interfaceObject", "@tag"])\n'
)


@dataclass(frozen=True, slots=True)
class Subgraph:
    """One subgraph: SDL (Federation 2, `FEDERATION_LINK` is prepended), root resolvers, computed fields."""

    name: str
    sdl: str
    roots: Mapping[str, RootResolver] = field(default_factory=dict)
    computed: Mapping[tuple[str, str], Computed] = field(default_factory=dict)
    key_types: tuple[str, ...] = ()
    """Entity types resolvable through `_entities` (derived from `@key` when empty)."""
    type_aliases: Mapping[str, str] = field(default_factory=dict)
    """World type → the type this subgraph reports (e.g. implementations → an `@interfaceObject`)."""


def _top_level(field_set: str) -> list[str]:
    """Top-level field names of a field set (`"badge org { code }"` → badge, org)."""
    names: list[str] = []
    depth = 0
    for token in re.findall(r"[{}]|\w+", field_set):
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
        elif depth == 0:
            names.append(token)
    return names


def _directive_args(node: Any, name: str) -> list[dict[str, Any]]:
    return [
        {a.name.value: value_from_ast_untyped(a.value) for a in d.arguments or ()}
        for d in node.directives or ()
        if d.name.value == name
    ]


def _entities_of(sdl: str) -> tuple[list[str], dict[str, set[str]], dict[str, list[list[str]]]]:
    """Entity types, external (and not provided) fields per type, and key field names per type."""
    entities: list[str] = []
    externals: dict[str, set[str]] = {}
    keys: dict[str, list[list[str]]] = {}
    document = parse(_FEDERATION_DEFINITIONS + sdl)
    provided: set[str] = set()
    definitions = [
        d for d in document.definitions if isinstance(d, ObjectTypeDefinitionNode | InterfaceTypeDefinitionNode)
    ]
    for definition in definitions:
        for f in definition.fields or ():
            for args in _directive_args(f, "provides"):
                provided.update(n for n in re.findall(r"\w+", str(args["fields"])) if n != "on")
    for definition in definitions:
        name = definition.name.value
        key_args = _directive_args(definition, "key")
        keys[name] = [_top_level(str(k["fields"])) for k in key_args]
        resolvable = any(k.get("resolvable", True) is not False for k in key_args)
        if isinstance(definition, ObjectTypeDefinitionNode) and (
            resolvable or _directive_args(definition, "interfaceObject")
        ):
            entities.append(name)
        type_external = bool(_directive_args(definition, "external"))
        for f in definition.fields or ():
            if (type_external or _directive_args(f, "external")) and f.name.value not in provided:
                externals.setdefault(name, set()).add(f.name.value)
    return entities, externals, keys


class SubgraphApp:
    """An executable subgraph served as an ASGI app (and through `AsgiSubgraphClient`)."""

    def __init__(self, subgraph: Subgraph, world: World) -> None:
        self.subgraph = subgraph
        self.world = world
        self.requests: list[dict[str, Any]] = []
        self.rejected: list[tuple[str, str]] = []
        """(operation, reason) for every request that did not parse or validate against this subgraph."""
        body = _LINK.sub("", subgraph.sdl)
        entities, self.externals, self.keys = _entities_of(body)
        entities = list(subgraph.key_types) or entities
        has_query = re.search(r"\btype\s+Query\b", body) is not None
        extra = ""
        if entities:
            extra += f"\nunion _Entity = {' | '.join(entities)}\n"
            entity_field = "_entities(representations: [_Any!]!): [_Entity]!"
            extra += (
                f"\nextend type Query {{ {entity_field} }}\n" if has_query else f"\ntype Query {{ {entity_field} }}\n"
            )
        elif not has_query:
            extra += "\ntype Query { _service: String }\n"
        self.schema: GraphQLSchema = build_ast_schema(parse(_FEDERATION_DEFINITIONS + body + extra))
        self.sdl = FEDERATION_LINK + subgraph.sdl

    def _visible(self, typename: str, obj: Mapping[str, Any]) -> dict[str, Any]:
        """The object's data as this subgraph may know it: external fields removed."""
        hidden = self.externals.get(typename, set())
        return {k: v for k, v in obj.items() if k not in hidden}

    def _wrap(self, typename: str, raw: dict[str, Any]) -> dict[str, Any]:
        """Resolvable view: nested objects wrapped lazily, computed fields bound to the raw data."""
        view = {k: _lazy(self._wrap_result, v) for k, v in raw.items()}
        view["__typename"] = typename
        for (type_name, field_name), compute in self.subgraph.computed.items():
            if type_name == typename:
                view[field_name] = _bind(compute, raw, self._wrap_result)
        return view

    def _root(self, name: str, resolver: RootResolver) -> Callable[..., Any]:
        def resolve(info: Info, **args: Any) -> Any:
            return self._wrap_result(resolver(self.world, **args))

        return resolve

    def _wrap_result(self, value: Any) -> Any:
        if isinstance(value, list):
            return [self._wrap_result(v) for v in value]
        if isinstance(value, dict) and "__typename" in value:
            typename = self.subgraph.type_aliases.get(value["__typename"], value["__typename"])
            return self._wrap(typename, self._visible(typename, value))
        return value

    def _entities(self, info: Info, representations: list[dict[str, Any]]) -> list[Any]:
        result: list[Any] = []
        for rep in representations:
            typename = rep["__typename"]
            found = _find(self.world, typename, rep, self.keys.get(typename, []))
            if found is None:
                result.append(None)
                continue
            if not isinstance(self.schema.get_type(typename), GraphQLObjectType):
                typename = found["__typename"]  # an entity interface resolves to its concrete type
            raw = self._visible(typename, found)
            raw.update({k: v for k, v in rep.items() if k != "__typename"})
            result.append(self._wrap(typename, raw))
        return result

    async def execute(self, payload: Mapping[str, Any]) -> dict[str, Any]:
        """Run one GraphQL request against the subgraph schema."""
        self.requests.append(dict(payload))
        problems = request_problems(self.schema, payload["query"])
        if problems:
            self.rejected.append((payload["query"], "; ".join(p.message for p in problems)))
        root: dict[str, Any] = {name: self._root(name, fn) for name, fn in self.subgraph.roots.items()}
        root["_entities"] = self._entities
        result = await graphql(
            self.schema,
            payload["query"],
            root_value=root,
            variable_values=payload.get("variables"),
            type_resolver=_type_resolver,
        )
        response: dict[str, Any] = {"data": result.data}
        if result.errors:
            response["errors"] = [e.formatted for e in result.errors]
        return response

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await serve_json(scope, receive, send, self.execute)

    def client(self) -> SubgraphClient:
        """An in-process transport to this subgraph."""
        return AsgiSubgraphClient(self.subgraph.name, self)


def request_problems(schema: GraphQLSchema, query: str) -> list[GraphQLError]:
    """Why a subgraph would refuse `query`: syntax (an empty selection set too, which the grammar forbids:
    `SelectionSet : { Selection+ }`, GraphQL spec §2.4, though graphql-core 3.3 parses it) or validation."""
    try:
        document = parse(query)
    except GraphQLError as error:
        return [error]
    empty = _EmptySelectionSets()
    visit(document, empty)
    if empty.found:
        return [GraphQLError("Syntax Error: Expected Name, found '}' (an empty selection set).")]
    return list(validate(schema, document))


class _EmptySelectionSets(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.found = False

    def enter_selection_set(self, node: SelectionSetNode, *_: object) -> None:
        if not node.selections:
            self.found = True


async def serve_json(
    scope: Any, receive: Any, send: Any, execute: Callable[[Mapping[str, Any]], Awaitable[dict[str, Any]]]
) -> None:
    """ASGI: read a JSON GraphQL request, answer `execute(payload)` as JSON with status 200."""
    if scope["type"] != "http":
        return
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    response = orjson.dumps(await execute(orjson.loads(body)))
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(response)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": response})


def _lazy(wrap: Callable[[Any], Any], value: Any) -> Any:
    """Defer wrapping nested objects until graphql-core asks (the world may be cyclic)."""
    if isinstance(value, dict | list):
        return lambda info, **args: wrap(value)
    return value


def _bind(compute: Computed, view: Mapping[str, Any], wrap: Callable[[Any], Any]) -> Callable[..., Any]:
    def resolve(info: Info, **args: Any) -> Any:
        return wrap(compute({**view, **args}))

    return resolve


def _type_resolver(value: Any, info: Info, abstract: Any) -> str | None:
    if isinstance(value, dict):
        typename = value.get("__typename")
        return typename if isinstance(typename, str) else None
    return None


def _find(world: World, typename: str, rep: Mapping[str, Any], key_sets: list[list[str]]) -> Mapping[str, Any] | None:
    """The world object of `typename` (or of any type, for interface representations) matching a key."""
    names = next((k for k in key_sets if all(n in rep for n in k)), None)
    if names is None:
        return None
    keys = {k: rep[k] for k in names}
    pools = [world.get(typename, ())] if typename in world else list(world.values())
    for pool in pools:
        for obj in pool:
            if keys and all(_matches(obj.get(k), v) for k, v in keys.items()):
                return obj
    return None


def _matches(value: Any, wanted: Any) -> bool:
    """Key equality where nested key objects compare only the fields the key names."""
    if isinstance(wanted, dict):
        return isinstance(value, dict) and all(_matches(value.get(k), v) for k, v in wanted.items())
    return bool(value == wanted)


@dataclass
class Federation:
    """Subgraphs + supergraph + the monolith reference over one world."""

    subgraphs: Sequence[Subgraph]
    world: World
    apps: dict[str, SubgraphApp] = field(init=False)
    supergraph_sdl: str = field(init=False)
    _api: GraphQLSchema | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.apps = {s.name: SubgraphApp(s, self.world) for s in self.subgraphs}
        sources = [
            SubgraphSource(s.name, f"http://127.0.0.1:1/{s.name}", self.apps[s.name].sdl) for s in self.subgraphs
        ]
        self.supergraph_sdl = compose(sources).unwrap()

    def _api_schema(self) -> GraphQLSchema:
        if self._api is None:
            self._api = build_api_schema(parse_supergraph(self.supergraph_sdl))
        return self._api

    def transports(self) -> dict[str, SubgraphClient]:
        """In-process clients for every subgraph."""
        return {name: app.client() for name, app in self.apps.items()}

    async def reference(self, query: str, variables: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The answer of a monolith that has every field, computed fields included."""
        api = self._api_schema()
        computed: dict[tuple[str, str], Computed] = {}
        roots: dict[str, RootResolver] = {}
        for s in self.subgraphs:
            computed.update(s.computed)
            roots.update(s.roots)

        def wrap(value: Any) -> Any:
            if isinstance(value, list):
                return [wrap(v) for v in value]
            if isinstance(value, dict) and "__typename" in value:
                out = {k: _lazy(wrap, v) for k, v in value.items()}
                for (type_name, field_name), compute in computed.items():
                    if type_name == value["__typename"] and field_name not in value:
                        out[field_name] = _bind(compute, value, wrap)
                return out
            return value

        def resolver(fn: RootResolver) -> Callable[..., Any]:
            return lambda info, **args: wrap(fn(self.world, **args))

        root = {name: resolver(fn) for name, fn in roots.items()}
        result = await graphql(
            api, query, root_value=root, variable_values=dict(variables or {}), type_resolver=_type_resolver
        )
        response: dict[str, Any] = {"data": result.data}
        if result.errors:
            response["errors"] = [e.formatted for e in result.errors]
        return response

"""Synthetic federations: any subgraphs' SDL served in process over one generated world.

The world holds a few objects of every object type with every field filled, the same for every run of
one fixture name. Each subgraph answers only what its SDL lets it answer: `@external` fields come only
from representations or along a `@provides`, a `@requires` field fails unless its inputs arrived and
derives its value from them, an `@interfaceObject` sees every implementation as the interface. A few
fields fail on one object, so error paths and null propagation are exercised. The oracle is the
supergraph's API schema answering the same operation over the same world without federation.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from hashlib import blake2b
from typing import Any

import orjson
from graphql import (
    GraphQLEnumType,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLSchema,
    GraphQLUnionType,
    build_ast_schema,
    get_named_type,
    graphql,
    parse,
)

from gateway.composition import SubgraphSource, compose
from gateway.composition.subgraph import Kind, Subgraph, TypeDef, parse_subgraph
from gateway.composition.typeref import named_type
from gateway.execution import AsgiSubgraphClient, SubgraphClient
from gateway.query_graph import Field, InlineFragment, Selection, parse_field_set
from gateway.supergraph import build_api_schema, parse_supergraph
from tests.gateway.kit import request_problems, serve_json

Obj = dict[str, Any]
Info = GraphQLResolveInfo[Any]
OBJECTS_PER_TYPE = 3
_BUILTIN_SCALARS = frozenset({"Int", "Float", "String", "Boolean", "ID"})


class Faulty:
    """A field value that fails when resolved (the same message in a subgraph and in the oracle)."""

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message


def resolve_field(source: Any, info: Info, **args: Any) -> Any:
    """Read a field from a dict view: plain values, callables (computed or nested), `Faulty` raises."""
    value = source.get(info.field_name) if isinstance(source, dict) else None
    if callable(value):
        return value(info, **args)
    if isinstance(value, Faulty):
        raise GraphQLError(value.message)
    return value


def resolve_type(value: Any, info: Info, abstract: Any) -> str | None:
    """Runtime type from the view's `__typename`."""
    typename = value.get("__typename") if isinstance(value, dict) else None
    return typename if isinstance(typename, str) else None


def digest(value: Any) -> int:
    """A stable integer of a JSON value (Python's `hash` varies between runs)."""
    return int.from_bytes(blake2b(orjson.dumps(value, option=orjson.OPT_SORT_KEYS), digest_size=6).digest(), "big")


def _unwrap(ref: GraphQLOutputType) -> tuple[list[bool], Any]:
    """Nullability of the field and each list level, and the named type."""
    nullable: list[bool] = []
    current: Any = ref
    while True:
        if isinstance(current, GraphQLNonNull):
            nullable.append(False)
            current = current.of_type
        else:
            nullable.append(True)
        if isinstance(current, GraphQLList):
            current = current.of_type
            continue
        return nullable, current


Conditions = Mapping[str, frozenset[str]]
"""Object type → the type conditions that apply to it (itself, its interfaces, its unions)."""


def _applies(condition: str | None, value: Obj, conditions: Conditions) -> bool:
    typename = value.get("__typename")
    if condition is None or typename is None:
        return True
    return condition in conditions.get(str(typename), frozenset({str(typename)}))


def projection(value: Any, selections: tuple[Selection, ...], conditions: Conditions) -> Any:
    """The part of `value` a field set selects (field names as keys, `__typename` ignored)."""
    if isinstance(value, list):
        return [projection(item, selections, conditions) for item in value]
    if not isinstance(value, dict):
        return value
    out: Obj = {}
    for selection in selections:
        if isinstance(selection, InlineFragment):
            if _applies(selection.type_condition, value, conditions):
                out.update(projection(value, selection.selections, conditions))
        elif selection.name in value:
            inner = value[selection.name]
            out[selection.name] = projection(inner, selection.selections, conditions) if selection.selections else inner
    return out


def missing_input(value: Any, selections: tuple[Selection, ...], conditions: Conditions) -> str | None:
    """The first `@requires` input absent from `value` (None when every input arrived)."""
    if isinstance(value, list):
        return next((m for m in (missing_input(item, selections, conditions) for item in value) if m), None)
    if not isinstance(value, dict):
        return None
    for selection in selections:
        if isinstance(selection, InlineFragment):
            if _applies(selection.type_condition, value, conditions):
                found = missing_input(value, selection.selections, conditions)
                if found:
                    return found
            continue
        if selection.name not in value:
            return selection.name
        if selection.selections:
            found = missing_input(value[selection.name], selection.selections, conditions)
            if found:
                return f"{selection.name}.{found}"
    return None


@dataclass
class SyntheticFederation:
    """Subgraphs (name, SDL) composed, served over a generated world, with the oracle beside them.

    `supergraph_sdl` may be given (a checked-in supergraph); else the subgraphs are composed.
    """

    name: str
    sources: Sequence[tuple[str, str]]
    supergraph_sdl: str = ""
    fault_rate: float = 0.08
    faults: tuple[str, ...] = ()
    """`Type.field`s that fail on every object (a fixture's deliberate failure)."""
    apps: dict[str, SyntheticSubgraph] = field(init=False)
    world: World = field(init=False)

    def __post_init__(self) -> None:
        parsed = [parse_subgraph(name, f"http://127.0.0.1:1/{name}", sdl) for name, sdl in self.sources]
        if not self.supergraph_sdl:
            self.supergraph_sdl = compose(
                [SubgraphSource(name, f"http://127.0.0.1:1/{name}", sdl) for name, sdl in self.sources]
            ).unwrap()
        self.world = World(self.name, self.supergraph_sdl, parsed, self.fault_rate, self.faults)
        self.apps = {s.name: SyntheticSubgraph(s, self.world) for s in parsed}

    def transports(self) -> dict[str, SubgraphClient]:
        """In-process clients for every subgraph."""
        return {name: AsgiSubgraphClient(name, app) for name, app in self.apps.items()}

    def rejected(self) -> list[tuple[str, str, str]]:
        """(subgraph, operation, reason) for every request a subgraph could not parse or validate."""
        return [(name, query, reason) for name, app in self.apps.items() for query, reason in app.rejected]

    def clear_logs(self) -> None:
        """Forget the requests seen so far."""
        for app in self.apps.values():
            app.requests.clear()
            app.rejected.clear()

    def argument_values(self, type_name: str, field_name: str, argument: str) -> list[Any]:
        """Values worth passing to a string argument: leaf values of the objects the field may return."""
        return self.world.argument_values(type_name, field_name)

    async def reference(self, query: str, variables: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The monolith's answer: the API schema over the world."""
        return await self.world.reference(query, variables)


class World:
    """The generated objects and what each subgraph may see of them."""

    def __init__(
        self,
        name: str,
        supergraph_sdl: str,
        subgraphs: Sequence[Subgraph],
        fault_rate: float,
        faults: tuple[str, ...] = (),
    ) -> None:
        self.supergraph = parse_supergraph(supergraph_sdl)
        self.schema: GraphQLSchema = self.supergraph.schema
        self.api = build_api_schema(self.supergraph)
        self.subgraphs = {s.name: s for s in subgraphs}
        self.rng = random.Random(f"zhijian-world-{name}")
        self.fault_rate = fault_rate
        self.faults = frozenset(faults)
        self.objects: dict[str, list[Obj]] = {}
        self.roots: dict[str, Obj] = {}
        self._protected = self._field_set_names()
        self._allowed: dict[tuple[str, str], tuple[str, ...]] = {}
        self._int_keys = 0
        self._build()

    # -- which subgraph resolves what -------------------------------------------------------------

    def type_in(self, subgraph: Subgraph, type_name: str) -> TypeDef | None:
        """The subgraph's definition serving objects of `type_name` (its own, or an interface object)."""
        own = subgraph.type(type_name)
        if own is not None:
            return own
        named = self.schema.get_type(type_name)
        if isinstance(named, GraphQLObjectType):
            for interface in named.interfaces:
                candidate = subgraph.type(interface.name)
                if candidate is not None and candidate.kind is Kind.OBJECT and candidate.has("interfaceObject"):
                    return candidate
        return None

    def is_external(self, subgraph: Subgraph, type_def: TypeDef, field_name: str) -> bool:
        """Whether the subgraph only references the field (`@external`, not a key field)."""
        definition = type_def.field(field_name)
        if definition is None:
            return True
        if field_name in self.key_names(type_def):
            return False
        return definition.has("external") or (type_def.has("external") and not definition.has("requires"))

    @staticmethod
    def key_names(type_def: TypeDef) -> frozenset[str]:
        """Top-level field names of every `@key` of a type in one subgraph."""
        names: set[str] = set()
        for key in type_def.applied("key"):
            text = key.string_arg("fields")
            if text:
                names.update(s.name for s in parse_field_set(text) if isinstance(s, Field))
        return frozenset(names)

    def _resolving(self, type_name: str, field_name: str) -> list[tuple[Subgraph, TypeDef]]:
        result = []
        for subgraph in self.subgraphs.values():
            type_def = self.type_in(subgraph, type_name)
            if (
                type_def is not None
                and type_def.field(field_name) is not None
                and not self.is_external(subgraph, type_def, field_name)
            ):
                result.append((subgraph, type_def))
        return result

    def runtime_types(self, subgraph: Subgraph, type_name: str) -> frozenset[str]:
        """Object types the subgraph can return at a position of `type_name`."""
        type_def = subgraph.type(type_name)
        if type_def is None:
            return frozenset()
        if type_def.kind is Kind.OBJECT:
            if type_def.has("interfaceObject"):
                return self.possible(type_name)
            return frozenset({type_name})
        if type_def.kind is Kind.UNION:
            return frozenset(type_def.members)
        if type_def.kind is Kind.INTERFACE:
            return frozenset(
                t.name for t in subgraph.types if t.kind is Kind.OBJECT and type_name in t.interfaces
            )
        return frozenset()

    def possible(self, type_name: str) -> frozenset[str]:
        """Object types of the supergraph at a position of `type_name`."""
        named = self.schema.get_type(type_name)
        if isinstance(named, GraphQLObjectType):
            return frozenset({named.name})
        if isinstance(named, GraphQLInterfaceType | GraphQLUnionType):
            return frozenset(t.name for t in self.schema.get_possible_types(named))
        return frozenset()

    def allowed(self, type_name: str, field_name: str) -> tuple[str, ...]:
        """Object types a value of the field may have: ones every subgraph resolving it can return."""
        key = (type_name, field_name)
        cached = self._allowed.get(key)
        if cached is not None:
            return cached
        definition = _field_def(self.schema, type_name, field_name)
        target = get_named_type(definition.type).name
        visible = self.possible(target)
        api_type = self.api.get_type(target)
        if api_type is not None:
            api_possible = (
                {t.name for t in self.api.get_possible_types(api_type)}
                if isinstance(api_type, GraphQLInterfaceType | GraphQLUnionType)
                else {api_type.name}
            )
            visible = visible & api_possible
        sets = []
        for subgraph, type_def in self._resolving(type_name, field_name):
            declared = type_def.field(field_name)
            assert declared is not None
            sets.append(self.runtime_types(subgraph, named_type(declared.type)) & visible)
        result: frozenset[str] = visible
        for one in sets:
            result = result & one
        if not result and sets:
            result = sets[0] or visible
        cached = tuple(sorted(result))
        self._allowed[key] = cached
        return cached

    # -- generation -------------------------------------------------------------------------------

    def _field_set_names(self) -> dict[str, set[str]]:
        """Per type, every field named in a key, `@requires` or `@provides` (they never fail or go null)."""
        names: dict[str, set[str]] = {}

        def note(type_name: str, selections: tuple[Selection, ...]) -> None:
            for selection in selections:
                if isinstance(selection, Field):
                    names.setdefault(type_name, set()).add(selection.name)
                    if selection.selections:
                        for inner in self._types_below(type_name, selection.name):
                            note(inner, selection.selections)
                else:
                    for inner in self.possible(selection.type_condition or type_name) or {type_name}:
                        note(inner, selection.selections)
                    note(type_name, selection.selections)

        for subgraph in self.subgraphs.values():
            for type_def in subgraph.types:
                targets = self.possible(type_def.name) | {type_def.name}
                for key in type_def.applied("key"):
                    text = key.string_arg("fields")
                    for target in targets:
                        note(target, parse_field_set(text or ""))
                for definition in type_def.fields:
                    for directive in ("requires", "provides"):
                        for applied in definition.applied(directive):
                            text = applied.string_arg("fields") or ""
                            owners = targets if directive == "requires" else self._types_below(
                                type_def.name, definition.name
                            )
                            for target in owners:
                                note(target, parse_field_set(text))
        return names

    def _types_below(self, type_name: str, field_name: str) -> frozenset[str]:
        named = self.schema.get_type(type_name)
        if not isinstance(named, GraphQLObjectType | GraphQLInterfaceType) or field_name not in named.fields:
            return frozenset()
        target = get_named_type(named.fields[field_name].type).name
        return self.possible(target) | {target}

    def _object_types(self) -> list[GraphQLObjectType]:
        roots = {t.name for t in (self.schema.query_type, self.schema.mutation_type) if t is not None}
        return [
            t
            for name, t in sorted(self.schema.type_map.items())
            if isinstance(t, GraphQLObjectType)
            and name not in roots
            and not name.startswith(("__", "join__", "link__"))
        ]

    def _build(self) -> None:
        types = self._object_types()
        self.conditions = {t.name: self._conditions_of(t) for t in types}
        for object_type in types:
            self.objects[object_type.name] = [{"__typename": object_type.name} for _ in range(OBJECTS_PER_TYPE)]
        for object_type in types:
            for index, obj in enumerate(self.objects[object_type.name]):
                for name, definition in object_type.fields.items():
                    obj[name] = self._value(object_type.name, name, definition.type, index)
        for root in (self.schema.query_type, self.schema.mutation_type):
            if root is None:
                continue
            obj = {"__typename": root.name}
            for name, definition in root.fields.items():
                obj[name] = self._value(root.name, name, definition.type, 0, root=True)
            self.roots[root.name] = obj
        self._derive_requirements()

    def _conditions_of(self, object_type: GraphQLObjectType) -> frozenset[str]:
        names = {object_type.name, *(i.name for i in object_type.interfaces)}
        for named in self.schema.type_map.values():
            if isinstance(named, GraphQLUnionType) and object_type in named.types:
                names.add(named.name)
        return frozenset(names)

    def _value(self, type_name: str, field_name: str, ref: GraphQLOutputType, index: int, root: bool = False) -> Any:
        nullable, named = _unwrap(ref)
        protected = field_name in self._protected.get(type_name, set())
        if f"{type_name}.{field_name}" in self.faults:
            return Faulty(f"{type_name}.{field_name} failed for this object")
        rate = self.fault_rate if nullable[0] else self.fault_rate / 4
        if not root and not protected and index == 1 and self.rng.random() < rate:
            return Faulty(f"{type_name}.{field_name} failed for this object")
        return self._level(type_name, field_name, nullable, named, 0, index, protected or root)

    def _level(
        self, type_name: str, field_name: str, nullable: list[bool], named: Any, depth: int, index: int, protected: bool
    ) -> Any:
        if nullable[depth] and not protected and self.rng.random() < 0.12:
            return None
        if depth + 1 < len(nullable):
            size = self.rng.randint(0, 3) if not protected else self.rng.randint(2, 3)
            return [
                self._level(type_name, field_name, nullable, named, depth + 1, index, protected) for _ in range(size)
            ]
        if isinstance(named, GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType):
            choices = self.allowed(type_name, field_name)
            if not choices:
                return None if nullable[depth] else {"__typename": named.name}
            chosen = self.rng.choice(choices)
            return self.rng.choice(self.objects[chosen])
        return self._leaf(type_name, field_name, named, index, protected)

    def _leaf(self, type_name: str, field_name: str, named: Any, index: int, protected: bool) -> Any:
        name = named.name
        if isinstance(named, GraphQLEnumType):
            return self.rng.choice(self._enum_values(name))
        key = protected and any(
            field_name in self.key_names(t)
            for s in self.subgraphs.values()
            for t in [self.type_in(s, type_name)]
            if t is not None
        )
        if name in ("ID", "String"):
            return f"{type_name.lower()}-{index + 1}" if key and field_name in ("id", "uuid") else (
                f"{field_name}-{type_name}-{index + 1}" if key else f"{field_name}-{self.rng.randint(0, 99)}"
            )
        if name == "Int":
            if key:
                self._int_keys += 1
                return self._int_keys
            return self.rng.randint(0, 99)
        if name == "Float":
            return self.rng.randint(0, 99) + 0.5
        if name == "Boolean":
            return self.rng.random() < 0.5
        return f"{name.lower()}-{self.rng.randint(0, 99)}"

    def _enum_values(self, enum_name: str) -> list[str]:
        api_enum = self.api.get_type(enum_name)
        values = list(api_enum.values) if isinstance(api_enum, GraphQLEnumType) else []
        for subgraph in self.subgraphs.values():
            own = subgraph.type(enum_name)
            if own is not None and own.kind is Kind.ENUM:
                names = {v.name for v in own.values}
                values = [v for v in values if v in names] or values
        return values or ["UNKNOWN"]

    def requirements(self) -> list[tuple[Subgraph, TypeDef, str, tuple[Selection, ...]]]:
        """Every `@requires`: (subgraph, type there, field, input field set)."""
        found = []
        for subgraph in self.subgraphs.values():
            for type_def in subgraph.types:
                for definition in type_def.fields:
                    for applied in definition.applied("requires"):
                        found.append(
                            (subgraph, type_def, definition.name, parse_field_set(applied.string_arg("fields") or ""))
                        )
        return found

    def _derive_requirements(self) -> None:
        """Give every `@requires` leaf field the value its inputs derive (chains settle in a few passes)."""
        for _ in range(4):
            for _, type_def, field_name, inputs in self.requirements():
                targets = self.possible(type_def.name) if type_def.has("interfaceObject") else {type_def.name}
                for target in targets:
                    for obj in self.objects.get(target, ()):
                        definition = _field_def(self.schema, target, field_name)
                        inputs_value = projection(obj, inputs, self.conditions)
                        derived = derive(inputs_value, get_named_type(definition.type), self)
                        if derived is not None:
                            obj[field_name] = derived

    def argument_values(self, type_name: str, field_name: str) -> list[Any]:
        """Leaf values of the objects a field may return (lookups by such values hit)."""
        values: list[Any] = []
        if not isinstance(self.schema.get_type(type_name), GraphQLObjectType | GraphQLInterfaceType):
            return values
        for target in self.allowed(type_name, field_name):
            for obj in self.objects[target]:
                for key, value in obj.items():
                    if not key.startswith("__") and isinstance(value, str | int) and not isinstance(value, bool):
                        values.append(value)
        return values

    def root_value(self, root: str, field_name: str, args: Mapping[str, Any]) -> Any:
        """A root field's world value; string arguments pick the object holding that value."""
        value = self.roots[root][field_name]
        wanted = [v for v in args.values() if isinstance(v, str)]
        if not wanted or isinstance(value, list):
            return value
        for target in self.allowed(root, field_name):
            for obj in self.objects[target]:
                if any(v in obj.values() for v in wanted):
                    return obj
        definition = _field_def(self.schema, root, field_name)
        return value if isinstance(definition.type, GraphQLNonNull) else None

    async def reference(self, query: str, variables: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The monolith's answer."""
        root: Obj = {}
        for root_name, obj in self.roots.items():
            for name in obj:
                if not name.startswith("__"):
                    root[name] = _root_resolver(self, root_name, name, lambda v: v)
        result = await graphql(
            self.api,
            query,
            root_value=root,
            variable_values=dict(variables or {}),
            field_resolver=resolve_field,
            type_resolver=resolve_type,
        )
        response: dict[str, Any] = {"data": result.data}
        if result.errors:
            response["errors"] = [e.formatted for e in result.errors]
        return response


def derive(inputs: Any, named: Any, world: World) -> Any:
    """The value a `@requires` field computes from its inputs (None: keep the generated value)."""
    number = digest(inputs)
    if isinstance(named, GraphQLEnumType):
        values = world._enum_values(named.name)
        return values[number % len(values)]
    name = getattr(named, "name", "")
    if name in ("ID", "String"):
        return f"derived-{number % 100000}"
    if name == "Int":
        return number % 1000
    if name == "Float":
        return number % 1000 + 0.25
    if name == "Boolean":
        return number % 2 == 0
    return None


def _field_def(schema: GraphQLSchema, type_name: str, field_name: str) -> Any:
    named = schema.get_type(type_name)
    assert isinstance(named, GraphQLObjectType | GraphQLInterfaceType)
    return named.fields[field_name]


def _root_resolver(world: World, root: str, name: str, wrap: Callable[[Any], Any]) -> Callable[..., Any]:
    def resolve(info: Info, **args: Any) -> Any:
        return wrap(world.root_value(root, name, args))

    return resolve


class SyntheticSubgraph:
    """One subgraph: its own schema (federation plumbing added) answering from the world."""

    def __init__(self, subgraph: Subgraph, world: World) -> None:
        self.subgraph = subgraph
        self.world = world
        self.requests: list[dict[str, Any]] = []
        self.rejected: list[tuple[str, str]] = []
        self.entity_types = tuple(
            t.name
            for t in subgraph.types
            if t.kind is Kind.OBJECT and any(k.arg("resolvable") != "false" for k in t.applied("key"))
        )
        self.schema = build_ast_schema(parse(self._sdl()))
        self._requires = {
            (type_def.name, name): inputs
            for owner, type_def, name, inputs in world.requirements()
            if owner is subgraph
        }

    def _sdl(self) -> str:
        lines: list[str] = []
        defined = {t.name for t in self.subgraph.types}
        for type_def in self.subgraph.types:
            lines.append(_print_type(type_def, defined, self.entity_types))
        if self.entity_types:
            lines.append("scalar _Any")
            lines.append("union _Entity = " + " | ".join(self.entity_types))
        return "\n".join(lines)

    # -- views ------------------------------------------------------------------------------------

    def present(self, obj: Obj, position: str) -> str:
        """The `__typename` this subgraph reports for `obj` at a position typed `position`."""
        own = self.subgraph.type(position)
        if own is not None and own.kind is Kind.OBJECT and own.has("interfaceObject"):
            return position
        return str(obj["__typename"])

    def view(self, obj: Obj, typename: str, provided: tuple[Selection, ...], extra: Obj | None = None) -> Obj:
        """What graphql-core resolves for `obj` here: visible fields, nested values wrapped lazily."""
        type_def = self.subgraph.type(typename)
        assert type_def is not None, typename
        conditions = self.world.conditions.get(str(obj["__typename"]), frozenset()) | {typename}
        provided_names = _collect_names(provided, conditions)
        raw: Obj = {"__typename": typename}
        for definition in type_def.fields:
            name = definition.name
            if self.world.is_external(self.subgraph, type_def, name) and name not in provided_names:
                continue
            if name in obj:
                raw[name] = obj[name]
        if extra:  # representations bring what this subgraph only references (`@external`, `@requires` inputs)
            raw.update({k: v for k, v in extra.items() if k not in raw})
        out: Obj = dict(raw)
        for definition in type_def.fields:
            name = definition.name
            inputs = self._requires.get((typename, name))
            if inputs is not None:
                out[name] = self._computed(raw, obj, typename, name, inputs)
            elif name in raw and (isinstance(raw[name], dict | list)):
                own = definition.applied("provides")
                nested = (
                    parse_field_set(own[0].string_arg("fields") or "") if own else _narrow(provided, name, conditions)
                )
                out[name] = self._lazy(raw[name], named_type(definition.type), nested)
        return out

    def _lazy(self, value: Any, position: str, provided: tuple[Selection, ...]) -> Callable[..., Any]:
        return lambda info, **args: self.wrap(value, position, provided)

    def wrap(self, value: Any, position: str, provided: tuple[Selection, ...] = ()) -> Any:
        """Views for world objects found at a position typed `position` in this subgraph."""
        if isinstance(value, list):
            return [self.wrap(item, position, provided) for item in value]
        if isinstance(value, dict) and str(value.get("__typename")) in self.world.conditions:
            typename = self.present(value, position)
            if self.subgraph.type(typename) is None:
                return {"__typename": typename}
            return self.view(value, typename, provided)
        return value

    def _computed(self, raw: Obj, obj: Obj, typename: str, name: str, inputs: tuple[Selection, ...]) -> Any:
        definition = _field_def(self.schema, typename, name)

        def resolve(info: Info, **args: Any) -> Any:
            conditions = self.world.conditions
            missing = missing_input(raw, inputs, conditions)
            if missing:
                raise GraphQLError(f"Requires field '{missing}' not provided")
            derived = derive(projection(raw, inputs, conditions), get_named_type(definition.type), self.world)
            if derived is not None:
                return derived
            value = obj.get(name)
            if isinstance(value, Faulty):
                raise GraphQLError(value.message)
            return self.wrap(value, get_named_type(definition.type).name)

        return resolve

    # -- requests ---------------------------------------------------------------------------------

    def _entities(self, info: Info, representations: list[Obj]) -> list[Any]:
        result: list[Any] = []
        for rep in representations:
            result.append(self._entity(rep))
        return result

    def _entity(self, rep: Obj) -> Any:
        typename = rep.get("__typename")
        type_def = self.subgraph.type(str(typename))
        if type_def is None or not type_def.applied("key"):
            raise GraphQLError(f"{typename} is not an entity of {self.subgraph.name}")
        pool = [
            obj for target in sorted(self.world.possible(type_def.name)) for obj in self.world.objects.get(target, ())
        ]
        for key in type_def.applied("key"):
            if key.arg("resolvable") == "false":
                continue
            fields = parse_field_set(key.string_arg("fields") or "")
            if not all(isinstance(f, Field) and f.name in rep for f in fields):
                continue
            wanted = projection(rep, fields, self.world.conditions)
            for obj in pool:
                if projection(obj, fields, self.world.conditions) == wanted:
                    shown = self.present(obj, type_def.name)
                    if self.subgraph.type(shown) is None:
                        raise GraphQLError(f"{shown} is unknown to {self.subgraph.name}")
                    extra = {k: v for k, v in rep.items() if k != "__typename"}
                    return self.view(obj, shown, (), extra)
            return None
        raise GraphQLError(f"no resolvable key of {typename} in representation {sorted(rep)}")

    def root(self) -> Obj:
        """Root fields this subgraph declares, resolved from the world."""
        out: Obj = {"_entities": self._entities}
        for root_name in ("Query", "Mutation"):
            type_def = self.subgraph.type(root_name)
            if type_def is None or root_name not in self.world.roots:
                continue
            for definition in type_def.fields:
                position = named_type(definition.type)
                provides = definition.applied("provides")
                provided = parse_field_set(provides[0].string_arg("fields") or "") if provides else ()
                wrapper = self._wrapper(position, provided)
                out[definition.name] = _root_resolver(self.world, root_name, definition.name, wrapper)
        return out

    def _wrapper(self, position: str, provided: tuple[Selection, ...]) -> Callable[[Any], Any]:
        return lambda value: self.wrap(value, position, provided)

    async def execute(self, payload: Mapping[str, Any]) -> dict[str, Any]:
        """Run one request; record it, and record why when it does not parse or validate."""
        self.requests.append(dict(payload))
        query = str(payload.get("query", ""))
        problems = request_problems(self.schema, query)
        if problems:
            self.rejected.append((query, "; ".join(p.message for p in problems)))
            return {"data": None, "errors": [p.formatted for p in problems]}
        result = await graphql(
            self.schema,
            query,
            root_value=self.root(),
            variable_values=payload.get("variables"),
            field_resolver=resolve_field,
            type_resolver=resolve_type,
        )
        response: dict[str, Any] = {"data": result.data}
        if result.errors:
            response["errors"] = [e.formatted for e in result.errors]
        return response

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await serve_json(scope, receive, send, self.execute)


def _collect_names(selections: tuple[Selection, ...], conditions: frozenset[str]) -> frozenset[str]:
    names: set[str] = set()
    for selection in selections:
        if isinstance(selection, Field):
            names.add(selection.name)
        elif selection.type_condition is None or selection.type_condition in conditions:
            names |= _collect_names(selection.selections, conditions)
    return frozenset(names)


def _narrow(provided: tuple[Selection, ...], name: str, conditions: frozenset[str]) -> tuple[Selection, ...]:
    result: list[Selection] = []
    for selection in provided:
        if isinstance(selection, Field):
            if selection.name == name:
                result.extend(selection.selections)
        elif selection.type_condition is None or selection.type_condition in conditions:
            result.extend(_narrow(selection.selections, name, conditions))
    return tuple(result)


def _print_type(type_def: TypeDef, defined: set[str], entity_types: tuple[str, ...]) -> str:
    kind = type_def.kind
    if kind is Kind.SCALAR:
        return "" if type_def.name in _BUILTIN_SCALARS else f"scalar {type_def.name}"
    if kind is Kind.UNION:
        return f"union {type_def.name} = " + " | ".join(type_def.members)
    if kind is Kind.ENUM:
        return f"enum {type_def.name} {{ " + " ".join(v.name for v in type_def.values) + " }"
    if kind is Kind.INPUT_OBJECT:
        fields = " ".join(
            f"{f.name}: {f.type}" + (f" = {f.default}" if f.default is not None else "") for f in type_def.input_fields
        )
        return f"input {type_def.name} {{ {fields} }}"
    lines = []
    for definition in type_def.fields:
        args = ", ".join(f"{a.name}: {a.type}" + (f" = {a.default}" if a.default is not None else "")
                         for a in definition.args)
        lines.append(f"  {definition.name}{f'({args})' if args else ''}: {definition.type}")
    if type_def.name == "Query" and entity_types:
        lines.append("  _entities(representations: [_Any!]!): [_Entity]!")
    if not lines:
        lines.append("  _service: String")
    interfaces = [i for i in type_def.interfaces if i in defined]
    implements = " implements " + " & ".join(interfaces) if interfaces else ""
    keyword = "interface" if kind is Kind.INTERFACE else "type"
    return f"{keyword} {type_def.name}{implements} {{\n" + "\n".join(lines) + "\n}"

"""The query graph: for each (subgraph, type) which fields resolve locally and which keys lead in.

Nodes are types as one subgraph sees them; field edges stay inside a subgraph; key edges (`@key`)
jump between subgraphs. Rules from https://specs.apollo.dev/join/v0.5 and the Federation 2 spec.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from graphql import (
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLUnionType,
    get_named_type,
)

from gateway.query_graph.selection import Selection, parse_field_set
from gateway.supergraph import Supergraph, SupergraphError
from gateway.supergraph.records import FieldInSubgraph, FieldRecord, SubgraphName, TypeRecord


@dataclass(frozen=True, slots=True)
class EntityEdge:
    """A key edge into `subgraph`: send `{__typename: representation_type, ...key}` to `_entities`."""

    subgraph: SubgraphName
    representation_type: str
    key: tuple[Selection, ...]
    key_text: str


@dataclass(frozen=True, slots=True)
class FieldShape:
    """A field's return type in the supergraph: named type, list depth, abstractness."""

    type_name: str
    list_depth: int
    is_leaf: bool


class QueryGraph:
    """Read-only answers about where fields resolve and how to jump between subgraphs."""

    def __init__(self, supergraph: Supergraph, active_labels: frozenset[str] = frozenset()) -> None:
        """`active_labels`: progressive `@override(label:)` labels in force (none: the old owners serve)."""
        self.supergraph = supergraph
        self.active_labels = active_labels
        self.schema = supergraph.schema
        self.subgraph_names: tuple[SubgraphName, ...] = tuple(s.name for s in supergraph.subgraphs)
        self._types: Mapping[str, TypeRecord] = supergraph.types
        self._fields: dict[tuple[str, str], FieldRecord] = {
            (t.name, f.name): f for t in supergraph.types.values() for f in t.fields
        }
        self._keys: dict[tuple[str, SubgraphName], tuple[tuple[tuple[Selection, ...], str], ...]] = {}
        for record in supergraph.types.values():
            for entry in record.subgraphs:
                parsed = []
                for key in entry.keys:
                    if not key.resolvable:
                        continue
                    try:
                        parsed.append((parse_field_set(key.fields), key.fields))
                    except ValueError as error:
                        raise SupergraphError(f"{record.name}: {error}") from error
                self._keys[(record.name, entry.subgraph)] = tuple(parsed)
        self._field_sets: dict[str, tuple[Selection, ...]] = {}
        self._shapes: dict[tuple[str, str], FieldShape] = {}
        self._type_subgraphs: dict[str, frozenset[SubgraphName]] = {
            t.name: frozenset(e.subgraph for e in t.subgraphs) for t in supergraph.types.values()
        }
        self._interface_objects: frozenset[tuple[SubgraphName, str]] = frozenset(
            (e.subgraph, t.name) for t in supergraph.types.values() for e in t.subgraphs if e.is_interface_object
        )
        self._resolves: dict[tuple[SubgraphName, str, str], bool] = {}
        self._edges: dict[tuple[str, str], tuple[EntityEdge, ...]] = {}
        self._interfaces: dict[str, tuple[str, ...]] = {}
        self._possible: dict[str, tuple[str, ...]] = {}
        self._runtime: dict[tuple[SubgraphName, str], tuple[str, ...]] = {}

    # -- types -------------------------------------------------------------------------------------

    def has_type(self, subgraph: SubgraphName, type_name: str) -> bool:
        """Whether `subgraph` defines `type_name` (root types count for every subgraph with a root field)."""
        owners = self._type_subgraphs.get(type_name)
        return owners is not None and subgraph in owners

    def is_interface_object(self, subgraph: SubgraphName, type_name: str) -> bool:
        """Whether `subgraph` declares the interface `type_name` as an `@interfaceObject`."""
        return (subgraph, type_name) in self._interface_objects

    def is_abstract(self, type_name: str) -> bool:
        """Whether the supergraph type is an interface or a union."""
        return isinstance(self.schema.get_type(type_name), GraphQLInterfaceType | GraphQLUnionType)

    def possible_types(self, type_name: str) -> tuple[str, ...]:
        """Object types that may appear at a position of `type_name` (supergraph view), sorted."""
        cached = self._possible.get(type_name)
        if cached is None:
            named = self.schema.get_type(type_name)
            cached = ()
            if isinstance(named, GraphQLObjectType):
                cached = (named.name,)
            elif isinstance(named, GraphQLInterfaceType | GraphQLUnionType):
                cached = tuple(sorted(t.name for t in self.schema.get_possible_types(named)))
            self._possible[type_name] = cached
        return cached

    def runtime_types(self, subgraph: SubgraphName, type_name: str) -> tuple[str, ...]:
        """Object types `subgraph` itself may return at a position of abstract `type_name`, sorted."""
        cached = self._runtime.get((subgraph, type_name))
        if cached is None:
            cached = self._runtime_types(subgraph, type_name)
            self._runtime[(subgraph, type_name)] = cached
        return cached

    def _runtime_types(self, subgraph: SubgraphName, type_name: str) -> tuple[str, ...]:
        record = self._types.get(type_name)
        if record is None:
            return ()
        if record.kind == "UNION":
            return tuple(sorted({m for g, m in record.union_members if g == subgraph}))
        result = []
        for name in self.possible_types(type_name):
            candidate = self._types.get(name)
            if candidate is None:
                continue
            if any(g == subgraph and i == type_name for g, i in candidate.implements):
                result.append(name)
            elif not candidate.implements and self.has_type(subgraph, name):
                result.append(name)  # join v0.1 style supergraphs carry no @join__implements
        return tuple(result)

    def interfaces_of(self, type_name: str) -> tuple[str, ...]:
        """Interfaces the object type implements in the supergraph."""
        cached = self._interfaces.get(type_name)
        if cached is None:
            named = self.schema.get_type(type_name)
            cached = ()
            if isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
                cached = tuple(i.name for i in named.interfaces)
            self._interfaces[type_name] = cached
        return cached

    # -- fields ------------------------------------------------------------------------------------

    def field_shape(self, type_name: str, field_name: str) -> FieldShape:
        """Named return type and list depth of `type_name.field_name` in the supergraph."""
        cached = self._shapes.get((type_name, field_name))
        if cached is not None:
            return cached
        named = self.schema.get_type(type_name)
        if not isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
            raise KeyError(f"{type_name} has no fields")
        field = named.fields.get(field_name)
        if field is None:
            raise KeyError(f"{type_name}.{field_name}")
        depth = 0
        current: GraphQLOutputType = field.type
        while isinstance(current, GraphQLNonNull | GraphQLList):
            if isinstance(current, GraphQLList):
                depth += 1
            current = current.of_type
        inner = get_named_type(current)
        shape = FieldShape(
            type_name=inner.name,
            list_depth=depth,
            is_leaf=not isinstance(inner, GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType),
        )
        self._shapes[(type_name, field_name)] = shape
        return shape

    def _entry(self, type_name: str, field_name: str, subgraph: SubgraphName) -> FieldInSubgraph | None:
        record = self._fields.get((type_name, field_name))
        if record is None:
            return None
        for entry in record.subgraphs:
            if entry.subgraph == subgraph:
                return entry
        return None

    def resolves(self, subgraph: SubgraphName, type_name: str, field_name: str) -> bool:
        """Whether `subgraph` resolves `type_name.field_name` itself (not external, not overridden away)."""
        key = (subgraph, type_name, field_name)
        cached = self._resolves.get(key)
        if cached is None:
            cached = self._resolves[key] = self._compute_resolves(subgraph, type_name, field_name)
        return cached

    def _compute_resolves(self, subgraph: SubgraphName, type_name: str, field_name: str) -> bool:
        if field_name == "__typename":
            return True
        if not self.has_type(subgraph, type_name):
            return False
        record = self._fields.get((type_name, field_name))
        if record is None:
            return False
        if not record.subgraphs:
            return not record.joined
        entry = self._entry(type_name, field_name, subgraph)
        if entry is None or entry.external or entry.used_overridden:
            return False
        if entry.override_label is None:
            return True
        # Progressive override (join v0.4+): both owners carry the label; the overriding one serves
        # while the label is active, the overridden one otherwise.
        return (entry.override_label in self.active_labels) == (entry.override is not None)

    def subgraph_field_type(self, subgraph: SubgraphName, type_name: str, field_name: str) -> str:
        """The field's type as `subgraph` declares it (`@join__field(type:)`), else the supergraph's."""
        entry = self._entry(type_name, field_name, subgraph)
        if entry is not None and entry.type:
            return entry.type
        record = self._fields.get((type_name, field_name))
        return record.return_type if record else ""

    def is_external(self, subgraph: SubgraphName, type_name: str, field_name: str) -> bool:
        """Whether `subgraph` declares the field `@external` (so only `@provides` makes it local)."""
        entry = self._entry(type_name, field_name, subgraph)
        return entry is not None and entry.external

    def requires(self, subgraph: SubgraphName, type_name: str, field_name: str) -> tuple[Selection, ...]:
        """The `@requires` field set of the field in `subgraph` (empty when none)."""
        entry = self._entry(type_name, field_name, subgraph)
        return self.field_set(entry.requires) if entry and entry.requires else ()

    def provides(self, subgraph: SubgraphName, type_name: str, field_name: str) -> tuple[Selection, ...]:
        """The `@provides` field set of the field in `subgraph` (empty when none)."""
        entry = self._entry(type_name, field_name, subgraph)
        return self.field_set(entry.provides) if entry and entry.provides else ()

    def field_set(self, text: str) -> tuple[Selection, ...]:
        """A parsed field set, cached by its text."""
        cached = self._field_sets.get(text)
        if cached is None:
            try:
                cached = parse_field_set(text)
            except ValueError as error:
                raise SupergraphError(str(error)) from error
            self._field_sets[text] = cached
        return cached

    def subgraphs_resolving(self, type_name: str, field_name: str) -> tuple[SubgraphName, ...]:
        """Subgraphs that resolve the field themselves, in supergraph order."""
        return tuple(s for s in self.subgraph_names if self.resolves(s, type_name, field_name))

    # -- key edges ---------------------------------------------------------------------------------

    def keys(self, subgraph: SubgraphName, type_name: str) -> tuple[tuple[tuple[Selection, ...], str], ...]:
        """Resolvable keys of `type_name` in `subgraph`: (parsed, text) pairs."""
        return self._keys.get((type_name, subgraph), ())

    def entity_edges(self, type_name: str, field_name: str) -> tuple[EntityEdge, ...]:
        """Every key edge that leads to a subgraph resolving `type_name.field_name`.

        Includes edges through an `@interfaceObject` declaring the field on an interface of the type.
        """
        cached = self._edges.get((type_name, field_name))
        if cached is None:
            cached = self._edges[(type_name, field_name)] = self._entity_edges(type_name, field_name)
        return cached

    def _entity_edges(self, type_name: str, field_name: str) -> tuple[EntityEdge, ...]:
        edges: list[EntityEdge] = []
        for subgraph in self.subgraph_names:
            if self.resolves(subgraph, type_name, field_name):
                for key, text in self.keys(subgraph, type_name):
                    edges.append(EntityEdge(subgraph, type_name, key, text))
            for interface in self.interfaces_of(type_name):
                if self.is_interface_object(subgraph, interface) and self.resolves(subgraph, interface, field_name):
                    for key, text in self.keys(subgraph, interface):
                        edges.append(EntityEdge(subgraph, interface, key, text))
        return tuple(edges)

    def interface_edges(self, interface: str) -> tuple[EntityEdge, ...]:
        """Key edges to subgraphs that know `interface` as a real interface (they can tell `__typename`)."""
        return tuple(
            EntityEdge(subgraph, interface, key, text)
            for subgraph in self.subgraph_names
            if self.has_type(subgraph, interface) and not self.is_interface_object(subgraph, interface)
            for key, text in self.keys(subgraph, interface)
        )

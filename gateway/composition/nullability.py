"""Partial results by design: a field whose value another subgraph has to supply should be nullable.

When the gateway cannot get a field from its subgraph (the subgraph is down, or it does not return the object, as a
jurisdiction filter does for a holder outside the caller's area), GraphQL nulls the field; on a non-null field the
null moves up to the nearest nullable parent, and one missing permit list blanks a whole page of entities. So, per
entity type, the subgraphs whose ``Query`` returns it (itself, in a list, or as a connection's nodes) are its
*homes*, and a hint (`CROSS_SUBGRAPH_FIELD_NON_NULL`) names:

- a field that a subgraph which is no home of the entity adds to it (``MarketEntity.permits`` from permits), and
- a field of a subgraph that returns an entity of which that subgraph is no home: it hands out a reference that the
  home must resolve (``Permit.holder``),

when either is non-null. Key and ``@external`` fields are the reference itself and are not named. Entities that
no ``Query`` returns have no home and are left alone.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from gateway.composition.facts import facts_of
from gateway.composition.subgraph import DEFAULT_ROOTS, Kind, Subgraph, TypeDef
from gateway.composition.typeref import is_non_null, named_type

HINT = "CROSS_SUBGRAPH_FIELD_NON_NULL"


def non_null_cross_subgraph_fields(subgraphs: Sequence[Subgraph]) -> Iterator[tuple[str, str, str]]:
    """``(subgraph, Type.field, why)`` for each non-null field whose value another subgraph supplies."""
    homes: dict[str, set[str]] = {}
    for subgraph in subgraphs:
        for entity in _entities_returned_by_query(subgraph):
            homes.setdefault(entity, set()).add(subgraph.name)
    for subgraph in subgraphs:
        facts = facts_of(subgraph)
        for type_def in subgraph.types:
            if type_def.kind is not Kind.OBJECT:
                continue
            contributed = _is_entity(type_def) and subgraph.name not in homes.get(type_def.name, {subgraph.name})
            for field in type_def.fields:
                coordinate = f"{type_def.name}.{field.name}"
                if not is_non_null(field.type) or facts.is_external(coordinate) or coordinate in facts.shareable:
                    continue
                target = subgraph.type(named_type(field.type))
                referenced = target is not None and _is_entity(target)
                if contributed:
                    yield subgraph.name, coordinate, f"{subgraph.name} adds it to an entity it is no home of"
                elif target is not None and referenced and subgraph.name not in homes.get(target.name, {subgraph.name}):
                    owners = " and ".join(sorted(homes[target.name]))
                    yield subgraph.name, coordinate, f"its {target.name} is resolved by {owners}"


def _is_entity(type_def: TypeDef) -> bool:
    return bool(type_def.applied("key"))


def _entities_returned_by_query(subgraph: Subgraph) -> set[str]:
    """Entity types a ``Query`` field of the subgraph returns: itself (in lists or not) or as a connection's nodes
    (``edges { node }`` or ``nodes``). An entity reached deeper, through other objects, is a reference there."""
    query = subgraph.type(DEFAULT_ROOTS["query"])
    found: set[str] = set()
    for field in query.fields if query is not None else ():
        returned = subgraph.type(named_type(field.type))
        for candidate in (returned, *_connection_nodes(subgraph, returned)):
            if candidate is not None and _is_entity(candidate):
                found.add(candidate.name)
    return found


def _connection_nodes(subgraph: Subgraph, connection: TypeDef | None) -> Iterator[TypeDef | None]:
    if connection is None or connection.kind is not Kind.OBJECT or _is_entity(connection):
        return
    nodes = connection.field("nodes")
    if nodes is not None:
        yield subgraph.type(named_type(nodes.type))
    edges = connection.field("edges")
    edge = subgraph.type(named_type(edges.type)) if edges is not None else None
    node = edge.field("node") if edge is not None else None
    if node is not None:
        yield subgraph.type(named_type(node.type))

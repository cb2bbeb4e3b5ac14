"""Shape merged subgraph data to the client's selection with null propagation (GraphQL spec §6.4.4).

A `Shape` is computed once per cached plan; shaping then walks plain dicts without graphql-core.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    GraphQLUnionType,
)

from gateway.planner.collect import collect_fields
from gateway.query_graph import Field, QueryGraph, Selection

LEAF, OBJECT, ABSTRACT, TYPENAME = 0, 1, 2, 3


@dataclass(frozen=True, slots=True)
class ShapeField:
    """One client field: where its value lives and how to shape it."""

    key: str
    kind: int
    nullable: tuple[bool, ...]
    """Nullability of the field, then of each list level's items."""
    type_name: str
    fields: tuple[ShapeField, ...] = ()
    """Sub-fields when `kind` is OBJECT."""
    by_type: tuple[tuple[str, tuple[ShapeField, ...]], ...] = ()
    """Sub-fields per runtime type when `kind` is ABSTRACT; the abstract type itself is the fallback."""
    parent: str = ""
    list_depth: int = 0
    plain: bool = False
    """A scalar leaf copied as is (no enum check): the hot path of shaping."""
    enum_values: frozenset[str] | None = None
    """For enum leaves: the values the API schema exposes (others become null, e.g. `@inaccessible`)."""
    needs_type: bool = False
    """For ABSTRACT: whether the selection depends on the runtime type (`__typename`, type conditions); then a
    value without a known object type cannot be completed (GraphQL spec §6.4.3 ResolveAbstractType)."""


@dataclass(frozen=True, slots=True)
class Shape:
    """The client's selection of the root type."""

    root_type: str
    fields: tuple[ShapeField, ...]


NON_NULL_VIOLATION = "NON_NULL_VIOLATION"
"""`extensions.code` of a null in a non-null position (the null propagated to the nearest nullable parent)."""


class NonNullViolation(Exception):
    """A non-null position is null; unwinds to the nearest nullable parent."""

    def __init__(self, type_name: str, field: str, message: str | None = None) -> None:
        super().__init__(message or f"Cannot return null for non-nullable field {type_name}.{field}.")
        self.path: list[str | int] = []


def build_shape(graph: QueryGraph, schema: GraphQLSchema, root_type: str, selections: tuple[Selection, ...]) -> Shape:
    """Precompute the shaping instructions of an operation (fields already normalized)."""
    return Shape(root_type, _fields(graph, schema, root_type, selections))


def _fields(
    graph: QueryGraph, schema: GraphQLSchema, type_name: str, selections: tuple[Selection, ...]
) -> tuple[ShapeField, ...]:
    named = schema.get_type(type_name)
    fields = getattr(named, "fields", {})
    return tuple(
        _field(graph, schema, named, type_name, f)
        for f in collect_fields(graph, selections, type_name)
        if f.name == "__typename" or f.name in fields
    )


def _field(graph: QueryGraph, schema: GraphQLSchema, named: Any, type_name: str, f: Field) -> ShapeField:
    if f.name == "__typename":
        return ShapeField(f.response_key, TYPENAME, (False,), type_name, parent=type_name)
    definition = named.fields[f.name]
    nullable: list[bool] = []
    current: GraphQLOutputType = definition.type
    while True:
        if isinstance(current, GraphQLNonNull):
            nullable.append(False)
            current = current.of_type
        else:
            nullable.append(True)
        if isinstance(current, GraphQLList):
            current = current.of_type
            continue
        break
    inner_name = getattr(current, "name", "")
    if not f.selections and not graph.is_abstract(inner_name) and not isinstance(current, GraphQLObjectType):
        values = frozenset(current.values) if isinstance(current, GraphQLEnumType) else None
        return ShapeField(
            f.response_key,
            LEAF,
            tuple(nullable),
            inner_name,
            parent=type_name,
            enum_values=values,
            list_depth=len(nullable) - 1,
            plain=values is None,
        )
    if isinstance(current, GraphQLObjectType):
        sub = _fields(graph, schema, inner_name, f.selections)
        return ShapeField(
            f.response_key,
            OBJECT,
            tuple(nullable),
            inner_name,
            fields=sub,
            parent=type_name,
            list_depth=len(nullable) - 1,
        )
    abstract = schema.get_type(inner_name)
    assert isinstance(abstract, GraphQLInterfaceType | GraphQLUnionType)
    visible = sorted(t.name for t in schema.get_possible_types(abstract))
    by_type = [(t, _fields(graph, schema, t, f.selections)) for t in visible]
    fallback = _fields(graph, schema, inner_name, f.selections)
    needs_type = any(s.kind == TYPENAME for s in fallback) or any(
        [(s.key, s.kind) for s in fields] != [(s.key, s.kind) for s in fallback] for _, fields in by_type
    )
    by_type.append((inner_name, fallback))
    return ShapeField(
        f.response_key,
        ABSTRACT,
        tuple(nullable),
        inner_name,
        by_type=tuple(by_type),
        parent=type_name,
        list_depth=len(nullable) - 1,
        needs_type=needs_type,
    )


def shape_response(shape: Shape, data: dict[str, Any], errors: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The client's `data`; None when a non-null root field is null. Appends null-violation errors."""
    orphans: list[tuple[str, list[str | int]]] = []
    try:
        result: dict[str, Any] | None = _object(shape.fields, data, shape.root_type, orphans)
    except NonNullViolation as violation:
        orphans.append((str(violation), violation.path))
        result = None
    for message, reversed_path in orphans:
        _record(message, list(reversed(reversed_path)), errors)
    return result


def _record(message: str, path: list[str | int], errors: list[dict[str, Any]]) -> None:
    """Report a null in a non-null position unless an upstream error already explains it."""
    for error in errors:
        other = error.get("path")
        if other is None or _prefix(other, path) or _prefix(path, other):
            return
    errors.append({"message": message, "path": path, "extensions": {"code": NON_NULL_VIOLATION}})


def _prefix(short: list[str | int], long: list[str | int]) -> bool:
    """Whether ``short`` starts ``long``; ``@`` (any list position, as in authorization errors) matches an index."""
    if len(short) > len(long):
        return False
    return all(
        a == b or (a == "@" and type(b) is int) or (b == "@" and type(a) is int)
        for a, b in zip(short, long, strict=False)
    )


def _object(
    fields: tuple[ShapeField, ...], obj: dict[str, Any], type_name: str, orphans: list[tuple[str, list[str | int]]]
) -> dict[str, Any]:
    """Shape one object; nulls caught below a nullable field leave (message, reversed path) in `orphans`."""
    out: dict[str, Any] = {}
    for sf in fields:
        if sf.plain:
            value = obj.get(sf.key)
            if value is None and not sf.nullable[0]:
                violation = NonNullViolation(sf.parent, sf.key)
                violation.path.append(sf.key)
                raise violation
            out[sf.key] = value
            continue
        kind = sf.kind
        if kind == TYPENAME:
            out[sf.key] = type_name
            continue
        value = obj.get(sf.key)
        if value is None:
            if not sf.nullable[0]:
                violation = NonNullViolation(sf.parent, sf.key)
                violation.path.append(sf.key)
                raise violation
            out[sf.key] = None
        else:
            mark = len(orphans)
            try:
                if kind == OBJECT and sf.list_depth == 0 and type(value) is dict:
                    out[sf.key] = _object(sf.fields, value, sf.type_name, orphans)
                else:
                    out[sf.key] = _value(sf, value, 0, orphans)
            except NonNullViolation as violation:
                violation.path.append(sf.key)
                if not sf.nullable[0]:
                    _extend(orphans, mark, sf.key)
                    raise
                orphans.append((str(violation), violation.path[:-1]))
                out[sf.key] = None
            if len(orphans) != mark:
                _extend(orphans, mark, sf.key)
    return out


def _extend(orphans: list[tuple[str, list[str | int]]], mark: int, segment: str | int) -> None:
    """Prefix the paths of nulls caught below this position with its segment."""
    for index in range(mark, len(orphans)):
        orphans[index][1].append(segment)


def _object_list(
    sf: ShapeField, value: list[Any], item_nullable: bool, orphans: list[tuple[str, list[str | int]]]
) -> list[Any]:
    """The hot path: a list of objects of one concrete type."""
    result: list[Any] = []
    fields = sf.fields
    type_name = sf.type_name
    for index, item in enumerate(value):
        mark = len(orphans)
        try:
            if type(item) is dict:
                result.append(_object(fields, item, type_name, orphans))
            elif item is None:
                if not item_nullable:
                    raise NonNullViolation(sf.parent, sf.key)
                result.append(None)
            else:
                raise NonNullViolation(sf.parent, sf.key)
        except NonNullViolation as violation:
            violation.path.append(index)
            if not item_nullable:
                _extend(orphans, mark, index)
                raise
            orphans.append((str(violation), violation.path[:-1]))
            result.append(None)
        if len(orphans) != mark:
            _extend(orphans, mark, index)
    return result


def _value(sf: ShapeField, value: Any, depth: int, orphans: list[tuple[str, list[str | int]]]) -> Any:
    """Shape a non-null value at list depth `depth` of field `sf`."""
    if depth < sf.list_depth:
        if not isinstance(value, list):
            raise NonNullViolation(sf.parent, sf.key)
        result: list[Any] = []
        item_nullable = sf.nullable[depth + 1]
        if depth + 1 == sf.list_depth and sf.kind == OBJECT:
            return _object_list(sf, value, item_nullable, orphans)
        for index, item in enumerate(value):
            if item is None:
                if not item_nullable:
                    violation = NonNullViolation(sf.parent, sf.key)
                    violation.path.append(index)
                    raise violation
                result.append(None)
                continue
            mark = len(orphans)
            try:
                result.append(_value(sf, item, depth + 1, orphans))
            except NonNullViolation as violation:
                violation.path.append(index)
                if not item_nullable:
                    _extend(orphans, mark, index)
                    raise
                orphans.append((str(violation), violation.path[:-1]))
                result.append(None)
            if len(orphans) != mark:
                _extend(orphans, mark, index)
        return result
    if sf.kind == LEAF:
        if sf.enum_values is not None and value not in sf.enum_values:
            raise NonNullViolation(sf.parent, sf.key, f"Enum value {value!r} is not part of {sf.type_name}.")
        return value
    if not isinstance(value, dict):
        raise NonNullViolation(sf.parent, sf.key)
    if sf.kind == OBJECT:
        return _object(sf.fields, value, sf.type_name, orphans)
    typename = value.get("__typename")
    for name, fields in sf.by_type[:-1]:
        if name == typename:
            return _object(fields, value, name, orphans)
    if typename is not None and typename != sf.type_name:
        raise NonNullViolation(sf.parent, sf.key, f"{typename} is not a visible type of {sf.type_name}.")
    if sf.needs_type:
        raise NonNullViolation(
            sf.parent,
            sf.key,
            f"Abstract type {sf.type_name} must resolve to an object type at runtime for field {sf.parent}.{sf.key}.",
        )
    return _object(sf.by_type[-1][1], value, sf.type_name, orphans)

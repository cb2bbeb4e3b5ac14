"""How the subgraphs' Strawberry schemas execute: graphql-core's executor with a short path for leaf fields.

A page of twenty entities with their permits is a few hundred fields, and most are plain attributes: ``uscc``,
``name``, ``status``. For each of them graphql-core builds a resolve-info object, looks for arguments, calls
Strawberry's resolver (which reads the attribute), then completes the value: is it an error, non-null, a leaf, and
its coercion to output. :class:`LeafFieldsExecution` — the executor class Strawberry lets a schema choose
(``execution_context_class``) — answers such a field by reading the attribute and coercing it
(``coerce_output_value``), nothing else, when nothing can differ:

- the field is one Strawberry resolves by reading the attribute (no resolver, no field extension, no exception
  handler: ``StrawberryField.is_basic_field``, the resolver Strawberry made for exactly that case);
- its type is a scalar or an enum, nullable or not;
- no schema extension wraps resolvers (a ``resolve`` hook makes graphql-core middleware, which every field must
  pass through);
- the value is there, is neither an error nor awaitable, and coerces. A null for a non-null field, a value that
  does not coerce, any exception: the field goes the ordinary way, which reports it as before (with its path
  and location).

``__typename`` is answered with the parent type's name, as graphql-core's own resolver answers it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple
from weakref import WeakKeyDictionary

from graphql import GraphQLObjectType, GraphQLSchema, Undefined, get_nullable_type, is_leaf_type, is_non_null_type
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types.field import StrawberryField

_TYPENAME = "__typename"
_BASIC = "_get_basic_result"
"""The name of the resolver Strawberry makes for a field that only reads its attribute (``from_resolver``)."""


class _Leaf(NamedTuple):
    read: Callable[[Any, None], Any]
    coerce: Callable[[Any], Any]
    nullable: bool


_leaves: WeakKeyDictionary[GraphQLSchema, dict[GraphQLObjectType, dict[str, _Leaf | None]]] = WeakKeyDictionary()
"""Per schema, per object type, per field name: its short path, or None (found at the field's first execution)."""


def _leaf(schema: GraphQLSchema, parent_type: GraphQLObjectType, name: str) -> _Leaf | None:
    """The short path of ``parent_type.name``, or None when the field must take the ordinary one."""
    field = schema.get_field(parent_type, name)
    if field is None:
        return None
    definition = field.extensions.get("strawberry-definition")
    read = field.resolve
    basic = (
        isinstance(definition, StrawberryField)
        and definition.is_basic_field
        and getattr(read, "_is_default", False)
        and getattr(read, "__name__", "") == _BASIC
    )
    named = get_nullable_type(field.type)
    if read is None or not basic or not is_leaf_type(named):
        return None
    return _Leaf(read, named.coerce_output_value, not is_non_null_type(field.type))


_IRREGULAR: Any = object()
"""What :meth:`LeafFieldsExecution._answer` gives for a value the ordinary path must see."""


class LeafFieldsExecution(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's executor, answering plain leaf fields without its per-field machinery."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        manager = self.middleware_manager
        self._short = manager is None or not manager.middlewares
        types = _leaves.get(self.schema)
        if types is None:
            types = _leaves[self.schema] = {}
        self._types = types

    def _leaf(self, parent_type: GraphQLObjectType, name: str) -> _Leaf | None:
        fields = self._types.get(parent_type)
        if fields is None:
            fields = self._types[parent_type] = {}
        try:
            return fields[name]
        except KeyError:
            found = fields[name] = _leaf(self.schema, parent_type, name)
            return found

    def _answer(self, leaf: _Leaf, source: Any) -> Any:
        try:
            value = leaf.read(source, None)
            if value is None:
                return None if leaf.nullable else _IRREGULAR
            if isinstance(value, Exception) or self.is_awaitable(value):
                return _IRREGULAR
            coerced = leaf.coerce(value)
        except Exception:  # the ordinary path meets it again, and reports it
            return _IRREGULAR
        return _IRREGULAR if coerced is None or coerced is Undefined else coerced

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: Any,
        path: Any,
        position_context: Any,
    ) -> Any:
        if self._short:
            name = field_details_list[0].node.name.value
            if name == _TYPENAME:
                return parent_type.name
            leaf = self._leaf(parent_type, name)
            if leaf is not None:
                value = self._answer(leaf, source)
                if value is not _IRREGULAR:
                    return value
        return super().execute_field(parent_type, source, field_details_list, path, position_context)


__all__ = ["LeafFieldsExecution"]

"""Derive the API schema clients see: spec types, spec directives and `@inaccessible` elements removed.

Spec: https://specs.apollo.dev/inaccessible/v0.2 ("Removal of inaccessible elements").
"""

from __future__ import annotations

from copy import copy
from typing import Any

from graphql import (
    DirectiveDefinitionNode,
    DirectiveNode,
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    NamedTypeNode,
    TypeDefinitionNode,
    build_ast_schema,
    validate_schema,
)
from graphql.language import Visitor, visit
from graphql.language.visitor import REMOVE

from gateway.supergraph.errors import SupergraphError
from gateway.supergraph.parse import Supergraph


def build_api_schema(supergraph: Supergraph) -> GraphQLSchema:
    """Build the client-facing schema of `supergraph`."""
    names = supergraph.names
    dropped_types = {
        d.name.value
        for d in supergraph.document.definitions
        if isinstance(d, TypeDefinitionNode)
        and (d.name.value.startswith(names.spec_prefixes) or _has(d, names.inaccessible))
    }
    document = visit(supergraph.document, _ApiSchemaVisitor(names.spec_directives, names.inaccessible, dropped_types))
    assert isinstance(document, DocumentNode)
    try:
        schema = build_ast_schema(document)
    except (GraphQLError, TypeError) as error:
        raise SupergraphError(f"Could not derive the API schema: {error}") from error
    problems = validate_schema(schema)
    if problems:
        raise SupergraphError("The API schema is invalid: " + "; ".join(p.message for p in problems))
    return schema


def _has(node: Any, directive: str) -> bool:
    return any(d.name.value == directive for d in getattr(node, "directives", None) or ())


class _ApiSchemaVisitor(Visitor):
    """Removes spec machinery and inaccessible elements from the supergraph document."""

    def __init__(self, spec_directives: tuple[str, ...], inaccessible: str, dropped_types: set[str]) -> None:
        super().__init__()
        self.spec_directives = frozenset(spec_directives)
        self.inaccessible = inaccessible
        self.dropped_types = dropped_types

    def enter_directive_definition(self, node: DirectiveDefinitionNode, *_: Any) -> Any:
        return REMOVE if node.name.value in self.spec_directives or "__" in node.name.value else None

    def enter_directive(self, node: DirectiveNode, *_: Any) -> Any:
        return REMOVE if node.name.value in self.spec_directives or "__" in node.name.value else None

    def enter(self, node: Any, *_: Any) -> Any:
        if isinstance(node, TypeDefinitionNode) and node.name.value in self.dropped_types:
            return REMOVE
        kind = getattr(node, "kind", "")
        if kind in ("field_definition", "input_value_definition", "enum_value_definition") and _has(
            node, self.inaccessible
        ):
            return REMOVE
        return None

    def leave(self, node: Any, *_: Any) -> Any:
        interfaces = getattr(node, "interfaces", None)
        types = getattr(node, "types", None) if getattr(node, "kind", "") == "union_type_definition" else None
        changes: dict[str, Any] = {}
        if interfaces:
            kept = tuple(i for i in interfaces if not self._dropped(i))
            if len(kept) != len(interfaces):
                changes["interfaces"] = kept
        if types:
            kept = tuple(t for t in types if not self._dropped(t))
            if len(kept) != len(types):
                changes["types"] = kept
        if not changes:
            return None
        new = copy(node)
        for key, value in changes.items():
            setattr(new, key, value)
        return new

    def _dropped(self, node: NamedTypeNode) -> bool:
        return node.name.value in self.dropped_types

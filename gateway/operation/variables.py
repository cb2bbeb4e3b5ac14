"""Coerce request variables against the operation's declarations (GraphQL spec §6.1.2)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import GraphQLSchema
from graphql.execution.values import get_variable_values

from gateway.operation.document import PreparedOperation
from gateway.operation.errors import BadUserInput, Problem


def coerce_variables(
    schema: GraphQLSchema, prepared: PreparedOperation, raw: Mapping[str, Any] | None
) -> dict[str, Any]:
    """Coerced variable values with defaults applied; raise `BadUserInput` listing every problem."""
    definitions = prepared.operation.variable_definitions or ()
    if not definitions:
        return {}
    result = get_variable_values(schema, definitions, dict(raw or {}))
    if isinstance(result, list):
        raise BadUserInput(result[0].message, tuple(Problem.of(e) for e in result))
    return dict(result.coerced)

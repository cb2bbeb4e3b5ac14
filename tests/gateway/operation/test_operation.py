"""Preparing operations: validation against the API schema, variables, fragments and conditions."""

from __future__ import annotations

import pytest
from graphql import GraphQLSchema, build_schema

from gateway.operation import (
    BadUserInput,
    OperationNotFound,
    ParseFailed,
    ValidationFailed,
    coerce_variables,
    condition_values,
    normalize,
    prepare_operation,
)
from gateway.query_graph import Field, InlineFragment

SCHEMA: GraphQLSchema = build_schema(
    """
    type Query { entity(uscc: ID!, withPermits: Boolean = false): Entity, entities(limit: Int = 10): [Entity!]! }
    type Entity { uscc: ID! name: String! permits: [String!]! }
    """
)


def test_parse_and_validation_failures_have_distinct_errors() -> None:
    with pytest.raises(ParseFailed) as parse_error:
        prepare_operation(SCHEMA, "{ entity(", None)
    assert parse_error.value.code == "GRAPHQL_PARSE_FAILED"
    with pytest.raises(ValidationFailed) as invalid:
        prepare_operation(SCHEMA, "{ entity(uscc: 1) { nope } }", None)
    assert invalid.value.code == "GRAPHQL_VALIDATION_FAILED"
    assert any("nope" in e.message for e in invalid.value.errors)


def test_operation_is_picked_by_name() -> None:
    text = "query A { entities { uscc } } query B { entities { name } }"
    assert prepare_operation(SCHEMA, text, "B").operation.name.value == "B"  # type: ignore[union-attr]
    with pytest.raises(OperationNotFound):
        prepare_operation(SCHEMA, text, None)
    with pytest.raises(OperationNotFound, match="C"):
        prepare_operation(SCHEMA, text, "C")


def test_variables_are_coerced_with_defaults_and_type_errors_reported() -> None:
    prepared = prepare_operation(
        SCHEMA, "query($u: ID!, $n: Int = 3) { entity(uscc: $u) { name } entities(limit: $n) { uscc } }", None
    )
    assert coerce_variables(SCHEMA, prepared, {"u": 7}) == {"u": "7", "n": 3}
    assert prepared.variable_types == {"u": "ID!", "n": "Int=3"}
    with pytest.raises(BadUserInput) as error:
        coerce_variables(SCHEMA, prepared, {"n": "many"})
    assert error.value.code == "BAD_USER_INPUT"
    assert len(error.value.errors) == 2


def test_fragments_are_inlined_and_conditions_select_the_shape() -> None:
    text = """
      query($full: Boolean!) {
        entities { ...Basic permits @include(if: $full) name @skip(if: true) }
      }
      fragment Basic on Entity { uscc }
    """
    prepared = prepare_operation(SCHEMA, text, None)
    assert prepared.condition_variables == ("full",)
    lean = normalize(prepared, condition_values(prepared, {"full": False}))
    full = normalize(prepared, condition_values(prepared, {"full": True}))
    assert lean == (Field("entities", "entities", (), (InlineFragment("Entity", (Field("uscc", "uscc"),)),)),)
    assert full[0].selections[-1] == Field("permits", "permits")

"""Hostile documents are refused with the limit's code before validation spends anything on them (issue 9's list)."""

from __future__ import annotations

import gc
import time
from pathlib import Path

import pytest
from graphql import FieldNode, GraphQLSchema, build_schema, parse

from gateway.operation import CostModel, DocumentLimits, LimitExceeded, ValidationFailed, document, prepare_operation
from gateway.operation.limits import merge_duplicates
from gateway.supergraph import build_api_schema, parse_supergraph

SCHEMA: GraphQLSchema = build_schema(
    """
    type Query { entity(uscc: ID!): MarketEntity, entities(first: Int): [MarketEntity!]!, count(n: Int): Int }
    type Mutation { close(uscc: ID!): MarketEntity }
    type MarketEntity { uscc: ID! name: String! permits: [Permit!]! }
    type Permit { id: ID! holder: MarketEntity! }
    """
)
LIMITS = DocumentLimits()
DEMAND_CONTROL = Path(__file__).parents[1] / "composition" / "golden" / "demand_control.graphql"


def refusal(text: str, limits: DocumentLimits = LIMITS, costs: CostModel | None = None) -> str:
    with pytest.raises(LimitExceeded) as refused:
        prepare_operation(SCHEMA, text, None, limits, costs or CostModel())
    return refused.value.code


def fragment_bomb(levels: int) -> str:
    """About 1 KB at 18 levels: each fragment spreads the next twice, 2**18 fields once expanded."""
    parts = [f"fragment F{i} on MarketEntity {{ uscc ...F{i + 1} ...F{i + 1} }}" for i in range(levels)]
    return "{ entities { ...F0 } } " + " ".join(parts) + f" fragment F{levels} on MarketEntity {{ uscc }}"


def test_the_one_kilobyte_fragment_bomb_is_refused_by_its_expanded_size() -> None:
    bomb = fragment_bomb(18)
    assert len(bomb) < 1100
    assert refusal(bomb) == "FIELD_LIMIT_EXCEEDED"


def test_ten_thousand_aliases_are_refused() -> None:
    aliases = "{ " + " ".join(f'a{i}: entity(uscc: "x") {{ name }}' for i in range(10_000)) + " }"
    assert refusal(aliases) == "DOCUMENT_TOO_LARGE"
    few_bytes = "{ " + " ".join(f'a{i}: entity(uscc: "x") {{ name }}' for i in range(31)) + " }"
    assert refusal(few_bytes) == "ALIAS_LIMIT_EXCEEDED"


def test_ten_thousand_copies_of_a_field_stop_the_lexer() -> None:
    assert refusal("{ " + "count " * 10_000 + "}", DocumentLimits(max_bytes=10**6)) == "TOKEN_LIMIT_EXCEEDED"
    assert refusal("{ " + "count " * 21 + "}") == "ROOT_FIELD_LIMIT_EXCEEDED"


def test_five_thousand_fragments_are_refused() -> None:
    chain = " ".join(f"fragment F{i} on MarketEntity {{ uscc ...F{i + 1} }}" for i in range(4_999))
    text = "{ entities { ...F0 } } " + chain + " fragment F4999 on MarketEntity { uscc }"
    assert refusal(text, DocumentLimits(max_bytes=10**6, max_tokens=10**6)) == "FRAGMENT_LIMIT_EXCEEDED"


def test_a_fragment_chain_under_the_count_is_measured_without_recursion() -> None:
    chain = " ".join(f"fragment F{i} on MarketEntity {{ uscc ...F{i + 1} }}" for i in range(3_000))
    text = "{ entities { ...F0 } } " + chain + " fragment F3000 on MarketEntity { uscc }"
    limits = DocumentLimits(max_bytes=10**6, max_tokens=10**6, max_fragments=10**4, max_fields=2_000)
    assert refusal(text, limits) == "FIELD_LIMIT_EXCEEDED"


@pytest.mark.parametrize("levels", [16, 150, 5_000])
def test_deep_nesting_is_refused_by_depth(levels: int) -> None:
    text = "{ entities { " + "permits { holder { " * (levels // 2) + "uscc" + " } }" * (levels // 2) + " } }"
    assert refusal(text, DocumentLimits(max_bytes=10**6, max_tokens=10**6)) == "DEPTH_LIMIT_EXCEEDED"


def test_depth_counts_through_fragments() -> None:
    inner = "permits { holder { " * 4 + "uscc" + " } }" * 4
    text = "{ entities { ...A } } fragment A on MarketEntity { permits { holder { ...B } } } " + (
        f"fragment B on MarketEntity {{ {inner} }}"
    )
    prepare_operation(SCHEMA, text, None, DocumentLimits(max_depth=12))
    assert refusal(text, DocumentLimits(max_depth=11)) == "DEPTH_LIMIT_EXCEEDED"


def test_a_hundred_thousand_digit_literal_is_refused_by_size_and_a_long_one_is_not_echoed() -> None:
    assert refusal("{ count(n: " + "1" * 100_000 + ") }") == "DOCUMENT_TOO_LARGE"
    with pytest.raises(ValidationFailed) as invalid:
        prepare_operation(SCHEMA, "{ count(n: " + "1" * 30_000 + ") }", None)
    assert len(invalid.value.message) <= 300
    assert all(len(problem.message) <= 300 for problem in invalid.value.errors)


def test_directives_per_location_are_limited() -> None:
    text = "{ count " + "@include(if: true) " * 11 + "}"
    assert refusal(text) == "DIRECTIVE_LIMIT_EXCEEDED"


def test_repeated_siblings_are_merged_before_validation() -> None:
    text = "{ entities { " + "permits { id } " * 900 + "} }"
    prepared = prepare_operation(SCHEMA, text, None, DocumentLimits(max_fields=10_000))
    entities = prepared.operation.selection_set.selections[0]
    assert isinstance(entities, FieldNode) and entities.selection_set is not None
    assert len(entities.selection_set.selections) == 1


def test_merging_keeps_siblings_that_differ() -> None:
    merged = merge_duplicates(parse("{ entities { name name uscc permits { id } permits { holder { name } } } }"))
    entities = merged.definitions[0].selection_set.selections[0]  # type: ignore[attr-defined]
    assert [s.name.value for s in entities.selection_set.selections] == ["name", "uscc", "permits", "permits"]


def test_the_static_cost_multiplies_lists_by_their_page_or_the_default_size() -> None:
    costs = CostModel(default_list_size=10)
    small = "{ entities(first: 2) { permits { holder { uscc } } } }"  # 2 * (1 + 10 * (1 + 1))
    prepare_operation(SCHEMA, small, None, DocumentLimits(max_cost=42), costs)
    assert refusal(small, DocumentLimits(max_cost=41), costs) == "COST_LIMIT_EXCEEDED"
    fan_out = "{ entities(first: 1000) { permits { holder { permits { holder { uscc } } } } } }"
    assert refusal(fan_out, LIMITS, costs) == "COST_LIMIT_EXCEEDED"
    mutation = 'mutation { close(uscc: "x") { uscc } }'
    assert CostModel().operation_cost(SCHEMA, prepare_operation(SCHEMA, mutation, None).operation, {}) == 10


def test_cost_and_list_size_come_from_the_supergraph() -> None:
    supergraph = parse_supergraph(DEMAND_CONTROL.read_text())
    schema = build_api_schema(supergraph)
    costs = CostModel.of(supergraph)
    sliced = prepare_operation(schema, "{ inspections(last: 5) { id photos } }", None)
    assert costs.operation_cost(schema, sliced.operation, {}) == 5 * 2  # five inspections weighing 2
    assumed = prepare_operation(schema, "{ inspections { id } }", None)
    assert costs.operation_cost(schema, assumed.operation, {}) == 80 * 2


def test_validation_has_a_cpu_budget() -> None:
    variants = " ".join(f"permits {{ a{i}: id }}" for i in range(25))
    text = "{ entities { " + variants + " } }"
    assert refusal(text, DocumentLimits(validation_budget_s=1e-9)) == "VALIDATION_BUDGET_EXCEEDED"


def test_the_validation_budget_leaves_out_the_garbage_collectors_time() -> None:
    heap = [[index] for index in range(300_000)]  # a full collection walks every one of them
    raw, spent = time.thread_time(), document._cpu_spent()
    gc.collect()
    collecting = time.thread_time() - raw
    assert collecting > 0 and document._cpu_spent() - spent < collecting / 2
    del heap

"""Operations run against the scenario federations: each is both a golden plan and an execution check."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Case:
    """One operation against one scenario federation."""

    name: str
    federation: str
    query: str
    variables: dict[str, Any] = field(default_factory=dict)
    expect_errors: bool = False
    """When set, `data` must match the reference and both answers must carry errors."""


CASES: tuple[Case, ...] = (
    Case(
        "market_nested_jumps",
        "market",
        """{ entities { uscc name riskLevel district { name }
             permits { id kind holder { name riskLevel } }
             inspections { date findings { __typename
               ... on Violation { code severity } ... on Commendation { note } } } } }""",
    ),
    Case(
        "market_variables_aliases_fragments",
        "market",
        """query One($uscc: ID!, $kind: PermitKind = FOOD_OPERATION, $withInspections: Boolean!) {
             first: entity(uscc: $uscc) { ...Basics food: permits(kind: $kind) { id } }
             again: entity(uscc: $uscc) { name risk: riskLevel
               inspections @include(if: $withInspections) { id } }
           }
           fragment Basics on MarketEntity { uscc name category }""",
        {"uscc": "91440300A", "withInspections": True},
    ),
    Case(
        "market_skip_removes_fetch",
        "market",
        """query($skip: Boolean!) { entities { name inspections @skip(if: $skip) { id } } }""",
        {"skip": True},
    ),
    Case(
        "market_typename_everywhere",
        "market",
        """{ __typename entities { __typename uscc inspections { __typename findings { __typename } } } }""",
    ),
    Case(
        "market_reverse_entry",
        "market",
        """{ inspectionsDue { id subject { name employeeCount riskLevel permits { validUntil } } } }""",
    ),
    Case(
        "keys_composite_and_nested",
        "keys",
        """{ inspectors { name rank phone org { code } } }""",
    ),
    Case(
        "keys_reference_and_null_key",
        "keys",
        """{ cases { id lead { name badge } leadByBadge { name rank } } }""",
    ),
    Case(
        "requires_with_arguments_and_nesting",
        "requires",
        """{ products { upc name cost coldChain } }""",
    ),
    Case(
        "requires_chain",
        "requires",
        """{ products { upc duty } }""",
    ),
    Case(
        "requires_client_alias_conflict",
        "requires",
        """{ products { price: price(currency: "USD") cost } }""",
    ),
    Case(
        "provides_keeps_field_local",
        "provides",
        """{ reviews { body author { nickname } } }""",
    ),
    Case(
        "provides_not_covering_field_jumps",
        "provides",
        """{ reviews { author { nickname email } } }""",
    ),
    Case(
        "abstract_interface_spread",
        "abstract",
        """{ shops { id name ... on Restaurant { seats stars } ... on Pharmacy { licenseNo stars } } }""",
    ),
    Case(
        "abstract_union_members_differ",
        "abstract",
        """{ topRated { __typename
             ... on Restaurant { name seats } ... on Market { name stalls } ... on Pharmacy { name } } }""",
    ),
    Case(
        "abstract_featured_union",
        "abstract",
        """{ featured { ... on Restaurant { id stars } ... on Pharmacy { id licenseNo } } }""",
    ),
    Case(
        "interface_object_field_on_implementations",
        "interface_object",
        """{ subjects { id name creditScore ... on Company { capital } } }""",
    ),
    Case(
        "interface_object_concrete_type_from_owner",
        "interface_object",
        """{ watchlist { __typename id creditScore name ... on Individual { idCard } } }""",
    ),
    Case(
        "mutations_run_in_document_order",
        "mutation",
        """mutation { a: openTask(note: "一") { seq note } b: fileCase(note: "二") { seq note }
                      c: openTask(note: "三") { seq note } d: openTask(note: "四") { seq } }""",
    ),
    Case(
        "override_moves_field_and_ignores_missing_source",
        "override",
        """{ stations { name grade level } }""",
    ),
    Case(
        "shareable_prefers_fewer_fetches",
        "override",
        """{ stations { name district } }""",
    ),
    Case(
        "parent_entity_refetches_value_type",
        "parent_entity",
        """{ shops { id category { code label stats { shops } } } }""",
    ),
    Case(
        "shared_root_value_type_split",
        "parent_entity",
        """{ summary { total open } }""",
    ),
    Case(
        "sibling_fragments_with_conflicting_types",
        "mismatch",
        """{ actors { ... on Officer { id name level } ... on Machine { id name level } } }""",
        expect_errors=True,  # the machine's INTERNAL level is @inaccessible: null plus an error
    ),
    Case(
        "requires_circular_between_two_subgraphs",
        "circular",
        """{ feed { id escalate } }""",
    ),
    Case(
        "narrowed_field_type_in_subgraph",
        "narrowed",
        """{ latest { __typename ... on Notice { id title } ... on Penalty { amount } } }""",
    ),
)

CASES_BY_NAME = {case.name: case for case in CASES}

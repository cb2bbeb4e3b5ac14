"""One golden plan and one execution check per class of defect the random operations found (issue 16).

Each runs against a fixture of `fixtures.py`; the golden text is `tests/gateway/planner/golden/<name>.txt`
and the execution must keep every invariant of `check.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class FixtureCase:
    """An operation against a differential fixture, named for the defect class it pins down."""

    name: str
    fixture: str
    query: str
    variables: dict[str, Any] = field(default_factory=dict)


FIXTURE_CASES: tuple[FixtureCase, ...] = (
    # 1. `@requires` met even when another fetch is needed for the concrete type.
    FixtureCase(
        "requires_on_interface_object_with_typename",
        "interface_object_requires",
        "{ watchlist { displayName __typename } }",
    ),
    FixtureCase(
        "requires_on_interface_object_with_type_condition",
        "interface_object_requires",
        "{ watchlist { ... on Company { capital } displayName score } }",
    ),
    # 2. A fragment whose type condition is the field's own type splits like its fields.
    FixtureCase(
        "fragment_on_own_type_splits_across_subgraphs",
        "parent_entity_fragment",
        "{ products { category { ... on Category { stats { shops } code } } } }",
    ),
    FixtureCase(
        "fragment_on_own_type_through_parent_entities",
        "parent_entity_split",
        '{ batch(id: "batch-1") { product { ... on FoodProduct { recalls name } } } }',
    ),
    # 3. Every subgraph request parses and validates: no empty selection set, no conflicting shapes.
    FixtureCase(
        "no_fetch_left_with_an_empty_selection",
        "parent_entity_split",
        '{ batch(id: "batch-2") { product { code } } }',
    ),
    FixtureCase(
        "nested_fields_of_conflicting_types_aliased",
        "child_type_mismatch",
        """{ actors { ... on Officer { colleagues { ... on Officer { id } } }
                      ... on Machine { colleagues { ... on Machine { id } } } } }""",
    ),
    # 4. Entity fetches below a type condition reach exactly the objects of that type.
    FixtureCase(
        "entity_below_type_conditions_reaches_every_branch",
        "abstract_entities",
        "{ products { registeredBy { name } } }",
    ),
    FixtureCase(
        "requires_below_type_condition_only_for_that_type",
        "abstract_entities",
        """{ similar(id: "dish-1") { ... on Similar { similar {
               ... on Product { reviewsCount } ... on Drink { reviewsOfSimilar { body } } } } } }""",
    ),
    # 5. `__typename` is an object type or the value is null with an error.
    FixtureCase(
        "runtime_type_unknown_after_a_failed_fetch",
        "typename_interface_object",
        "{ accounts { ... on Admin { name } ... on Account { ... on Admin { isMain } __typename } } }",
    ),
    # A field keeps its source whatever else is selected beside it.
    FixtureCase(
        "interface_object_field_source_without_typename",
        "shareable_interface_object",
        "{ accounts { isActive } }",
    ),
    FixtureCase(
        "interface_object_field_source_with_typename",
        "shareable_interface_object",
        "{ accounts { __typename isActive ... on Admin { isMain } } }",
    ),
)

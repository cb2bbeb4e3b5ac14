"""Each composition conflict yields a `CompositionError` with Apollo's code, the subgraphs and coordinate."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from gateway.composition import CompositionError, CompositionFailed, SubgraphSource, compose

FED2 = (
    'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable", '
    '"@external", "@requires", "@provides", "@override", "@interfaceObject"])\n'
)


@dataclass(frozen=True, slots=True)
class ErrorCase:
    """Inline subgraphs, the expected error code and the subgraphs the error must name."""

    code: str
    subgraphs: dict[str, str]
    involved: tuple[str, ...]
    coordinate: str | None = None


ERROR_CASES: dict[str, ErrorCase] = {
    "non_shareable_field_in_two_subgraphs": ErrorCase(
        "INVALID_FIELD_SHARING",
        {
            "a": FED2 + 'type Query { e: Entity }\ntype Entity @key(fields: "id") { id: ID! name: String }',
            "b": FED2 + 'type Entity @key(fields: "id") { id: ID! name: String }',
        },
        ("a", "b"),
        "Entity.name",
    ),
    "incompatible_field_types": ErrorCase(
        "FIELD_TYPE_MISMATCH",
        {
            "a": FED2 + "type Query { count: Int @shareable }",
            "b": FED2 + "type Query { count: String @shareable }",
        },
        ("a", "b"),
        "Query.count",
    ),
    "key_selects_interface": ErrorCase(
        "KEY_FIELDS_SELECT_INVALID_TYPE",
        {
            "a": FED2
            + "type Query { s: Shop }\ninterface Owner { id: ID! }\ntype Person implements Owner { id: ID! }\n"
            'type Shop @key(fields: "owner { id }") { owner: Owner! }',
        },
        ("a",),
        "Shop.owner",
    ),
    "external_everywhere": ErrorCase(
        "EXTERNAL_MISSING_ON_BASE",
        {
            "a": FED2 + "type Query { s: Shop }\n"
            'type Shop @key(fields: "id") { id: ID! area: Int @external '
            'tax: Int @requires(fields: "area") }',
            "b": FED2 + 'type Shop @key(fields: "id") { id: ID! }',
        },
        ("a",),
        "Shop.area",
    ),
    "type_kind_mismatch": ErrorCase(
        "TYPE_KIND_MISMATCH",
        {
            "a": FED2 + "type Query { a: Thing }\ntype Thing @shareable { id: ID }",
            "b": FED2 + "type Query { b: Thing }\ninterface Thing { id: ID }",
        },
        ("a", "b"),
        "Thing",
    ),
    "required_argument_missing": ErrorCase(
        "REQUIRED_ARGUMENT_MISSING_IN_SOME_SUBGRAPH",
        {
            "a": FED2 + "type Query { shops(district: String!): [String] @shareable }",
            "b": FED2 + "type Query { shops: [String] @shareable }",
        },
        ("a", "b"),
        "Query.shops(district:)",
    ),
    "argument_defaults_differ": ErrorCase(
        "FIELD_ARGUMENT_DEFAULT_MISMATCH",
        {
            "a": FED2 + "type Query { shops(first: Int = 10): [String] @shareable }",
            "b": FED2 + "type Query { shops(first: Int = 20): [String] @shareable }",
        },
        ("a", "b"),
        "Query.shops(first:)",
    ),
    "required_input_field_missing": ErrorCase(
        "REQUIRED_INPUT_FIELD_MISSING_IN_SOME_SUBGRAPH",
        {
            "a": FED2 + "type Query { a(f: Filter): Int }\ninput Filter { district: String! text: String }",
            "b": FED2 + "type Query { b(f: Filter): Int }\ninput Filter { text: String }",
        },
        ("a", "b"),
        "Filter.district",
    ),
    "no_common_input_field": ErrorCase(
        "EMPTY_MERGED_INPUT_TYPE",
        {
            "a": FED2 + "type Query { a(f: Filter): Int }\ninput Filter { district: String }",
            "b": FED2 + "type Query { b(f: Filter): Int }\ninput Filter { text: String }",
        },
        ("a", "b"),
        "Filter",
    ),
    "enum_in_and_out_differs": ErrorCase(
        "ENUM_VALUE_MISMATCH",
        {
            "a": FED2 + "type Query { a(s: Status): Status }\nenum Status { OPEN CLOSED }",
            "b": FED2 + "type Query { b: Status }\nenum Status { OPEN }",
        },
        ("b",),
        "Status.CLOSED",
    ),
    "key_names_unknown_field": ErrorCase(
        "KEY_INVALID_FIELDS",
        {"a": FED2 + 'type Query { s: Shop }\ntype Shop @key(fields: "code") { id: ID! }'},
        ("a",),
        "Shop.code",
    ),
    "requires_local_field": ErrorCase(
        "REQUIRES_FIELDS_MISSING_EXTERNAL",
        {
            "a": FED2 + "type Query { s: Shop }\n"
            'type Shop @key(fields: "id") { id: ID! area: Int tax: Int @requires(fields: "area") }',
        },
        ("a",),
        "Shop.area",
    ),
    "provides_on_scalar": ErrorCase(
        "PROVIDES_ON_NON_OBJECT_FIELD",
        {"a": FED2 + 'type Query { name: String @provides(fields: "x") }'},
        ("a",),
        "Query.name",
    ),
    "external_unused": ErrorCase(
        "EXTERNAL_UNUSED",
        {
            "a": FED2 + 'type Query { s: Shop }\ntype Shop @key(fields: "id") { id: ID! area: Int @external }',
            "b": FED2 + 'type Shop @key(fields: "id") { id: ID! area: Int }',
        },
        ("a",),
        "Shop.area",
    ),
    "override_from_self": ErrorCase(
        "OVERRIDE_FROM_SELF_ERROR",
        {
            "a": FED2 + "type Query { s: Shop }\n"
            'type Shop @key(fields: "id") { id: ID! name: String @override(from: "a") }',
        },
        ("a",),
        "Shop.name",
    ),
    "override_both_ways": ErrorCase(
        "OVERRIDE_SOURCE_HAS_OVERRIDE",
        {
            "a": FED2 + "type Query { s: Shop }\n"
            'type Shop @key(fields: "id") { id: ID! name: String @override(from: "b") }',
            "b": FED2 + 'type Shop @key(fields: "id") { id: ID! name: String @override(from: "a") }',
        },
        ("a", "b"),
        "Shop.name",
    ),
    "override_label_invalid": ErrorCase(
        "OVERRIDE_LABEL_INVALID",
        {
            "a": FED2.replace("v2.3", "v2.7")
            + 'type Query { s: Shop }\ntype Shop @key(fields: "id") { id: ID! n: Int }',
            "b": FED2.replace("v2.3", "v2.7")
            + 'type Shop @key(fields: "id") { id: ID! n: Int @override(from: "a", label: "percent(101)") }',
        },
        ("b",),
        "Shop.n",
    ),
    "inaccessible_type_referenced": ErrorCase(
        "REFERENCED_INACCESSIBLE",
        {
            "a": FED2.replace('"@key"', '"@key", "@inaccessible"')
            + "type Query { shop: Shop }\ntype Shop @inaccessible { id: ID }",
        },
        ("a",),
        "Query.shop",
    ),
    "inaccessible_required_argument": ErrorCase(
        "REQUIRED_INACCESSIBLE",
        {
            "a": FED2.replace('"@key"', '"@key", "@inaccessible"')
            + "type Query { shops(district: String! @inaccessible): [String] }",
        },
        ("a",),
        "Query.shops(district:)",
    ),
    "all_fields_inaccessible": ErrorCase(
        "ONLY_INACCESSIBLE_CHILDREN",
        {
            "a": FED2.replace('"@key"', '"@key", "@inaccessible"')
            + "type Query { shop: Shop }\ntype Shop { id: ID @inaccessible }",
        },
        ("a",),
        "Shop",
    ),
    "field_behind_non_resolvable_key": ErrorCase(
        "SATISFIABILITY_ERROR",
        {
            "a": FED2 + 'type Query { shop: Shop }\ntype Shop @key(fields: "id") { id: ID! name: String }',
            "b": FED2 + 'type Shop @key(fields: "id", resolvable: false) { id: ID! grade: Int }',
        },
        ("a", "b"),
        "Shop.grade",
    ),
    "unknown_type": ErrorCase(
        "INVALID_GRAPHQL",
        {"a": FED2 + "type Query { shop: Shop }"},
        ("a",),
        "Shop",
    ),
    "requires_composite_without_selection": ErrorCase(
        "REQUIRES_INVALID_FIELDS",
        {
            "a": FED2 + 'type Query { s: Shop }\ntype Shop @key(fields: "id") { id: ID! owner: Owner }\n'
            "type Owner { name: String }",
            "b": FED2 + 'type Shop @key(fields: "id") { id: ID! owner: Owner @external '
            'tax: Int @requires(fields: "owner") }\ntype Owner { name: String }',
        },
        ("b",),
        "Shop.owner",
    ),
    "external_missing_argument": ErrorCase(
        "EXTERNAL_ARGUMENT_MISSING",
        {
            "a": FED2 + 'type Query { s: Shop }\ntype Shop @key(fields: "id") { id: ID! area(unit: String): Int }',
            "b": FED2 + 'type Shop @key(fields: "id") { id: ID! area: Int @external '
            'tax: Int @requires(fields: "area") }',
        },
        ("a", "b"),
        "Shop.area(unit:)",
    ),
    "tag_on_external": ErrorCase(
        "MERGED_DIRECTIVE_APPLICATION_ON_EXTERNAL",
        {
            "a": FED2 + 'type Query { s: Shop }\ntype Shop @key(fields: "id") { id: ID! area: Int }',
            "b": FED2.replace('"@key"', '"@key", "@tag"') + 'type Shop @key(fields: "id") { id: ID! '
            'area: Int @external @tag(name: "x") tax: Int @requires(fields: "area") }',
        },
        ("b",),
        "Shop.area",
    ),
    "interface_object_without_keyed_interface": ErrorCase(
        "SATISFIABILITY_ERROR",
        {
            "a": FED2 + "type Query { node(id: ID!): Node }\ninterface Node { id: ID! }\n"
            'type Shop implements Node @key(fields: "id") { id: ID! }',
            "b": FED2 + "type Query { nodes: [Node] }\n"
            'type Node @key(fields: "id") @interfaceObject { id: ID! x: Int }',
        },
        ("b",),
        "Node",
    ),
    "interface_object_without_interface": ErrorCase(
        "INTERFACE_OBJECT_USAGE_ERROR",
        {
            "a": FED2 + 'type Query { n: Node }\ntype Node @key(fields: "id") @interfaceObject { id: ID! }',
        },
        ("a",),
        "Node",
    ),
    "keyed_interface_missing_implementation": ErrorCase(
        "INTERFACE_KEY_MISSING_IMPLEMENTATION_TYPE",
        {
            "a": FED2 + 'type Query { n: Node }\ninterface Node @key(fields: "id") { id: ID! }\n'
            'type Shop implements Node @key(fields: "id") { id: ID! }',
            "b": FED2 + 'interface Node @key(fields: "id") { id: ID! }\n'
            'type Canteen implements Node @key(fields: "id") { id: ID! }',
        },
        ("a",),
        "Node",
    ),
    "external_type_differs": ErrorCase(
        "EXTERNAL_TYPE_MISMATCH",
        {
            "a": FED2 + "type Query { s: Shop }\n"
            'type Shop @key(fields: "id") { id: ID! area: String @external '
            'tax: Int @requires(fields: "area") }',
            "b": FED2 + 'type Shop @key(fields: "id") { id: ID! area: Int }',
        },
        ("a",),
        "Shop.area",
    ),
    "no_query_anywhere": ErrorCase(
        "NO_QUERIES",
        {"a": FED2 + 'type Shop @key(fields: "id") { id: ID! }'},
        (),
    ),
    "root_of_unknown_type": ErrorCase(
        "INVALID_GRAPHQL",
        {"a": FED2 + "schema { query: Query mutation: Mutation }\ntype Query { a: Int }"},
        ("a",),
    ),
    "shareable_on_interface_field": ErrorCase(
        "INVALID_SHAREABLE_USAGE",
        {"a": FED2 + "type Query { n: Node }\ninterface Node { id: ID! @shareable }"},
        ("a",),
        "Node.id",
    ),
    "authenticated_on_interface": ErrorCase(
        "AUTH_REQUIREMENTS_APPLIED_ON_INTERFACE",
        {
            "a": FED2.replace('"@key"', '"@key", "@authenticated"').replace("v2.3", "v2.6")
            + "type Query { n: Node }\ninterface Node @authenticated { id: ID! }",
        },
        ("a",),
        "Node",
    ),
    "interface_key_not_on_implementation": ErrorCase(
        "INTERFACE_KEY_NOT_ON_IMPLEMENTATION",
        {
            "a": FED2 + 'type Query { n: Node }\ninterface Node @key(fields: "id") { id: ID! }\n'
            "type Shop implements Node { id: ID! }",
        },
        ("a",),
        "Node",
    ),
    "provides_on_external": ErrorCase(
        "EXTERNAL_COLLISION_WITH_ANOTHER_DIRECTIVE",
        {
            "a": FED2 + 'type Query { s: Shop }\ntype Shop @key(fields: "id") { id: ID! owner: Owner }\n'
            'type Owner @key(fields: "id") { id: ID! name: String }',
            "b": FED2 + 'type Shop @key(fields: "id") { id: ID! owner: Owner @external @provides(fields: "name") '
            'tax: Int @requires(fields: "owner { id }") }\n'
            'type Owner @key(fields: "id") { id: ID! name: String @external }',
        },
        ("b",),
        "Shop.owner",
    ),
    "federation_directive_not_imported": ErrorCase(
        "INVALID_GRAPHQL",
        {
            "a": 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])\n'
            "type Query { a: Int @shareable }"
        },
        ("a",),
        "@shareable",
    ),
    "directive_in_wrong_place": ErrorCase(
        "INVALID_GRAPHQL",
        {"a": FED2 + 'type Query { a: Int @key(fields: "a") }'},
        ("a",),
    ),
    "fed1_extension_without_base": ErrorCase(
        "EXTENSION_WITH_NO_BASE",
        {"a": 'type Query { s: Shop }\nextend type Shop @key(fields: "id") { id: ID! @external name: String }'},
        ("a",),
        "Shop",
    ),
    "list_size_on_scalar": ErrorCase(
        "LIST_SIZE_APPLIED_TO_NON_LIST",
        {
            "a": FED2.replace('"@key"', '"@key", "@listSize"').replace("v2.3", "v2.9")
            + "type Query { count: Int @listSize(assumedSize: 5) }"
        },
        ("a",),
        "Query.count",
    ),
    "list_size_unknown_slicing_argument": ErrorCase(
        "LIST_SIZE_INVALID_SLICING_ARGUMENT",
        {
            "a": FED2.replace('"@key"', '"@key", "@listSize"').replace("v2.3", "v2.9")
            + 'type Query { shops(first: Int): [String] @listSize(slicingArguments: ["limit"]) }'
        },
        ("a",),
        "Query.shops",
    ),
    "external_on_interface_field": ErrorCase(
        "EXTERNAL_ON_INTERFACE",
        {"a": FED2 + "type Query { n: Node }\ninterface Node { id: ID! @external }"},
        ("a",),
        "Node.id",
    ),
    "requires_condition_unreachable": ErrorCase(
        "SATISFIABILITY_ERROR",
        {
            "a": FED2 + "type Query { permits: [Permit] @shareable }\n"
            'type Permit @key(fields: "id", resolvable: false) { id: ID! holder: String @shareable }',
            "b": FED2 + "type Query { permits: [Permit] @shareable }\n"
            'type Permit @key(fields: "id") { id: ID! holder: String @external '
            'label: String @requires(fields: "holder") }',
        },
        ("b",),
        "Permit.label",
    ),
    "default_of_wrong_type": ErrorCase(
        "INVALID_GRAPHQL",
        {"a": FED2 + 'type Query { shops(first: Int = "ten", level: Level = HIGH): [String] }\nenum Level { LOW }'},
        ("a",),
        "Query.shops(first:)",
    ),
    "syntax_error": ErrorCase("INVALID_GRAPHQL", {"a": "type Query { a: Int"}, ("a",)),
}


@pytest.mark.parametrize("name", sorted(ERROR_CASES))
def test_conflict_is_reported_with_its_code(name: str) -> None:
    case = ERROR_CASES[name]
    result = compose([SubgraphSource(n, f"http://{n}", sdl) for n, sdl in case.subgraphs.items()])

    assert result.supergraph_sdl is None
    matching = [e for e in result.errors if e.code == case.code]
    assert matching, [str(e) for e in result.errors]
    error = matching[0]
    assert set(case.involved) <= set(error.subgraphs)
    if case.coordinate is not None:
        assert case.coordinate in error.coordinates
        assert case.coordinate.split(".")[0] in error.message


def test_unwrap_raises_with_every_error() -> None:
    case = ERROR_CASES["override_both_ways"]
    result = compose([SubgraphSource(n, f"http://{n}", sdl) for n, sdl in case.subgraphs.items()])

    with pytest.raises(CompositionFailed) as raised:
        result.unwrap()

    assert raised.value.errors == result.errors
    assert "OVERRIDE_SOURCE_HAS_OVERRIDE" in str(raised.value)


def test_error_message_names_subgraphs_like_apollo() -> None:
    case = ERROR_CASES["non_shareable_field_in_two_subgraphs"]
    result = compose([SubgraphSource(n, f"http://{n}", sdl) for n, sdl in case.subgraphs.items()])

    assert [str(e) for e in result.errors] == [
        '[INVALID_FIELD_SHARING] Non-shareable field "Entity.name" is resolved from multiple subgraphs: it is '
        'resolved from subgraphs "a" and "b" and defined as non-shareable in all of them'
    ]


def test_duplicate_subgraph_names_are_rejected() -> None:
    sdl = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: []) type Query { a: Int }'
    result = compose([SubgraphSource("a", "http://a", sdl), SubgraphSource("a", "http://b", sdl)])

    assert [e.code for e in result.errors] == ["INVALID_SUBGRAPH_NAME"]
    assert isinstance(result.errors[0], CompositionError)


def test_errors_come_out_in_the_same_order_for_any_subgraph_order() -> None:
    broken = FED2 + "schema { query: Query mutation: Mutation }\ntype Query { a: Int }"
    names = ["c", "a", "b"]
    forward = compose([SubgraphSource(n, f"http://{n}", broken) for n in names])
    backward = compose([SubgraphSource(n, f"http://{n}", broken) for n in reversed(names)])

    assert [str(e) for e in forward.errors] == [str(e) for e in backward.errors]
    assert [e.subgraphs for e in forward.errors] == [("a",), ("b",), ("c",)]

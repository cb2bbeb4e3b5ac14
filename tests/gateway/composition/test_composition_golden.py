"""Successful compositions of inline subgraph SDLs compared with golden supergraphs under `golden/` (the text
`@apollo/composition` 2.14 produces for the same input; regenerated against Apollo by a script kept outside
the repository)."""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import build_schema

from gateway.composition import SubgraphSource, compose

GOLDEN = Path(__file__).parent / "golden"

FED = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.{minor}", import: [{imports}])\n'


def link(*directives: str, minor: int = 3) -> str:
    """The `extend schema @link(...)` header importing the given federation directives."""
    return FED.format(minor=minor, imports=", ".join(f'"@{d}"' for d in directives))


CASES: dict[str, dict[str, str]] = {
    # Entities joined by key; a shareable value field; descriptions; arguments with defaults.
    "entities": {
        "entities": link("key", "shareable")
        + '''
"""Market entities (市场主体) registry."""
type Query {
  "Look up one entity by its unified social credit code."
  entity(uscc: ID!): MarketEntity
  entities(first: Int = 20, after: String): [MarketEntity!]!
}

"""A registered market entity."""
type MarketEntity @key(fields: "uscc") {
  uscc: ID!
  name: String!
  address: Address @shareable
}

type Address @shareable {
  district: String!
  street: String
}
''',
        "permits": link("key", "shareable")
        + """
type Query {
  permit(number: String!): Permit
}

type Permit @key(fields: "number") {
  number: String!
  holder: MarketEntity!
  validUntil: String
}

type MarketEntity @key(fields: "uscc") {
  uscc: ID!
  permits: [Permit!]!
  address: Address @shareable
}

type Address @shareable {
  district: String!
  street: String
}
""",
    },
    # @requires / @provides / @external, a compound key and a non-resolvable key.
    "requires_provides": {
        "inspections": link("key", "external", "requires", "provides")
        + """
type Query {
  inspection(id: ID!): Inspection
}

type Inspection @key(fields: "id") {
  id: ID!
  entity: MarketEntity @provides(fields: "name")
  inspector: Officer
  score: Int
}

type Officer @key(fields: "id", resolvable: false) {
  id: ID!
}

type MarketEntity @key(fields: "uscc") {
  uscc: ID!
  name: String! @external
  riskLevel: String @external
  nextVisit: String @requires(fields: "riskLevel")
}
""",
        "entities": link("key", "shareable")
        + """
type Query {
  entity(uscc: ID!): MarketEntity
}

type MarketEntity @key(fields: "uscc") @key(fields: "district seq") {
  uscc: ID!
  district: String!
  seq: Int!
  name: String! @shareable
  riskLevel: String
}

type Officer @key(fields: "id") {
  id: ID!
  name: String!
}
""",
    },
    # Interfaces, @interfaceObject, unions merged across subgraphs, field type subtyping.
    "abstract": {
        "a": link("key", "shareable")
        + """
type Query {
  node(id: ID!): Node
  results: [SearchResult!]!
  newest: Node @shareable
}

interface Node @key(fields: "id") {
  id: ID!
}

type Shop implements Node @key(fields: "id") {
  id: ID!
  name: String!
}

type Canteen implements Node @key(fields: "id") {
  id: ID!
  seats: Int
}

union SearchResult = Shop | Canteen
""",
        "b": link("key", "interfaceObject", "shareable")
        + """
type Query {
  flagged: [Node!]!
}

type Node @key(fields: "id") @interfaceObject {
  id: ID!
  alerts: Int!
}
""",
        "c": link("key", "shareable")
        + """
type Query {
  newest: Shop @shareable
}

type Shop @key(fields: "id") {
  id: ID!
  licence: String
}

union SearchResult = Shop
""",
    },
    # Enums (output union, input intersection), input object intersection, mutations.
    "enums_inputs": {
        "a": link("key", "shareable")
        + """
type Query {
  status: Status
  cases(filter: CaseFilter): [String!]!
}

type Mutation {
  open(input: CaseFilter!): Boolean
}

enum Status {
  OPEN
  CLOSED
}

enum Severity {
  LOW
  HIGH
  CRITICAL
}

input CaseFilter {
  severity: Severity
  district: String
  text: String
}
""",
        "b": link("key", "shareable")
        + """
type Query {
  archived: Status
  count(filter: CaseFilter): Int
}

enum Status {
  OPEN
  ARCHIVED
}

enum Severity {
  LOW
  HIGH
}

input CaseFilter {
  severity: Severity
  district: String
}
""",
    },
    # @inaccessible, @tag, @authenticated, @requiresScopes, @policy, @override (used and unused).
    "security_override": {
        "a": link("key", "inaccessible", "tag", "authenticated", "requiresScopes", "policy", minor=6)
        + """
type Query {
  officer(id: ID!): Officer @authenticated @tag(name: "internal")
}

type Officer @key(fields: "id") @requiresScopes(scopes: [["officer:read"]]) {
  id: ID!
  badge: String! @tag(name: "pii")
  internalNote: String @inaccessible
  station: String @policy(policies: [["same_jurisdiction"]])
  rank: Int
  unit: String
}
""",
        "b": link("key", "override", "inaccessible", minor=6)
        + """
type Officer @key(fields: "id") {
  id: ID!
  rank: Int @override(from: "a")
  unit: String @override(from: "a")
  hiddenScore: Float @inaccessible
}
""",
        "c": link("key", "external", "requires", minor=6)
        + """
type Officer @key(fields: "id") {
  id: ID!
  unit: String @external
  unitName: String @requires(fields: "unit")
}
""",
    },
    # Access control flows up from implementations to interfaces (scopes ANDed in DNF) and down from an
    # @interfaceObject field to the implementations.
    "access_control": {
        "officers": link("key", "requiresScopes", "policy", "authenticated", minor=6)
        + """
type Query {
  subjects: [Subject!]!
}

interface Subject @key(fields: "id") {
  id: ID!
  file: String
}

type Officer implements Subject @key(fields: "id") @requiresScopes(scopes: [["officer:read"]]) {
  id: ID!
  file: String @policy(policies: [["same_station"]])
}

type Shop implements Subject @key(fields: "id") @requiresScopes(scopes: [["shop:read"], ["admin"]]) {
  id: ID!
  file: String @authenticated
}
""",
        "cases": link("key", "interfaceObject", "requiresScopes", minor=6)
        + """
type Query {
  flagged: [Subject!]!
}

type Subject @key(fields: "id") @interfaceObject {
  id: ID!
  caseCount: Int @requiresScopes(scopes: [["case:read"]])
}
""",
    },
    # Progressive @override with labels (Federation 2.7 -> join v0.4, `overrideLabel`).
    "progressive_override": {
        "legacy": link("key", minor=7)
        + """
type Query {
  shop(id: ID!): Shop
}

type Shop @key(fields: "id") {
  id: ID!
  name: String
  grade: Int
}
""",
        "grading": link("key", "override", minor=7)
        + """
type Shop @key(fields: "id") {
  id: ID!
  name: String @override(from: "legacy", label: "percent(25)")
  grade: Int @override(from: "legacy", label: "new-grading")
}
""",
    },
    # @composeDirective with its own @link; an executable directive kept with the common locations.
    "custom_directives": {
        "a": 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", '
        '"@composeDirective"]) @link(url: "https://zhijian.example/audit/v1.0", import: ["@auditLog"]) '
        '@composeDirective(name: "@auditLog")\n'
        + """
directive @auditLog(level: Int = 1) on FIELD_DEFINITION | OBJECT
directive @trace(label: String) on FIELD | FRAGMENT_SPREAD

type Query {
  shop: Shop @auditLog(level: 2)
}

type Shop @key(fields: "id") @auditLog {
  id: ID!
}
""",
        "b": link("key")
        + """
directive @trace(label: String) on FIELD | QUERY

type Query {
  shops: [Shop!]!
}

type Shop @key(fields: "id") {
  id: ID!
  licence: String
}
""",
    },
    # Schema description and schema-level @tag, @deprecated (field and argument), @specifiedBy, extensions.
    "schema_level": {
        "a": '''"""The bureau graph."""
schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@tag"]) @tag(name: "public") {
  query: Query
}

type Query {
  legacyCount: Int @deprecated(reason: "use count")
  count(district: String @deprecated): Int
}

scalar Date @specifiedBy(url: "https://www.iso.org/iso-8601-date-and-time-format.html")

type Notice {
  issued: Date
}

extend type Query {
  notice: Notice
}
''',
        "b": link("key")
        + """
type Query {
  today: Date
}

scalar Date
""",
    },
    # Federation 1 subgraphs as Apollo upgrades them: `extend type` becomes a definition, unused @external fields
    # disappear, @provides on a scalar field and inactive @requires are dropped, @extends stays an extension.
    "fed1_upgrade": {
        "inventory": """
type Query {
  stock(upc: String!): Product
  label: String @provides(fields: "x")
}

extend type Product @key(fields: "upc") {
  upc: String! @external
  weight: Int @external
  color: String @external
  inStock: Boolean @requires(fields: "upc")
  shipping: Int @requires(fields: "weight")
}

type Warehouse @key(fields: "id") @extends {
  id: ID! @external
  city: String
}
""",
        "products": """
type Query {
  products: [Product]
  warehouse: Warehouse
}

type Product @key(fields: "upc") {
  upc: String!
  weight: Int
  color: String
}

type Warehouse @key(fields: "id") {
  id: ID!
}
""",
    },
    # Demand control (@cost, @listSize; Federation 2.9): differing applications merge by max / union / AND.
    "demand_control": {
        "a": link("key", "cost", "listSize", "shareable", minor=9)
        + """
type Query {
  inspections(first: Int, last: Int): [Inspection] @shareable @listSize(slicingArguments: ["first"], assumedSize: 50)
}

type Inspection @key(fields: "id") @cost(weight: 2) {
  id: ID!
  photos(limit: Int @cost(weight: 4)): [String] @shareable @listSize(assumedSize: 3)
}
""",
        "b": link("key", "cost", "listSize", "shareable", minor=9)
        + """
type Query {
  inspections(first: Int, last: Int): [Inspection] @shareable @listSize(slicingArguments: ["last"], assumedSize: 80)
}

type Inspection @key(fields: "id") {
  id: ID!
  photos(limit: Int @cost(weight: 9)): [String] @shareable @listSize(assumedSize: 7, requireOneSlicingArgument: false)
}
""",
    },
    # @context / @fromContext (Federation 2.8): the argument leaves the API, `contextArguments` carry it.
    "context": {
        "supervision": link("key", "context", "fromContext", minor=8)
        + """
type Query {
  district(code: String!): District
}

type District @key(fields: "code") @context(name: "district") {
  code: String!
  riskModel: String!
  shops: [Shop!]!
}

type Shop @key(fields: "uscc") {
  uscc: ID!
  risk(model: String @fromContext(field: "$district { riskModel }")): Int
}
""",
        "entities": link("key", minor=8)
        + """
type Shop @key(fields: "uscc") {
  uscc: ID!
  name: String!
}
""",
    },
    # A Strawberry export: `schema @link`, the `_service`/`_entities` plumbing, `= null` default.
    "strawberry_export": {
        "detection": """schema @link(url: "https://specs.apollo.dev/federation/v2.11", import: ["@key", "@shareable"]) {
  query: Query
}

enum AlertKind {
  NO_HAT
  RAT
}

type Kitchen @key(fields: "id") {
  id: ID!
  alerts(kind: AlertKind = null): [String!]!
}

type Query {
  _entities(representations: [_Any!]!): [_Entity]!
  _service: _Service!
  kitchen(id: ID!): Kitchen
}

scalar _Any

union _Entity = Kitchen

type _Service {
  sdl: String!
}
""",
        "entities": link("key")
        + """
type Query {
  kitchens: [Kitchen!]!
}

type Kitchen @key(fields: "id") {
  id: ID!
  name: String!
}
""",
    },
}


def sources(case: str) -> list[SubgraphSource]:
    """The case's subgraphs with the URLs the goldens were generated with."""
    return [SubgraphSource(name, f"http://127.0.0.1:4000/{name}", sdl) for name, sdl in CASES[case].items()]


@pytest.mark.parametrize("case", sorted(CASES))
def test_supergraph_matches_golden(case: str) -> None:
    result = compose(sources(case))

    assert result.errors == ()
    assert result.unwrap() + "\n" == (GOLDEN / f"{case}.graphql").read_text()


@pytest.mark.parametrize("case", sorted(CASES))
def test_supergraph_is_a_valid_schema(case: str) -> None:
    schema = build_schema(compose(sources(case)).unwrap())

    assert schema.query_type is not None
    assert schema.get_directive("join__type") is not None


def test_output_does_not_depend_on_subgraph_order() -> None:
    forward = compose(sources("security_override")).unwrap()
    backward = compose(list(reversed(sources("security_override")))).unwrap()

    assert forward == backward


def test_strawberry_plumbing_is_not_in_the_supergraph() -> None:
    sdl = compose(sources("strawberry_export")).unwrap()

    for plumbing in ("_service", "_entities", "_Any", "_Entity", "_Service", "federation__"):
        assert plumbing not in sdl


def test_federation_2_11_subgraphs_get_join_v0_5() -> None:
    sdl = compose(sources("strawberry_export")).unwrap()

    assert '@link(url: "https://specs.apollo.dev/join/v0.5", for: EXECUTION)' in sdl
    assert "input join__ContextArgument" in sdl


def test_imported_aliases_are_printed_under_their_spec_names() -> None:
    aliased = (
        'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", '
        'import: [{name: "@key", as: "@primaryKey"}, "@shareable"])\n'
        "type Query { shop: Shop }\n"
        'type Shop @primaryKey(fields: "id") { id: ID! name: String @federation__tag(name: "x") }'
    )
    sdl = compose([SubgraphSource("shops", "http://shops", aliased)]).unwrap()

    assert 'type Shop\n  @join__type(graph: SHOPS, key: "id")\n{' in sdl
    assert 'name: String @tag(name: "x")' in sdl

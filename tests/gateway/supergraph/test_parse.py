"""Reading supergraphs: ownership records, access rules, the API schema, and clear rejections."""

from __future__ import annotations

import pytest
from graphql import print_schema

from gateway.composition import SubgraphSource, compose
from gateway.supergraph import SupergraphError, build_api_schema, parse_supergraph

PERMITS = """
extend schema @link(url: "https://specs.apollo.dev/federation/v2.5",
  import: ["@key", "@external", "@requires", "@inaccessible", "@tag", "@authenticated", "@requiresScopes", "@override"])
type Query { permits: [Permit!]! @authenticated }
type Permit @key(fields: "id") @key(fields: "number", resolvable: false) {
  id: ID!
  number: String!
  holderUscc: String! @inaccessible
  internalNote: String @requiresScopes(scopes: [["permits:read", "audit"], ["admin"]])
  status: PermitStatus! @tag(name: "public")
}
enum PermitStatus { VALID REVOKED DRAFT @inaccessible }
"""
REVIEW = """
extend schema @link(url: "https://specs.apollo.dev/federation/v2.5",
  import: ["@key", "@external", "@requires", "@override"])
type Permit @key(fields: "id") {
  id: ID!
  number: String! @external
  label: String! @requires(fields: "number")
  status: PermitStatus! @override(from: "permits")
}
enum PermitStatus { VALID REVOKED DRAFT }
"""


@pytest.fixture(scope="module")
def sdl() -> str:
    return compose(
        [
            SubgraphSource("permits", "http://127.0.0.1:4002/graphql", PERMITS),
            SubgraphSource("review", "http://127.0.0.1:4006/graphql", REVIEW),
        ]
    ).unwrap()


def test_subgraphs_keys_and_field_ownership(sdl: str) -> None:
    supergraph = parse_supergraph(sdl)
    assert [(s.name, s.url) for s in supergraph.subgraphs] == [
        ("permits", "http://127.0.0.1:4002/graphql"),
        ("review", "http://127.0.0.1:4006/graphql"),
    ]
    permit = supergraph.types["Permit"]
    keys = {(t.subgraph, k.fields, k.resolvable) for t in permit.subgraphs for k in t.keys}
    assert keys == {("permits", "id", True), ("permits", "number", False), ("review", "id", True)}
    fields = {f.name: f for f in permit.fields}
    label = {str(e.subgraph): e for e in fields["label"].subgraphs}
    assert label["review"].requires == "number"
    number = {str(e.subgraph): e for e in fields["number"].subgraphs}
    assert number["review"].external and not number["permits"].external
    status = {str(e.subgraph): e for e in fields["status"].subgraphs}
    assert status["review"].override == "permits"
    assert set(status) == {"review"}  # overridden and unused: the old owner no longer resolves it


def test_access_rules_are_kept_for_the_identity_stage(sdl: str) -> None:
    supergraph = parse_supergraph(sdl)
    permits = next(f for f in supergraph.types["Query"].fields if f.name == "permits")
    assert permits.access.authenticated
    note = next(f for f in supergraph.types["Permit"].fields if f.name == "internalNote")
    assert note.access.scopes == (("permits:read", "audit"), ("admin",))


def test_api_schema_drops_spec_machinery_and_inaccessible_elements(sdl: str) -> None:
    api = print_schema(build_api_schema(parse_supergraph(sdl)))
    assert "join__" not in api and "link__" not in api and "@tag" not in api
    assert "holderUscc" not in api
    assert "DRAFT" not in api
    assert "internalNote: String" in api


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("type Query {", "not valid GraphQL SDL"),
        ("type Query { hello: String }", "join spec"),
        (
            'schema @link(url: "https://specs.apollo.dev/link/v1.0") '
            '@link(url: "https://specs.apollo.dev/join/v9.9", for: EXECUTION) { query: Query }\n'
            "type Query { a: Int }",
            "v9.9 is not supported",
        ),
    ],
)
def test_broken_supergraphs_are_rejected_with_a_reason(text: str, reason: str) -> None:
    with pytest.raises(SupergraphError, match=reason):
        parse_supergraph(text)


def test_unknown_graph_reference_is_named(sdl: str) -> None:
    broken = sdl.replace('@join__type(graph: REVIEW, key: "id")', '@join__type(graph: NOWHERE, key: "id")')
    with pytest.raises(SupergraphError, match="NOWHERE"):
        parse_supergraph(broken)

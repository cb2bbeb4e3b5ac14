"""A small federation carrying `@authenticated`, `@requiresScopes` and `@policy`, on the shared test kit."""

from __future__ import annotations

import re
from typing import Any

from gateway.composition import SubgraphSource, compose
from tests.gateway.kit import Federation, Subgraph, SubgraphApp

AUTH_LINK = (
    'extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: '
    '["@key", "@shareable", "@authenticated", "@requiresScopes", "@policy"])\n'
)
AUTH_DEFINITIONS = """
scalar federation__Scope
scalar federation__Policy
directive @authenticated on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM
directive @requiresScopes(scopes: [[federation__Scope!]!]!) on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM
directive @policy(policies: [[federation__Policy!]!]!) on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM
"""
_DEFINITIONS = re.compile(r"^(scalar federation__\w+|directive @(authenticated|requiresScopes|policy)\b.*)$", re.M)

REGISTRY_SDL = """
type Query {
  notices: [Notice!]!
  entities: [Entity!]! @authenticated
  items: [Item!]!
}
interface Item {
  id: ID!
}
type Lead implements Item @authenticated {
  id: ID!
  informant: String!
}
type Notice implements Item @key(fields: "id") {
  id: ID!
  text: String!
  entity: Entity
}
type Entity @key(fields: "uscc") {
  uscc: ID!
  name: String!
  phone: String @requiresScopes(scopes: [["pii:read"], ["admin"]])
  riskScore: Int @policy(policies: [["role:inspector"]])
}
"""

PERMITS_SDL = """
type Entity @key(fields: "uscc") {
  uscc: ID!
  permits: [Permit!]!
}
type Permit @authenticated {
  id: ID!
  number: String!
}
"""


def _world() -> dict[str, list[dict[str, Any]]]:
    permits = [
        {"__typename": "Permit", "id": "P1", "number": "JY14403040000001"},
        {"__typename": "Permit", "id": "P2", "number": "JY14403040000002"},
    ]
    entities: list[dict[str, Any]] = [
        {"__typename": "Entity", "uscc": "U1", "name": "福田酒家", "phone": "138", "riskScore": 3, "permits": permits},
        {"__typename": "Entity", "uscc": "U2", "name": "南山餐厅", "phone": "139", "riskScore": 1, "permits": []},
    ]
    notices: list[dict[str, Any]] = [
        {"__typename": "Notice", "id": "N1", "text": "整改通知", "entity": entities[0]},
        {"__typename": "Notice", "id": "N2", "text": "公告", "entity": None},
    ]
    leads = [{"__typename": "Lead", "id": "L1", "informant": "匿名举报"}]
    return {"Entity": entities, "Notice": notices, "Permit": permits, "Lead": leads}


class AuthFederation(Federation):
    """The kit's federation, composed with the v2.6 auth directives imported."""

    def __post_init__(self) -> None:
        self.apps = {s.name: SubgraphApp(s, self.world) for s in self.subgraphs}
        sources = [
            SubgraphSource(s.name, f"http://127.0.0.1:1/{s.name}", AUTH_LINK + _DEFINITIONS.sub("", s.sdl))
            for s in self.subgraphs
        ]
        self.supergraph_sdl = compose(sources).unwrap()


def auth_federation() -> AuthFederation:
    """Registry (notices public, entities signed-in, phone by scope, riskScore by policy, items: public notices and
    signed-in leads behind one interface) and permits (signed-in)."""
    registry = Subgraph(
        "registry",
        AUTH_DEFINITIONS + REGISTRY_SDL,
        roots={
            "notices": lambda w: list(w["Notice"]),
            "entities": lambda w: list(w["Entity"]),
            "items": lambda w: [*w["Notice"], *w["Lead"]],
        },
    )
    permits = Subgraph("permits", AUTH_DEFINITIONS + PERMITS_SDL)
    return AuthFederation([registry, permits], _world())

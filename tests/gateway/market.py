"""A market-supervision federation (市场监管) used across gateway tests: three subgraphs, one world.

entities (市场主体) owns `MarketEntity` and `District`; permits (许可) adds permits and provides the
holder's name; supervision (监管) derives a risk level from entity facts via `@requires` and
reports inspection findings as a union.
"""

from __future__ import annotations

from typing import Any

from tests.gateway.kit import Federation, Subgraph

ENTITIES = Subgraph(
    "entities",
    """
    type Query {
      entity(uscc: ID!): MarketEntity
      entities(district: ID): [MarketEntity!]!
    }
    type MarketEntity @key(fields: "uscc") {
      uscc: ID!
      name: String! @shareable
      category: String!
      employeeCount: Int!
      district: District!
    }
    type District @key(fields: "code") {
      code: ID!
      name: String!
    }
    """,
    roots={
        "entity": lambda world, uscc: next((e for e in world["MarketEntity"] if e["uscc"] == uscc), None),
        "entities": lambda world, district=None: [
            e for e in world["MarketEntity"] if district is None or e["district"]["code"] == district
        ],
    },
)

PERMITS = Subgraph(
    "permits",
    """
    type Query {
      permit(id: ID!): Permit
    }
    type MarketEntity @key(fields: "uscc") {
      uscc: ID!
      name: String! @shareable
      permits(kind: PermitKind): [Permit!]!
    }
    enum PermitKind { FOOD_OPERATION FOOD_PRODUCTION }
    type Permit @key(fields: "id") {
      id: ID!
      kind: PermitKind!
      validUntil: String!
      holder: MarketEntity!
    }
    """,
    roots={"permit": lambda world, id: next((p for p in world["Permit"] if p["id"] == id), None)},
    computed={
        ("MarketEntity", "permits"): lambda e: [p for p in e["_permits"] if e.get("kind") in (None, p["kind"])],
    },
)

SUPERVISION = Subgraph(
    "supervision",
    """
    type Query {
      inspectionsDue: [Inspection!]!
    }
    type MarketEntity @key(fields: "uscc") {
      uscc: ID!
      category: String! @external
      employeeCount: Int! @external
      riskLevel: String! @requires(fields: "category employeeCount")
      inspections: [Inspection!]!
    }
    type Inspection @key(fields: "id") {
      id: ID!
      date: String!
      subject: MarketEntity!
      findings: [Finding!]!
    }
    union Finding = Violation | Commendation
    type Violation { code: String! severity: Int! }
    type Commendation { note: String! }
    """,
    roots={"inspectionsDue": lambda world: list(world["Inspection"])},
    computed={
        ("MarketEntity", "riskLevel"): lambda e: (
            "HIGH" if e["category"] == "catering" and e["employeeCount"] > 10 else "LOW"
        ),
    },
)


def market_world() -> dict[str, list[dict[str, Any]]]:
    """Three market entities in two districts, their permits and inspections."""
    futian: dict[str, Any] = {"__typename": "District", "code": "440304", "name": "福田区"}
    nanshan: dict[str, Any] = {"__typename": "District", "code": "440305", "name": "南山区"}
    entities: list[dict[str, Any]] = [
        {
            "__typename": "MarketEntity",
            "uscc": "91440300A",
            "name": "海鲜酒楼",
            "category": "catering",
            "employeeCount": 42,
            "district": futian,
        },
        {
            "__typename": "MarketEntity",
            "uscc": "91440300B",
            "name": "便利店",
            "category": "retail",
            "employeeCount": 3,
            "district": nanshan,
        },
        {
            "__typename": "MarketEntity",
            "uscc": "91440300C",
            "name": "早餐铺",
            "category": "catering",
            "employeeCount": 4,
            "district": futian,
        },
    ]
    permits: list[dict[str, Any]] = [
        {
            "__typename": "Permit",
            "id": "JY1",
            "kind": "FOOD_OPERATION",
            "validUntil": "2027-01-31",
            "holder": entities[0],
        },
        {
            "__typename": "Permit",
            "id": "SC1",
            "kind": "FOOD_PRODUCTION",
            "validUntil": "2026-12-31",
            "holder": entities[0],
        },
        {
            "__typename": "Permit",
            "id": "JY2",
            "kind": "FOOD_OPERATION",
            "validUntil": "2028-05-01",
            "holder": entities[2],
        },
    ]
    inspections: list[dict[str, Any]] = [
        {
            "__typename": "Inspection",
            "id": "I1",
            "date": "2026-11-02",
            "subject": entities[0],
            "findings": [
                {"__typename": "Violation", "code": "HYG-3", "severity": 2},
                {"__typename": "Commendation", "note": "明厨亮灶"},
            ],
        },
        {"__typename": "Inspection", "id": "I2", "date": "2026-11-20", "subject": entities[2], "findings": []},
    ]
    for entity in entities:
        entity["_permits"] = [p for p in permits if p["holder"] is entity]
        entity["inspections"] = [i for i in inspections if i["subject"] is entity]
    return {
        "MarketEntity": entities,
        "District": [futian, nanshan],
        "Permit": permits,
        "Inspection": inspections,
    }


def market_federation() -> Federation:
    """The three subgraphs over a fresh world."""
    return Federation([ENTITIES, PERMITS, SUPERVISION], market_world())

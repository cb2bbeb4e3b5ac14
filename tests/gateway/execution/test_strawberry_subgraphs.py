"""The gateway in front of real Strawberry federation subgraphs, reached in process (embedded mode)."""

from __future__ import annotations

import strawberry
from strawberry.asgi import GraphQL

from gateway.composition import SubgraphSource, compose
from gateway.execution import AsgiSubgraphClient, Gateway

NAMES = {"91440300A": "海鲜酒楼", "91440300B": "便利店"}
LICENCES = {"91440300A": ["JY1", "SC1"], "91440300B": []}


@strawberry.federation.type(keys=["uscc"])
class MarketEntity:
    uscc: strawberry.ID
    name: str

    @classmethod
    def resolve_reference(cls, uscc: strawberry.ID) -> MarketEntity:
        return MarketEntity(uscc=uscc, name=NAMES[uscc])


@strawberry.type
class EntitiesQuery:
    @strawberry.field
    def entities(self) -> list[MarketEntity]:
        return [MarketEntity(uscc=strawberry.ID(u), name=n) for u, n in NAMES.items()]


@strawberry.federation.type(keys=["uscc"], name="MarketEntity")
class PermitHolder:
    uscc: strawberry.ID

    @strawberry.field
    def permits(self) -> list[str]:
        return LICENCES[self.uscc]

    @classmethod
    def resolve_reference(cls, uscc: strawberry.ID) -> PermitHolder:
        return PermitHolder(uscc=uscc)


@strawberry.type
class PermitsQuery:
    @strawberry.field
    def permit_count(self) -> int:
        return sum(len(v) for v in LICENCES.values())


entities_schema = strawberry.federation.Schema(query=EntitiesQuery)
permits_schema = strawberry.federation.Schema(query=PermitsQuery, types=[PermitHolder])


async def test_strawberry_subgraphs_in_process() -> None:
    supergraph = compose(
        [
            SubgraphSource("entities", "http://127.0.0.1:4001/graphql", entities_schema.as_str()),
            SubgraphSource("permits", "http://127.0.0.1:4002/graphql", permits_schema.as_str()),
        ]
    ).unwrap()
    gateway = Gateway(
        supergraph,
        {
            "entities": AsgiSubgraphClient("entities", GraphQL(entities_schema)),
            "permits": AsgiSubgraphClient("permits", GraphQL(permits_schema)),
        },
    )
    result = await gateway.execute("{ entities { uscc name permits } permitCount }")
    assert result == {
        "data": {
            "entities": [
                {"uscc": "91440300A", "name": "海鲜酒楼", "permits": ["JY1", "SC1"]},
                {"uscc": "91440300B", "name": "便利店", "permits": []},
            ],
            "permitCount": 2,
        }
    }

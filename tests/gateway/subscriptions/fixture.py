"""Two real Strawberry federation subgraphs with a subscription: `entities` owns `Subscription.entityChanged`
(an async generator), `permits` adds `MarketEntity.permits`, so each event needs an entity fetch."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator

import strawberry
from strawberry.asgi import GraphQL
from strawberry.types import Info

from gateway.composition import SubgraphSource, compose

NAMES = {"91440300A": "海鲜酒楼", "91440300B": "便利店"}
LICENCES = {"91440300A": ["JY1", "SC1"], "91440300B": []}
OPEN: set[int] = set()
"""Subscriptions the entities subgraph is serving right now (to prove they are closed)."""
SEEN_IDENTITY: list[str | None] = []
"""The `x-zhijian-identity` each subscription arrived with."""


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


@strawberry.type
class EntitiesSubscription:
    @strawberry.subscription
    async def entity_changed(self, info: Info, count: int, hold: bool = False) -> AsyncGenerator[MarketEntity, None]:
        """`count` events (alternating entities), then — with `hold` — stay open until cancelled."""
        request = info.context["request"]
        SEEN_IDENTITY.append(request.headers.get("x-zhijian-identity"))
        marker = id(request)
        OPEN.add(marker)
        try:
            usccs = list(NAMES)
            for n in range(count):
                uscc = usccs[n % len(usccs)]
                yield MarketEntity(uscc=strawberry.ID(uscc), name=NAMES[uscc])
            if hold:
                await asyncio.Event().wait()
        finally:
            OPEN.discard(marker)


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


entities_schema = strawberry.federation.Schema(query=EntitiesQuery, subscription=EntitiesSubscription)
permits_schema = strawberry.federation.Schema(query=PermitsQuery, types=[PermitHolder])


def entities_app() -> GraphQL[object, object]:
    return GraphQL(entities_schema)


def permits_app() -> GraphQL[object, object]:
    return GraphQL(permits_schema)


def supergraph(
    entities_url: str = "http://127.0.0.1:1/graphql", permits_url: str = "http://127.0.0.1:2/graphql"
) -> str:
    return compose(
        [
            SubgraphSource("entities", entities_url, entities_schema.as_str()),
            SubgraphSource("permits", permits_url, permits_schema.as_str()),
        ]
    ).unwrap()

"""The ``EntityRegistry`` that asks the federated graph, through the gateway, as the permits subgraph's own machine
client (client credentials, ``entities:read`` city-wide, no personal data).

The gateway checks the client's token and joins: registration status, legal representative, list flags and
the legal representative's 食品安全法 Art. 135 bans in force today (read live, not the registration-day holds) come from
the entities subgraph; whether a food-safety penalty is shown today (45号令) from the
enforcement subgraph (``underFoodPenaltyPublicity``). Where either cannot answer, nothing is decided.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from kernel.machine_client import GraphClient, GraphUnavailable, error_codes
from subgraphs.permits.registry import RegistryFacts, RegistryUnavailable

ENTITY_FACTS = """
query PermitRegistryFacts($uscc: String!) {
  entity(uscc: $uscc) {
    uscc name status
    legalRepresentative { name }
    creditFlags
    foodSafetyBans { kind person decidedOn lastDay basis }
    underFoodPenaltyPublicity
  }
}
"""


class GraphQLEntityRegistry:
    """Registry facts from the federated graph, asked as the machine client ``graph`` acts for."""

    source = "entities-subgraph"

    def __init__(self, graph: GraphClient) -> None:
        self._graph = graph

    async def _entity(self, uscc: str) -> dict[str, Any] | None:
        try:
            body = await self._graph.query(ENTITY_FACTS, {"uscc": uscc})
        except GraphUnavailable as error:
            raise RegistryUnavailable(f"the registry could not be asked: {error.message}") from error
        codes = error_codes(body)
        if codes == ["NOT_FOUND"]:  # not registered (the registry client sees the whole city)
            return None
        if codes:
            raise RegistryUnavailable(f"the registry answered with errors: {', '.join(codes)}")
        entity: dict[str, Any] | None = (body.get("data") or {}).get("entity")
        return entity

    async def facts(self, uscc: str, *, at: dt.datetime) -> RegistryFacts:
        entity = await self._entity(uscc)
        if entity is None:
            return RegistryFacts(uscc=uscc, found=False, source=self.source, fetched_at=at)
        flags = set(entity["creditFlags"])
        bans = tuple(_ban_reason(ban) for ban in entity["foodSafetyBans"])
        return RegistryFacts(
            uscc=entity["uscc"],
            found=True,
            source=self.source,
            fetched_at=at,
            name=entity["name"],
            status=entity["status"],
            legal_representative=entity["legalRepresentative"]["name"],
            abnormal_listed=bool(flags & {"ON_ABNORMAL_LIST", "IN_ABNORMAL_STATUS"}),
            serious_listed="ON_SERIOUS_LIST" in flags,
            food_penalty_publicity=bool(entity["underFoodPenaltyPublicity"]),
            food_permit_ban=bool(bans),
            food_safety_bans=bans,
        )


def _ban_reason(ban: dict[str, Any]) -> str:
    until = "for life" if ban["lastDay"] is None else f"until {ban['lastDay']} inclusive"
    return f"{ban['person']}: {ban['kind']} decided {ban['decidedOn']}, barred {until} ({ban['basis']})"

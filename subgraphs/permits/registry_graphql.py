"""The ``EntityRegistry`` that asks the entities subgraph over GraphQL (HTTP, or in-process ASGI via httpx).

The entities subgraph knows registration status, legal representative, list flags and registration holds.
Food penalty publicity belongs to enforcement, which does not publish it yet: the snapshot says ``None``
(unknown) and the clean-credit rule refuses to approve on an unknown fact.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx

from subgraphs.common.errors import InternalError
from subgraphs.permits.registry import RegistryFacts

ENTITY_FACTS = """
query PermitRegistryFacts($uscc: String!) {
  entity(uscc: $uscc) {
    uscc name status
    legalRepresentative { name }
    creditFlags
    holdReasons { reason }
  }
}
"""


class RegistryUnavailable(InternalError):
    """The entities subgraph did not answer usefully; nothing was decided."""

    code = "REGISTRY_UNAVAILABLE"


class GraphQLEntityRegistry:
    """Registry facts from the entities subgraph; ``client`` decides the transport (base URL or ASGI app)."""

    source = "entities-subgraph"

    def __init__(self, client: httpx.AsyncClient, *, path: str = "/graphql") -> None:
        self._client = client
        self._path = path

    async def _entity(self, uscc: str) -> dict[str, Any] | None:
        try:
            response = await self._client.post(self._path, json={"query": ENTITY_FACTS, "variables": {"uscc": uscc}})
        except httpx.HTTPError as exc:
            raise RegistryUnavailable(f"the entities registry could not be reached: {exc}") from exc
        if response.status_code != 200:
            raise RegistryUnavailable(f"the entities registry answered HTTP {response.status_code}")
        body = response.json()
        if body.get("errors"):
            raise RegistryUnavailable(f"the entities registry answered with errors: {body['errors'][0]['message']}")
        entity: dict[str, Any] | None = body["data"]["entity"]
        return entity

    async def facts(self, uscc: str, *, at: dt.datetime) -> RegistryFacts:
        entity = await self._entity(uscc)
        if entity is None:
            return RegistryFacts(uscc=uscc, found=False, source=self.source, fetched_at=at)
        flags = set(entity["creditFlags"])
        holds = {hold["reason"] for hold in entity["holdReasons"]}
        return RegistryFacts(
            uscc=entity["uscc"],
            found=True,
            source=self.source,
            fetched_at=at,
            name=entity["name"],
            status=entity["status"],
            legal_representative=entity["legalRepresentative"]["name"],
            abnormal_listed="ON_ABNORMAL_LIST" in flags,
            serious_listed="ON_SERIOUS_LIST" in flags,
            food_penalty_publicity=None,
            food_permit_ban="LEGAL_REP_FOOD_PERMIT_BAN" in holds,
        )

"""The ``EntityRegistry`` that asks the entities subgraph over GraphQL (HTTP, or in-process ASGI via httpx).

The entities subgraph knows registration status, legal representative, list flags and registration holds.
Food penalty publicity belongs to enforcement, which does not publish it yet: the snapshot says ``None``
(unknown) and the clean-credit rule refuses to approve on an unknown fact.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import replace
from typing import Any

import httpx

from gateway.auth.forwarding import FORWARDED_IDENTITY_HEADER, IdentitySigner
from gateway.auth.principal import Principal
from subgraphs.common.data_scope import CITY_WIDE
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


REGISTRY_CALLER = Principal(
    subject="permits-subgraph",
    issuer="zhijian-hub",
    roles=frozenset(),
    scopes=frozenset({"entities:read", CITY_WIDE}),
    org_path=None,
    client_id="permits-subgraph",
    expires_at=0,
)
"""Who the registry asks as: the permits subgraph itself, a city-wide reader of registration facts (no personal
data), also from jobs that run outside any request."""


class RegistryUnavailable(InternalError):
    """The entities subgraph did not answer usefully; nothing was decided."""

    code = "REGISTRY_UNAVAILABLE"


class GraphQLEntityRegistry:
    """Registry facts from the entities subgraph; ``client`` decides the transport (base URL or ASGI app), and
    ``signer`` (the gateway's forwarding key, HS256) signs :data:`REGISTRY_CALLER` for each call."""

    source = "entities-subgraph"

    def __init__(self, client: httpx.AsyncClient, signer: IdentitySigner, *, path: str = "/graphql") -> None:
        self._client = client
        self._signer = signer
        self._path = path

    def _identity(self) -> dict[str, str]:
        caller = replace(REGISTRY_CALLER, expires_at=int(time.time()) + self._signer.ttl)
        return {FORWARDED_IDENTITY_HEADER: self._signer.sign(caller)}

    async def _entity(self, uscc: str) -> dict[str, Any] | None:
        try:
            response = await self._client.post(
                self._path, json={"query": ENTITY_FACTS, "variables": {"uscc": uscc}}, headers=self._identity()
            )
        except httpx.HTTPError as exc:
            raise RegistryUnavailable(f"the entities registry could not be reached: {exc}") from exc
        if response.status_code != 200:
            raise RegistryUnavailable(f"the entities registry answered HTTP {response.status_code}")
        body = response.json()
        codes = [(error.get("extensions") or {}).get("code") for error in body.get("errors") or ()]
        if codes == ["NOT_FOUND"]:  # not registered (the registry caller sees the whole city)
            return None
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

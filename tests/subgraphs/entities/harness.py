"""What the entities API tests share: an HTTP client of the real app, a valid application, row counts."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import func, select

from kernel.db import Database
from kernel.principal import Principal
from subgraphs.entities.models import Base
from subgraphs.entities.persons import id_check_character
from subgraphs.entities.seed import make_uscc
from tests.support.graphql import data_of, only_error, post_as
from tests.support.identities import CITY_OFFICER


class Subgraph:
    """Posts GraphQL to the real ASGI app over HTTP semantics (httpx ASGITransport), as ``caller`` signed by a
    test gateway (default: a city-bureau officer without ``pii:read``)."""

    def __init__(self, client: httpx.AsyncClient, caller: Principal = CITY_OFFICER) -> None:
        self.client = client
        self.caller = caller

    def as_(self, caller: Principal) -> Subgraph:
        """The same app, called by someone else."""
        return Subgraph(self.client, caller)

    async def post(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        return await post_as(self.client, self.caller, query, variables or {})

    async def data(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The ``data`` of an operation that must succeed."""
        return data_of(await self.post(query, variables))

    async def error(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The one error of an operation that must fail."""
        return only_error(await self.post(query, variables))


REGISTER = """
mutation($input: RegisterEntityInput!) {
  registerEntity(input: $input) {
    outcome warnings
    holdReasons { reason detail }
    entity {
      uscc name entityType status heldForReview creditFlags districtCode stationCode
      registrationAuthorityCode categoryCode registrationRegionCode
      legalRepresentative { name idNumber phone }
      station { code path }
      supervisingOrg { path }
    }
  }
}
"""


def id_number(first17: str = "44030419900101123") -> str:
    """A valid resident ID number."""
    return first17 + id_check_character(first17)


def application(**overrides: Any) -> dict[str, Any]:
    """A valid RegisterEntityInput (example B of DOMAIN.md §2.1, premises in 福田 华强北)."""
    values: dict[str, Any] = {
        "uscc": "91440300MA5H7K2P12",
        "name": "深圳市华强食品有限公司",
        "entityType": "COMPANY",
        "establishedOn": "2024-03-01",
        "legalRepresentative": {"name": "张伟", "idNumber": id_number(), "phone": "13812345678"},
        "domicile": "广东省深圳市福田区园岭街道红荔路1号",
        "premises": "广东省深圳市福田区华强北街道振华路8号",
        "businessScope": "食品销售；餐饮服务。",
    }
    values.update(overrides)
    return values


def another_uscc(serial: int, category: str = "1") -> str:
    return make_uscc(category, "440300", serial)


async def count(database: Database, table: str) -> int:
    """Rows in one of the entities tables."""
    model = Base.metadata.tables[f"entities.{table}"]
    async with database.transaction() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)

"""Which market entities a caller reaches (属地监管, DOMAIN.md §9): reads filtered, writes refused outside it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.auth.principal import Principal
from subgraphs.common.data_scope import DataScope, data_scope, require_write
from subgraphs.common.errors import NotFoundError
from subgraphs.entities.models import MarketEntityRow

READ_SCOPES = ("entities:read", "entities:write")
"""A machine client reads entities with either scope."""
WRITE_SCOPE = "entities:write"


def entity_scope(caller: Principal | None) -> DataScope:
    """The org unit whose entities ``caller`` may read."""
    return data_scope(caller, *READ_SCOPES)


def visible(scope: DataScope, row: MarketEntityRow) -> bool:
    """The entity's supervising unit (station, else district bureau) lies in ``scope``."""
    return scope.admits(row.district_code, row.station_code)


def within(statement: Select[Any], scope: DataScope) -> Select[Any]:
    """``statement`` restricted to the scope's entities in SQL (so keyset pages stay full and correct)."""
    return statement.where(scope.where(MarketEntityRow.district_code, MarketEntityRow.station_code))


def not_found(uscc: str) -> NotFoundError:
    """The same answer for an unknown entity and for one outside the caller's jurisdiction."""
    return NotFoundError(f"no entity {uscc} in your jurisdiction", details={"uscc": uscc})


async def get_entity(session: AsyncSession, uscc: str) -> MarketEntityRow:
    """The entity a write acts on, or ``NOT_FOUND`` (the caller was already checked by :func:`require_writable`)."""
    entity = await session.get(MarketEntityRow, uscc)
    if entity is None:
        raise NotFoundError(f"no market entity with USCC {uscc}")
    return entity


async def require_writable(session: AsyncSession, caller: Principal | None, uscc: str) -> None:
    """``FORBIDDEN`` when entity ``uscc`` exists outside the caller's writable jurisdiction."""
    row = await session.get(MarketEntityRow, uscc)
    if row is not None:
        require_write(caller, WRITE_SCOPE, row.district_code, row.station_code)

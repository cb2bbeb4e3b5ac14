"""Which permits and applications a caller reaches: those whose premises lie in the caller's jurisdiction.

The permits subgraph reads no entity tables, so it uses the supervising district and station recorded on each
row from its premises (``models.place_premises``); rows whose premises no unit claims are the city's alone.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.auth.principal import Principal
from subgraphs.common.data_scope import DataScope, data_scope, require_write
from subgraphs.permits.models import PermitApplicationRow, PermitRow, premises_codes

READ_SCOPES = ("permits:read", "permits:write")
"""A machine client reads permits and applications with either scope."""
WRITE_SCOPE = "permits:write"

Row = TypeVar("Row", PermitRow, PermitApplicationRow)


def permit_scope(caller: Principal | None) -> DataScope:
    """The org unit whose permits and applications ``caller`` may read."""
    return data_scope(caller, *READ_SCOPES)


def visible(caller: Principal | None, row: Row | None) -> Row | None:
    """``row`` when its premises lie in the caller's jurisdiction, else None (the same as no such row)."""
    return row if row is not None and permit_scope(caller).admits(row.district_code, row.station_code) else None


Model = type[PermitRow] | type[PermitApplicationRow]


def within(statement: Select[Any], model: Model, scope: DataScope) -> Select[Any]:
    """``statement`` restricted in SQL to the scope's rows (keyset pages stay full and correct)."""
    return statement.where(scope.where(model.district_code, model.station_code))


def require_premises_writable(caller: Principal | None, premises_address: str, premises_region: str) -> None:
    """``FORBIDDEN`` unless the caller may act where these premises are (a new application, a legacy record)."""
    require_write(caller, WRITE_SCOPE, *premises_codes(premises_address, premises_region))


async def require_writable(session: AsyncSession, caller: Principal | None, model: Model, key: str) -> None:
    """``FORBIDDEN`` when the permit or application ``key`` exists outside the caller's writable jurisdiction."""
    row: PermitRow | PermitApplicationRow | None = await session.get(model, key)
    if row is not None:
        require_write(caller, WRITE_SCOPE, row.district_code, row.station_code)

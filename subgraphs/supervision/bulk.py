"""Many rows at once: PostgreSQL COPY (one stream), else one executemany — for a draw's tasks and the seed."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import JSON, Table, insert
from sqlalchemy.ext.asyncio import AsyncSession

from kernel.db import copy_records


async def bulk_insert(session: AsyncSession, model: type[Any], rows: list[dict[str, Any]], *, copy: bool) -> None:
    """Insert ``rows`` (dicts of column values, all with the same keys) into ``model``'s table in the session's
    transaction; with ``copy`` (PostgreSQL) as a COPY stream."""
    if not rows:
        return
    table: Table = model.__table__
    if not copy:
        await session.execute(insert(table), rows)
        return
    columns = tuple(column.name for column in table.columns if column.name in rows[0])
    encoded = {column.name for column in table.columns if isinstance(column.type, JSON)}
    records = (
        tuple(json.dumps(row[name], ensure_ascii=False) if name in encoded else row[name] for name in columns)
        for row in rows
    )
    await copy_records(await session.connection(), table, columns, records)

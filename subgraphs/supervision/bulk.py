"""Many rows at once: PostgreSQL COPY (one stream), else one executemany — for a draw's tasks and the seed."""

from __future__ import annotations

import json
from operator import itemgetter
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
    encoded = [i for i, name in enumerate(columns) if isinstance(table.columns[name].type, JSON)]
    pick = itemgetter(*columns)
    json_of: dict[int, str] = {}  # by the value's identity: a draw's 50,000 tasks share one list of items

    def record(row: dict[str, Any]) -> tuple[Any, ...]:
        values = pick(row)
        if len(columns) == 1:
            values = (values,)
        if not encoded:
            return values  # type: ignore[no-any-return]
        values = list(values)
        for i in encoded:
            value = values[i]
            text = json_of.get(id(value))
            if text is None:
                text = json_of[id(value)] = json.dumps(value, ensure_ascii=False)
            values[i] = text
        return tuple(values)

    await copy_records(await session.connection(), table, columns, map(record, rows))

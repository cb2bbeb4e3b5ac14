"""Many rows at once: PostgreSQL COPY (one stream), else one executemany — for a draw's tasks and the seed."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
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
    columns = tuple(column.name for column in table.columns if column.name in rows[0])
    pick = itemgetter(*columns)
    records = (pick(row) for row in rows) if len(columns) > 1 else ((pick(row),) for row in rows)
    await bulk_insert_records(session, model, columns, records, copy=copy)


async def bulk_insert_records(
    session: AsyncSession, model: type[Any], columns: Sequence[str], records: Iterable[tuple[Any, ...]], *, copy: bool
) -> None:
    """Insert ``records`` (values in ``columns`` order) into ``model``'s table in the session's transaction; with
    ``copy`` (PostgreSQL) as a COPY stream, a JSON value encoded once however many records share it."""
    table: Table = model.__table__
    if not copy:
        rows = [dict(zip(columns, record, strict=True)) for record in records]
        if rows:
            await session.execute(insert(table), rows)
        return
    encoded = [i for i, name in enumerate(columns) if isinstance(table.columns[name].type, JSON)]
    json_of: dict[int, str] = {}  # by the value's identity: a draw's 50,000 tasks share one list of items

    def record(values: tuple[Any, ...]) -> tuple[Any, ...]:
        if not encoded:
            return values
        changed = list(values)
        for i in encoded:
            value = changed[i]
            text = json_of.get(id(value))
            if text is None:
                text = json_of[id(value)] = json.dumps(value, ensure_ascii=False)
            changed[i] = text
        return tuple(changed)

    await copy_records(await session.connection(), table, columns, map(record, records))

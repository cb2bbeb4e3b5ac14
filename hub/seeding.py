"""``zhijian seed``: entities and permits at Shenzhen's scale, with the time each part took."""

from __future__ import annotations

import sys
import time

from sqlalchemy import func, select

from subgraphs.common.db import Database
from subgraphs.entities.models import MarketEntityRow
from subgraphs.entities.seed import seed_entities
from subgraphs.permits.seed import seed_permits

PERMIT_HOLDERS = 200_000
"""At most this many entity codes are read back to hold the generated permits."""


async def _entity_count(database: Database) -> int:
    """Entities already there; generated serials continue after them so codes never collide."""
    async with database.transaction() as session:
        return int(await session.scalar(select(func.count()).select_from(MarketEntityRow)) or 0)


async def seed(database: Database, entities: int, permits: int, *, progress: bool = True) -> int:
    """Add ``entities`` generated entities, then ``permits`` permits held by existing entities."""
    if entities:
        report = await seed_entities(database, entities, progress=progress, first_serial=await _entity_count(database))
        print(
            f"entities: {report.entities:,} rows, {report.listings:,} credit listings, "
            f"{report.restrictions:,} bans in {report.seconds:.1f} s"
        )
    if permits:
        async with database.transaction() as session:
            holders = (await session.scalars(select(MarketEntityRow.uscc).limit(PERMIT_HOLDERS))).all()
        if not holders:
            print("zhijian seed: permits need entities to hold them; seed --entities first", file=sys.stderr)
            return 2
        began = time.perf_counter()
        written = await seed_permits(database, permits, holders, progress=progress)
        print(f"permits: {written:,} rows in {time.perf_counter() - began:.1f} s")
    return 0

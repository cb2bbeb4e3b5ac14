"""The exchange adapter: claim pending rows after the watermark (``FOR UPDATE SKIP LOCKED``: two workers never take
the same rows), apply them, write each row's result back and move the watermark — the write-back (our dedup mark)
and the watermark commit in one transaction of the exchange database, after the subgraph has applied the effect
(idempotently: a row taken again after a crash is answered DUPLICATE, never applied twice).

The watermark never passes a pending row: it is moved to the first row still pending (rows another worker holds
uncommitted count as pending), so a worker that dies loses nothing — its rows are pending again.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.exchange.mapping import to_abnormal_listing
from adapters.exchange.tables import LEGACY_FIELDS, SCHEMA, listings, pending, watermarks
from adapters.protocol import RecordOutcome, SourceBatch, SourceRecord
from adapters.targets import ABNORMAL_LISTINGS
from kernel.clock import Clock, system_clock
from kernel.db import Database

SOURCE = "exchange.abnormal_listing_out"
ORDER = (listings.c.updated_at, listings.c.id)
MARK = (watermarks.c.updated_at, watermarks.c.id)


def _legacy(row: Row[Any]) -> dict[str, str]:
    return {name: row._mapping[name] or "" for name in LEGACY_FIELDS}


@dataclass(slots=True)
class ExchangeAdapter:
    database: Database
    """The exchange database (the legacy party's), not ours."""
    clock: Clock = system_clock
    name: str = "exchange"
    target: str = ABNORMAL_LISTINGS.name

    async def read(self, checkpoint: str | None, size: int) -> AsyncIterator[SourceBatch]:
        while True:
            async with self.database.sessions() as session, session.begin():
                mark = (await session.execute(select(*MARK).where(watermarks.c.adapter == self.name))).first()
                claim = select(listings).where(pending).order_by(*ORDER).limit(size)
                if mark is not None:
                    claim = claim.where(tuple_(*ORDER) >= tuple_(*mark))
                rows = (await session.execute(claim.with_for_update(skip_locked=True))).all()
                if not rows:
                    return
                records = [SourceRecord(f"id {row.id}", _legacy(row)) for row in rows]

                async def settle(outcomes: Sequence[RecordOutcome], claimed: Sequence[Row[Any]] = rows) -> None:
                    await self._write_back(session, claimed, outcomes)

                last = rows[-1]
                yield SourceBatch(SOURCE, records, f"{last.updated_at.isoformat()}#{last.id}", settle=settle)

    async def _write_back(
        self, session: AsyncSession, rows: Sequence[Row[Any]], outcomes: Sequence[RecordOutcome]
    ) -> None:
        now = self.clock()
        for row, outcome in zip(rows, outcomes, strict=True):
            reason = outcome.reasons[0] if outcome.reasons else None
            await session.execute(
                update(listings)
                .where(listings.c.id == row.id)
                .values(
                    zj_status=outcome.outcome.value,
                    zj_code=None if reason is None else reason.code,
                    zj_message=None if reason is None else reason.message,
                    zj_synced_at=now,
                    zj_synced_version=row.updated_at,
                )
            )
        first_pending = (await session.execute(select(*ORDER).where(pending).order_by(*ORDER).limit(1))).first()
        if first_pending is None:  # all done: just past the newest row
            newest = (await session.execute(select(*ORDER).order_by(*(c.desc() for c in ORDER)).limit(1))).one()
            mark = (newest.updated_at, newest.id + 1)
        else:
            mark = (first_pending.updated_at, first_pending.id)
        upsert = insert(watermarks).values(adapter=self.name, updated_at=mark[0], id=mark[1])
        await session.execute(
            upsert.on_conflict_do_update(index_elements=["adapter"], set_={"updated_at": mark[0], "id": mark[1]})
        )

    def map(self, record: SourceRecord) -> dict[str, Any]:
        return to_abnormal_listing(record.fields)


@asynccontextmanager
async def open_exchange(url: str, clock: Clock) -> AsyncIterator[ExchangeAdapter]:
    """The exchange adapter on its own connection pool for one run."""
    database = Database.from_url(url, [SCHEMA])
    try:
        yield ExchangeAdapter(database, clock)
    finally:
        await database.dispose()

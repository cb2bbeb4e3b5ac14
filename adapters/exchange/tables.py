"""The exchange tables as the legacy party and we share them (PostgreSQL schema ``exchange`` of their database).

The legacy party writes the decision columns and ``updated_at``; we write back the ``zj_*`` columns. A row is
pending while ``zj_synced_version`` differs from its ``updated_at`` (new, or changed since we took it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from sqlalchemy import BigInteger, Column, Index, MetaData, String, Table, Text, insert, or_, text
from sqlalchemy.ext.asyncio import AsyncEngine

from kernel.db import Database
from kernel.timestamps import UtcDateTime

SCHEMA = "exchange"
metadata = MetaData(schema=SCHEMA)

listings = Table(
    "abnormal_listing_out",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("tyshxydm", String(18), comment="统一社会信用代码"),
    Column("lrlx", String(4), comment="列入类型: 01 年报, 02 即时信息, 03 弄虚作假, 04 住所无法联系"),
    Column("lrrq", String(20), comment="列入日期"),
    Column("zcjg", String(9), comment="作出决定机关 (district code)"),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("zj_status", String(12), comment="written back: APPLIED, DUPLICATE or REJECTED"),
    Column("zj_code", String(60)),
    Column("zj_message", Text),
    Column("zj_synced_at", UtcDateTime),
    Column("zj_synced_version", UtcDateTime, comment="the updated_at we took; differs: pending"),
    Index("ix_abnormal_listing_out_watermark", "updated_at", "id"),
)

watermarks = Table(
    "zj_watermark",
    metadata,
    Column("adapter", String(40), primary_key=True),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("id", BigInteger, nullable=False),
    comment="Every row ordered before (updated_at, id) is done.",
)

LEGACY_FIELDS = ("tyshxydm", "lrlx", "lrrq", "zcjg")

pending = or_(listings.c.zj_synced_version.is_(None), listings.c.zj_synced_version != listings.c.updated_at)

Index("ix_abnormal_listing_out_pending", listings.c.updated_at, listings.c.id, postgresql_where=pending)
"""The pending rows in order: claiming, and finding the first row still pending, never walk the rows done."""


async def create_tables(engine: AsyncEngine) -> None:
    """The exchange schema (the legacy party's DBA does this in production; tests and the demo do it here)."""
    async with engine.begin() as connection:
        await connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{SCHEMA}"'))
        await connection.run_sync(metadata.create_all)


async def publish(database: Database, rows: Sequence[Mapping[str, str]], at: dt.datetime) -> None:
    """The legacy party's side: new decisions into the exchange table."""
    async with database.transaction() as session:
        await session.execute(insert(listings), [{**row, "updated_at": at} for row in rows])

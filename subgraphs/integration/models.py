"""Tables of the integration subgraph (PostgreSQL schema ``integration``): the adapters' bookkeeping. No row
belongs to a jurisdiction (the operators' view is city-wide)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, BigInteger, Float, Index, Integer, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from kernel.timestamps import UtcDateTime
from subgraphs.common.jurisdiction import Unscoped

SCHEMA = "integration"
Id = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    metadata = MetaData(schema=SCHEMA)


class AdapterStateRow(Base, Unscoped):
    """Where an adapter stands with its source: its checkpoint, when it last caught up, its circuit."""

    __tablename__ = "adapter_state"

    adapter: Mapped[str] = mapped_column(String(40), primary_key=True)
    checkpoint: Mapped[str | None] = mapped_column(String(200))
    """The source position applied so far (a change number, a cursor); the next sync reads after it."""
    caught_up_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    """When a sync last found nothing more at the source: lag is measured from here."""
    circuit: Mapped[str] = mapped_column(String(10), default="CLOSED")
    circuit_failures: Mapped[int] = mapped_column(Integer, default=0)
    circuit_opened_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class AdapterRunRow(Base, Unscoped):
    """One sync of one adapter: counts as they grow, then its outcome."""

    __tablename__ = "adapter_run"

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    adapter: Mapped[str] = mapped_column(String(40))
    trigger: Mapped[str] = mapped_column(String(20))
    started_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(12))
    read: Mapped[int] = mapped_column(Integer, default=0)
    applied: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    duplicate: Mapped[int] = mapped_column(Integer, default=0)
    lag_seconds: Mapped[float | None] = mapped_column(Float)
    error: Mapped[str | None] = mapped_column(Text)
    checkpoint_before: Mapped[str | None] = mapped_column(String(200))
    checkpoint_after: Mapped[str | None] = mapped_column(String(200))

    __table_args__ = (Index("ix_adapter_run_adapter", "adapter", "id"),)


class RejectionRow(Base, Unscoped):
    """A source record an adapter could not apply, kept as received with the reason per field until it is
    corrected and re-submitted, applied, or discarded."""

    __tablename__ = "adapter_rejection"

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    adapter: Mapped[str] = mapped_column(String(40))
    source: Mapped[str] = mapped_column(String(300))
    """What it came in: a file name, a change range, an exchange table; rejection reports are per source."""
    source_ref: Mapped[str] = mapped_column(String(200))
    """Where in the source: ``row 17``, ``change 1003``, ``id 42``."""
    record: Mapped[dict[str, Any]] = mapped_column(JSON)
    """The record as received (field name → text), in the sender's field order."""
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    """``[{"field", "code", "message"}]``; field None where the record as a whole was refused."""
    state: Mapped[str] = mapped_column(String(12))
    encoding: Mapped[str | None] = mapped_column(String(20))
    """The sender's text encoding (file drops), for the rejection report."""
    run_id: Mapped[int | None] = mapped_column(Id)
    received_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    resolved_by: Mapped[str | None] = mapped_column(String(200))

    __table_args__ = (
        Index("ix_adapter_rejection_state", "adapter", "state", "id"),
        Index("ix_adapter_rejection_source", "adapter", "source", "id"),
    )

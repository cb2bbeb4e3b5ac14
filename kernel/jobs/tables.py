"""Tables of the job layer (PostgreSQL schema ``jobs``; on SQLite the schema is translated away, hence the
``job_`` prefix). Core tables, not ORM models: producers write them through whatever session they hold."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    text,
)

from kernel.timestamps import UtcDateTime

SCHEMA = "jobs"
metadata = MetaData(schema=SCHEMA)
Id = BigInteger().with_variant(Integer(), "sqlite")

events = Table(
    "job_event",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("event_type", String(100), nullable=False),
    Column("aggregate", String(200), nullable=False, comment="Events of one aggregate are delivered in id order."),
    Column("payload", JSON, nullable=False),
    Column("occurred_at", UtcDateTime, nullable=False),
    Column("available_at", UtcDateTime, nullable=False, comment="Not delivered before (retry backoff)."),
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    Column("claimed_by", String(100)),
    Column("claimed_until", UtcDateTime, comment="A drainer's lease; after it lapses another drainer may claim."),
    Column("last_error", Text),
    Column("settled_at", UtcDateTime, comment="Delivered to every consumer, or dead-lettered; NULL: pending."),
    Index("ix_job_event_pending", "aggregate", "id", postgresql_where=text("settled_at IS NULL")),
    Index("ix_job_event_ready", "available_at", "id", postgresql_where=text("settled_at IS NULL")),
)
"""The transactional outbox: one row per cross-domain event, written in the producer's transaction."""

receipts = Table(
    "job_receipt",
    metadata,
    Column("owner", String(100), nullable=False, comment="The consumer or job that applied the effect."),
    Column("key", String(200), nullable=False, comment="What was applied (an event id, a job's ids)."),
    Column("at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("owner", "key", name="pk_job_receipt"),
)
"""Dedup rows: one per effect applied, written in the effect's own transaction."""

dead_letters = Table(
    "job_dead_letter",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("job", String(100), nullable=False),
    Column("job_id", String(200), nullable=False),
    Column("ids", JSON, nullable=False, comment="The job's ids (names to strings): enough to run it again."),
    Column("queue", String(20), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("error_code", String(60), nullable=False),
    Column("error", Text, nullable=False, comment="What went wrong, without personal data."),
    Column("failed_at", UtcDateTime, nullable=False),
    Column("state", String(12), nullable=False, comment="OPEN, REPLAYED or DISCARDED."),
    Column("settled_at", UtcDateTime),
    Column("settled_by", String(100)),
    Index("ix_job_dead_letter_state", "state", "id"),
)
"""Jobs (and event deliveries) that failed for good: kept with their error until replayed or discarded."""

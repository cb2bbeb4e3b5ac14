"""The job layer: outbox events, receipts and dead letters.

Revision ID: 0001_jobs
Revises:
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001_jobs"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "jobs"
Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "job_event",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("event_type", sa.String(100), nullable=False),
        sa.Column("aggregate", sa.String(200), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("available_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("claimed_by", sa.String(100)),
        sa.Column("claimed_until", sa.DateTime(timezone=True)),
        sa.Column("last_error", sa.Text()),
        sa.Column("settled_at", sa.DateTime(timezone=True)),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_job_event_pending",
        "job_event",
        ["aggregate", "id"],
        schema=SCHEMA,
        postgresql_where=sa.text("settled_at IS NULL"),
    )
    op.create_index(
        "ix_job_event_ready",
        "job_event",
        ["available_at", "id"],
        schema=SCHEMA,
        postgresql_where=sa.text("settled_at IS NULL"),
    )
    op.create_table(
        "job_receipt",
        sa.Column("owner", sa.String(100), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("owner", "key", name="pk_job_receipt"),
        schema=SCHEMA,
    )
    op.create_table(
        "job_dead_letter",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("job", sa.String(100), nullable=False),
        sa.Column("job_id", sa.String(200), nullable=False),
        sa.Column("ids", sa.JSON(), nullable=False),
        sa.Column("queue", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error_code", sa.String(60), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("settled_at", sa.DateTime(timezone=True)),
        sa.Column("settled_by", sa.String(100)),
        schema=SCHEMA,
    )
    op.create_index("ix_job_dead_letter_state", "job_dead_letter", ["state", "id"], schema=SCHEMA)


def downgrade() -> None:
    op.drop_table("job_dead_letter", schema=SCHEMA)
    op.drop_table("job_receipt", schema=SCHEMA)
    op.drop_table("job_event", schema=SCHEMA)

"""Adapter state, runs and quarantined records.

Revision ID: 0001
Revises:
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

SCHEMA = "integration"
Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Stamp = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "adapter_state",
        sa.Column("adapter", sa.String(40), primary_key=True),
        sa.Column("checkpoint", sa.String(200)),
        sa.Column("caught_up_at", Stamp),
        sa.Column("circuit", sa.String(10), nullable=False),
        sa.Column("circuit_failures", sa.Integer(), nullable=False),
        sa.Column("circuit_opened_at", Stamp),
        sa.Column("updated_at", Stamp, nullable=False),
        schema=SCHEMA,
    )
    op.create_table(
        "adapter_run",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("adapter", sa.String(40), nullable=False),
        sa.Column("trigger", sa.String(20), nullable=False),
        sa.Column("started_at", Stamp, nullable=False),
        sa.Column("finished_at", Stamp),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("read", sa.Integer(), nullable=False),
        sa.Column("applied", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.Column("duplicate", sa.Integer(), nullable=False),
        sa.Column("lag_seconds", sa.Float()),
        sa.Column("error", sa.Text()),
        sa.Column("checkpoint_before", sa.String(200)),
        sa.Column("checkpoint_after", sa.String(200)),
        schema=SCHEMA,
    )
    op.create_index("ix_adapter_run_adapter", "adapter_run", ["adapter", "id"], schema=SCHEMA)
    op.create_table(
        "adapter_rejection",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("adapter", sa.String(40), nullable=False),
        sa.Column("source", sa.String(300), nullable=False),
        sa.Column("source_ref", sa.String(200), nullable=False),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("encoding", sa.String(20)),
        sa.Column("run_id", Id),
        sa.Column("received_at", Stamp, nullable=False),
        sa.Column("resolved_at", Stamp),
        sa.Column("resolved_by", sa.String(200)),
        schema=SCHEMA,
    )
    op.create_index("ix_adapter_rejection_state", "adapter_rejection", ["adapter", "state", "id"], schema=SCHEMA)
    op.create_index("ix_adapter_rejection_source", "adapter_rejection", ["adapter", "source", "id"], schema=SCHEMA)


def downgrade() -> None:
    op.drop_table("adapter_rejection", schema=SCHEMA)
    op.drop_table("adapter_run", schema=SCHEMA)
    op.drop_table("adapter_state", schema=SCHEMA)

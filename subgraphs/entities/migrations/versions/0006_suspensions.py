"""Suspensions (歇业) as filings with their own history: filed before they start, at most 3 years in total, ended by
the filed end date or a recorded resumption (市场主体登记管理条例 Art. 30; 实施细则 Art. 40–42).

A suspension running when this migration runs is recorded as filed on its start, ending on its filed last day.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

SCHEMA = "entities"
Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _table(name: str) -> str:
    """Raw SQL bypasses the schema translation on SQLite, so name no schema there."""
    return name if op.get_bind().dialect.name == "sqlite" else f"{SCHEMA}.{name}"


def upgrade() -> None:
    op.create_table(
        "entity_suspension",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column(
            "uscc", sa.String(18), sa.ForeignKey(f"{SCHEMA}.market_entity.uscc", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("filed_on", sa.Date(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("until", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date()),
        sa.Column("end_reason", sa.String(20)),
        sa.CheckConstraint("starts_on >= filed_on AND until >= starts_on", name="ck_entity_suspension_period"),
        schema=SCHEMA,
    )
    op.create_index("ix_entity_suspension_uscc", "entity_suspension", ["uscc", "starts_on"], schema=SCHEMA)
    # The start of a running suspension was never stored: its filed last day is the one fact kept.
    op.execute(
        f"INSERT INTO {_table('entity_suspension')} (uscc, filed_on, starts_on, until) "
        f"SELECT uscc, suspended_until, suspended_until, suspended_until FROM {_table('market_entity')} "
        "WHERE status = 'SUSPENDED'"
    )


def downgrade() -> None:
    op.drop_index("ix_entity_suspension_uscc", "entity_suspension", schema=SCHEMA)
    op.drop_table("entity_suspension", schema=SCHEMA)

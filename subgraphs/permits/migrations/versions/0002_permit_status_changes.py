"""Permits subgraph: permit status log; production site-check deadline; one open application per permit.

Revision ID: permits_0002
Revises: permits_0001
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "permits_0002"
down_revision: str | None = "permits_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "permits"


OPEN_APPLICATION = "permit_id IS NOT NULL AND state NOT IN ('REJECTED', 'CERT_ISSUED')"


def _altered_schema() -> str | None:
    """ALTER TABLE on SQLite bypasses the schema translation, so name no schema there."""
    return None if op.get_bind().dialect.name == "sqlite" else SCHEMA


def upgrade() -> None:
    column = sa.Column("site_check_due_on", sa.Date(), nullable=True)
    op.add_column("permit_application", column, schema=_altered_schema())
    op.create_index(
        "uq_permit_application_open_per_permit",
        "permit_application",
        ["permit_id"],
        unique=True,
        schema=SCHEMA,
        postgresql_where=sa.text(OPEN_APPLICATION),
        sqlite_where=sa.text(OPEN_APPLICATION),
    )
    op.create_table(
        "permit_status_change",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("permit_id", sa.String(36), nullable=False),
        sa.Column("from_status", sa.String(16), nullable=False),
        sa.Column("to_status", sa.String(16), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["permit_id"], [f"{SCHEMA}.permit.id"], name="fk_permit_status_change_permit_id_permit"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_permit_status_change"),
        schema=SCHEMA,
    )
    op.create_index("ix_permit_status_change_permit_id", "permit_status_change", ["permit_id"], schema=SCHEMA)


def downgrade() -> None:
    op.drop_table("permit_status_change", schema=SCHEMA)
    op.drop_index("uq_permit_application_open_per_permit", "permit_application", schema=SCHEMA)
    op.drop_column("permit_application", "site_check_due_on", schema=_altered_schema())

"""Audit of unmasked personal-data reads (who, when, which entity, which fields).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

SCHEMA = "entities"
Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "personal_data_read",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("client_id", sa.String(200)),
        sa.Column("org_path", sa.String(128)),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("uscc", sa.String(18), nullable=False),
        sa.Column("fields", sa.String(200), nullable=False),
        schema=SCHEMA,
    )
    op.create_index("ix_personal_data_read_uscc", "personal_data_read", ["uscc", "read_at"], schema=SCHEMA)


def downgrade() -> None:
    op.drop_table("personal_data_read", schema=SCHEMA)

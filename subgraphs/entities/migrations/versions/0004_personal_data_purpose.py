"""The purpose and the caller's roles of each unmasked personal-data read (pii by role and purpose, not by client).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

SCHEMA = "entities"


def _altered_schema() -> str | None:
    """ALTER TABLE on SQLite bypasses the schema translation, so name no schema there."""
    return None if op.get_bind().dialect.name == "sqlite" else SCHEMA


def upgrade() -> None:
    op.add_column("personal_data_read", sa.Column("purpose", sa.String(32)), schema=_altered_schema())
    op.add_column("personal_data_read", sa.Column("roles", sa.String(200)), schema=_altered_schema())


def downgrade() -> None:
    op.drop_column("personal_data_read", "roles", schema=_altered_schema())
    op.drop_column("personal_data_read", "purpose", schema=_altered_schema())

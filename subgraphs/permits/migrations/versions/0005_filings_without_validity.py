"""Permits subgraph: a filing (备案) has no validity period, so ``permit.valid_to`` may be empty.

Existing rows keep their dates; the daily expiry job passes over rows without one.

Revision ID: permits_0005
Revises: permits_0004
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "permits_0005"
down_revision: str | None = "permits_0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "permits"


def _schema() -> str | None:
    """SQLite recreates the table in batch mode and names no schema there."""
    return None if op.get_bind().dialect.name == "sqlite" else SCHEMA


def upgrade() -> None:
    with op.batch_alter_table("permit", schema=_schema()) as batch:
        batch.alter_column("valid_to", existing_type=sa.Date(), nullable=True)


def downgrade() -> None:
    with op.batch_alter_table("permit", schema=_schema()) as batch:
        batch.alter_column("valid_to", existing_type=sa.Date(), nullable=False)

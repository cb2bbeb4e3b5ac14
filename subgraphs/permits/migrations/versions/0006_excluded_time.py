"""Permits subgraph: time excluded from an application's decision period (行政许可法 Art. 45).

Revision ID: permits_0006
Revises: permits_0005
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "permits_0006"
down_revision: str | None = "permits_0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "permits"


def _altered_schema() -> str | None:
    """ALTER TABLE on SQLite bypasses the schema translation, so name no schema there."""
    return None if op.get_bind().dialect.name == "sqlite" else SCHEMA


def upgrade() -> None:
    op.add_column("permit_application", sa.Column("excluded_time", sa.JSON(), nullable=True), schema=_altered_schema())


def downgrade() -> None:
    op.drop_column("permit_application", "excluded_time", schema=_altered_schema())

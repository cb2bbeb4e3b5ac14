"""Permits subgraph: a change application's date of change, its 10-working-day deadline and whether it came late.

Revision ID: permits_0007
Revises: permits_0006
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "permits_0007"
down_revision: str | None = "permits_0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "permits"
COLUMNS = (("changed_on", sa.Date()), ("change_due_on", sa.Date()), ("change_timing", sa.String(16)))


def _altered_schema() -> str | None:
    """ALTER TABLE on SQLite bypasses the schema translation, so name no schema there."""
    return None if op.get_bind().dialect.name == "sqlite" else SCHEMA


def upgrade() -> None:
    for name, type_ in COLUMNS:
        op.add_column("permit_application", sa.Column(name, type_, nullable=True), schema=_altered_schema())


def downgrade() -> None:
    for name, _ in reversed(COLUMNS):
        op.drop_column("permit_application", name, schema=_altered_schema())

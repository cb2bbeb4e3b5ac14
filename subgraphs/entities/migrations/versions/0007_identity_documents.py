"""Legal representatives with other identity documents than the resident ID (实施细则 Art. 24): the document's type,
and numbers of up to 20 characters (passports). Existing rows showed a resident ID.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

SCHEMA = "entities"


def _altered_schema() -> str | None:
    """ALTER TABLE on SQLite bypasses the schema translation, so name no schema there."""
    return None if op.get_bind().dialect.name == "sqlite" else SCHEMA


def _widen(table: str, column: str, length: int) -> None:
    """SQLite keeps no string lengths; PostgreSQL widens in place."""
    if op.get_bind().dialect.name != "sqlite":
        op.alter_column(table, column, type_=sa.String(length), existing_nullable=False, schema=SCHEMA)


def upgrade() -> None:
    op.add_column(
        "market_entity",
        sa.Column("legal_rep_id_type", sa.String(30), nullable=False, server_default="RESIDENT_ID"),
        schema=_altered_schema(),
    )
    _widen("market_entity", "legal_rep_id_number", 20)
    _widen("person_restriction", "person_id_number", 20)


def downgrade() -> None:
    _widen("person_restriction", "person_id_number", 18)
    _widen("market_entity", "legal_rep_id_number", 18)
    op.drop_column("market_entity", "legal_rep_id_type", schema=_altered_schema())

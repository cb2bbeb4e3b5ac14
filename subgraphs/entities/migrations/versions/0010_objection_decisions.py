"""The bureau's decision on a party's objection to an abnormal listing (企业经营异常名录管理暂行办法 2014 Art. 16):
the day it was decided, upheld or not, and why.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

SCHEMA = "entities"


def _altered_schema() -> str | None:
    """ALTER TABLE on SQLite bypasses the schema translation, so name no schema there."""
    return None if op.get_bind().dialect.name == "sqlite" else SCHEMA


def upgrade() -> None:
    schema = _altered_schema()
    op.add_column("credit_listing", sa.Column("objection_decided_on", sa.Date()), schema=schema)
    op.add_column("credit_listing", sa.Column("objection_upheld", sa.Boolean()), schema=schema)
    op.add_column("credit_listing", sa.Column("objection_reason", sa.Text()), schema=schema)


def downgrade() -> None:
    schema = _altered_schema()
    for column in ("objection_reason", "objection_upheld", "objection_decided_on"):
        op.drop_column("credit_listing", column, schema=schema)

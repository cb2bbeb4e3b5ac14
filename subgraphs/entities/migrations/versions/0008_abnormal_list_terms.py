"""Abnormal-list time limits and objections (企业经营异常名录管理暂行办法 2014 Art. 11–16; the notice before a serious
listing): the day the ground was established, the party cured it, objected, and was told of its coming serious
listing.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

SCHEMA = "entities"
COLUMNS = ("triggered_on", "cured_on", "objection_filed_on", "escalation_notice_on")


def _altered_schema() -> str | None:
    """ALTER TABLE on SQLite bypasses the schema translation, so name no schema there."""
    return None if op.get_bind().dialect.name == "sqlite" else SCHEMA


def upgrade() -> None:
    for column in COLUMNS:
        op.add_column("credit_listing", sa.Column(column, sa.Date()), schema=_altered_schema())


def downgrade() -> None:
    for column in reversed(COLUMNS):
        op.drop_column("credit_listing", column, schema=_altered_schema())

"""Individual businesses (个体工商户) are marked 经营异常状态, not put on the enterprises' 经营异常名录.

Existing abnormal-list entries of individual businesses become ABNORMAL_STATUS marks (个体工商户年度报告暂行办法
Art. 13–14), so the 3-year escalation to the serious list (企业信息公示暂行条例 Art. 17) never reaches them.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

SCHEMA = "entities"


def _table(name: str) -> str:
    """Raw SQL bypasses the schema translation on SQLite, so name no schema there."""
    return name if op.get_bind().dialect.name == "sqlite" else f"{SCHEMA}.{name}"


def _retype(source: str, target: str) -> None:
    op.execute(
        sa.text(
            f"UPDATE {_table('credit_listing')} SET list_type = :target WHERE list_type = :source AND uscc IN "
            f"(SELECT uscc FROM {_table('market_entity')} WHERE entity_type = 'INDIVIDUAL_BUSINESS')"
        ).bindparams(source=source, target=target)
    )


def upgrade() -> None:
    _retype("ABNORMAL", "ABNORMAL_STATUS")


def downgrade() -> None:
    _retype("ABNORMAL_STATUS", "ABNORMAL")

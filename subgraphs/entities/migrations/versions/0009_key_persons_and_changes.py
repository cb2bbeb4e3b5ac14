"""Key persons beyond the legal representative (市场主体登记管理条例 Art. 9 (4), (7)) and the registry changes filed
with the day of the change they follow (Art. 24: within 30 days).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

SCHEMA = "entities"
Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _uscc() -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(
        "uscc", sa.String(18), sa.ForeignKey(f"{SCHEMA}.market_entity.uscc", ondelete="CASCADE"), nullable=False
    )


def upgrade() -> None:
    op.create_table(
        "key_person",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        _uscc(),
        sa.Column("role", sa.String(30), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("id_type", sa.String(30), nullable=False),
        sa.Column("id_number", sa.String(20), nullable=False),
        schema=SCHEMA,
    )
    op.create_index("ix_key_person_uscc", "key_person", ["uscc"], schema=SCHEMA)
    op.create_index("ix_key_person_id_number", "key_person", ["id_number"], schema=SCHEMA)
    op.create_table(
        "registry_change",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        _uscc(),
        sa.Column("ref", sa.String(100), nullable=False),
        sa.Column("changed_on", sa.Date(), nullable=False),
        sa.Column("filed_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("filed_late", sa.Boolean(), nullable=False),
        sa.Column("rule", sa.String(100), nullable=False),
        sa.CheckConstraint("changed_on <= filed_on", name="ck_registry_change_order"),
        schema=SCHEMA,
    )
    op.create_index("ix_registry_change_uscc", "registry_change", ["uscc", "filed_on"], schema=SCHEMA)


def downgrade() -> None:
    op.drop_index("ix_registry_change_uscc", "registry_change", schema=SCHEMA)
    op.drop_table("registry_change", schema=SCHEMA)
    op.drop_index("ix_key_person_id_number", "key_person", schema=SCHEMA)
    op.drop_index("ix_key_person_uscc", "key_person", schema=SCHEMA)
    op.drop_table("key_person", schema=SCHEMA)

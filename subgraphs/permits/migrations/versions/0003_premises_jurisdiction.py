"""Permits subgraph: the supervising district and station of each permit's and application's premises.

Filled for existing rows from the premises address (its 街道) and region code, as new writes derive them.

Revision ID: permits_0003
Revises: permits_0002
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from subgraphs.common.jurisdiction import default_org_tree

revision: str = "permits_0003"
down_revision: str | None = "permits_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "permits"
TABLES = (("permit", "number"), ("permit_application", "id"))


def _altered_schema() -> str | None:
    """ALTER TABLE on SQLite bypasses the schema translation, so name no schema there."""
    return None if op.get_bind().dialect.name == "sqlite" else SCHEMA


def _backfill(table_name: str) -> None:
    """One UPDATE per distinct (address, region): few statements even for many rows."""
    table = sa.table(
        table_name,
        sa.column("premises_address"),
        sa.column("premises_region"),
        sa.column("district_code"),
        sa.column("station_code"),
        schema=_altered_schema(),
    )
    tree = default_org_tree()
    bind = op.get_bind()
    places = bind.execute(sa.select(table.c.premises_address, table.c.premises_region).distinct()).all()
    for address, region in places:
        district, station = tree.codes_of(tree.premises_unit(address, region))
        if district is None:
            continue
        bind.execute(
            table.update()
            .where(table.c.premises_address == address, table.c.premises_region == region)
            .values(district_code=district, station_code=station)
        )


def upgrade() -> None:
    for table_name, key in TABLES:
        op.add_column(table_name, sa.Column("district_code", sa.String(9), nullable=True), schema=_altered_schema())
        op.add_column(table_name, sa.Column("station_code", sa.String(9), nullable=True), schema=_altered_schema())
        _backfill(table_name)
        op.create_index(f"ix_{table_name}_district", table_name, ["district_code", key], schema=SCHEMA)
        op.create_index(f"ix_{table_name}_station", table_name, ["station_code", key], schema=SCHEMA)


def downgrade() -> None:
    for table_name, _ in TABLES:
        op.drop_index(f"ix_{table_name}_station", table_name, schema=SCHEMA)
        op.drop_index(f"ix_{table_name}_district", table_name, schema=SCHEMA)
        op.drop_column(table_name, "station_code", schema=_altered_schema())
        op.drop_column(table_name, "district_code", schema=_altered_schema())

"""Permits subgraph: premises in 海丰县 (441521) outside 深汕特别合作区's four towns are no Shenzhen bureau's.

0003 placed every row of region 441521 with the 深汕 bureau (org tree shenzhen-2019.1 took the whole county). The
area is four towns of the county (org tree shenzhen-2019.2, towns copied below, 国家统计局 2023年统计用区划代码 [S]):
rows whose address names none of them, nor the area itself, lose their district. A migration never reads live
reference data, so it means the same whenever it runs.

Revision ID: permits_0004
Revises: permits_0003
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "permits_0004"
down_revision: str | None = "permits_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "permits"
TABLES = ("permit", "permit_application")
COUNTY = "441521"
DISTRICT = "SSTHQ"
NAMES = ("深汕特别合作区", "小漠镇", "鹅埠镇", "赤石镇", "鲘门镇", "鮜门镇")
"""The area and its towns (441521102–105) as addresses write them, org tree shenzhen-2019.2."""


def _schema() -> str | None:
    return None if op.get_bind().dialect.name == "sqlite" else SCHEMA


def _table(name: str) -> sa.TableClause:
    return sa.table(
        name,
        sa.column("premises_address"),
        sa.column("premises_region"),
        sa.column("district_code"),
        sa.column("station_code"),
        schema=_schema(),
    )


def upgrade() -> None:
    for name in TABLES:
        table = _table(name)
        outside = sa.and_(*(table.c.premises_address.notlike(f"%{town}%") for town in NAMES))
        op.get_bind().execute(
            table.update()
            .where(table.c.premises_region == COUNTY, table.c.district_code == DISTRICT, outside)
            .values(district_code=None, station_code=None)
        )


def downgrade() -> None:
    for name in TABLES:
        table = _table(name)
        op.get_bind().execute(
            table.update()
            .where(table.c.premises_region == COUNTY, table.c.district_code.is_(None))
            .values(district_code=DISTRICT, station_code=None)
        )

"""Permits subgraph: the supervising district and station of each permit's and application's premises.

Filled for existing rows from the premises address (its 街道) and region code, with the org tree as it stood
when this migration was written (version shenzhen-2019.1, copied below): a migration never reads live reference data,
so it means the same whenever it runs.

Revision ID: permits_0003
Revises: permits_0002
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "permits_0003"
down_revision: str | None = "permits_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "permits"
TABLES = (("permit", "number"), ("permit_application", "id"))

STATIONS: dict[str, tuple[str, str]] = {
    "桂园街道": ("440303", "440303001"),
    "黄贝街道": ("440303", "440303002"),
    "东门街道": ("440303", "440303003"),
    "翠竹街道": ("440303", "440303004"),
    "东晓街道": ("440303", "440303005"),
    "南湖街道": ("440303", "440303006"),
    "笋岗街道": ("440303", "440303007"),
    "东湖街道": ("440303", "440303008"),
    "莲塘街道": ("440303", "440303009"),
    "清水河街道": ("440303", "440303010"),
    "南园街道": ("440304", "440304001"),
    "园岭街道": ("440304", "440304002"),
    "福田街道": ("440304", "440304003"),
    "沙头街道": ("440304", "440304004"),
    "香蜜湖街道": ("440304", "440304005"),
    "梅林街道": ("440304", "440304006"),
    "莲花街道": ("440304", "440304007"),
    "华富街道": ("440304", "440304008"),
    "华强北街道": ("440304", "440304009"),
    "福保街道": ("440304", "440304010"),
    "南头街道": ("440305", "440305001"),
    "南山街道": ("440305", "440305002"),
    "沙河街道": ("440305", "440305003"),
    "蛇口街道": ("440305", "440305004"),
    "招商街道": ("440305", "440305005"),
    "粤海街道": ("440305", "440305006"),
    "桃源街道": ("440305", "440305007"),
    "西丽街道": ("440305", "440305008"),
    "新安街道": ("440306", "440306001"),
    "西乡街道": ("440306", "440306002"),
    "福永街道": ("440306", "440306003"),
    "沙井街道": ("440306", "440306004"),
    "松岗街道": ("440306", "440306005"),
    "石岩街道": ("440306", "440306006"),
    "航城街道": ("440306", "440306007"),
    "福海街道": ("440306", "440306008"),
    "新桥街道": ("440306", "440306009"),
    "燕罗街道": ("440306", "440306010"),
    "平湖街道": ("440307", "440307001"),
    "坂田街道": ("440307", "440307002"),
    "布吉街道": ("440307", "440307003"),
    "南湾街道": ("440307", "440307004"),
    "横岗街道": ("440307", "440307005"),
    "龙城街道": ("440307", "440307006"),
    "龙岗街道": ("440307", "440307007"),
    "坪地街道": ("440307", "440307008"),
    "吉华街道": ("440307", "440307009"),
    "宝龙街道": ("440307", "440307010"),
    "园山街道": ("440307", "440307011"),
    "梅沙街道": ("440308", "440308001"),
    "盐田街道": ("440308", "440308002"),
    "沙头角街道": ("440308", "440308003"),
    "海山街道": ("440308", "440308004"),
    "观湖街道": ("440309", "440309001"),
    "民治街道": ("440309", "440309002"),
    "龙华街道": ("440309", "440309003"),
    "大浪街道": ("440309", "440309004"),
    "福城街道": ("440309", "440309005"),
    "观澜街道": ("440309", "440309006"),
    "坪山街道": ("440310", "440310001"),
    "马峦街道": ("440310", "440310002"),
    "碧岭街道": ("440310", "440310003"),
    "石井街道": ("440310", "440310004"),
    "坑梓街道": ("440310", "440310005"),
    "龙田街道": ("440310", "440310006"),
    "光明街道": ("440311", "440311001"),
    "公明街道": ("440311", "440311002"),
    "新湖街道": ("440311", "440311003"),
    "凤凰街道": ("440311", "440311004"),
    "玉塘街道": ("440311", "440311005"),
    "马田街道": ("440311", "440311006"),
    "葵涌街道": ("DPXQ", "440307012"),
    "大鹏街道": ("DPXQ", "440307013"),
    "南澳街道": ("DPXQ", "440307014"),
}
"""Each station's 街道 as addresses name it → (district code, station code), org tree shenzhen-2019.1."""
DISTRICTS = frozenset({"440303", "440304", "440305", "440306", "440307", "440308", "440309", "440310", "440311"})
"""District bureaus whose own code is their GB/T 2260 region code (大鹏 and 深汕 have letter codes)."""
REGION_DISTRICT = {"441521": "SSTHQ"}
"""Other region codes that name exactly one district bureau."""


def _place(address: str, region: str) -> tuple[str | None, str | None]:
    """The supervising (district, station) of premises, as the org tree shenzhen-2019.1 placed them."""
    named = [place for area, place in STATIONS.items() if area in address]
    if len(named) == 1:
        return named[0]
    if region in DISTRICTS:
        return region, None
    return REGION_DISTRICT.get(region), None


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
    bind = op.get_bind()
    places = bind.execute(sa.select(table.c.premises_address, table.c.premises_region).distinct()).all()
    for address, region in places:
        district, station = _place(address, region)
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

"""The permits history upgrades step by step: a database at 0001 (as first shipped) reaches head."""

from __future__ import annotations

from sqlalchemy import inspect, text

from kernel.db import Database
from kernel.migrations import upgrade
from subgraphs.permits.component import component


async def test_a_database_at_0001_upgrades_to_head(database_url: str) -> None:
    database = Database.from_url(database_url, [component.name])
    try:
        await upgrade(database, [component.migrations], "permits_0001")
        await upgrade(database, [component.migrations])
        async with database.engine.connect() as connection:

            def shape(sync: object) -> tuple[set[str], set[str], set[str]]:
                inspector = inspect(sync)
                schema = None if database.is_sqlite else "permits"
                tables = set(inspector.get_table_names(schema=schema))
                columns = {column["name"] for column in inspector.get_columns("permit_application", schema=schema)}
                indexes = {index["name"] or "" for index in inspector.get_indexes("permit_application", schema=schema)}
                return tables, columns, indexes

            tables, columns, indexes = await connection.run_sync(shape)
    finally:
        await database.dispose()
    assert {"permit", "permit_application", "permit_transition", "permit_status_change"} <= tables
    assert "site_check_due_on" in columns
    assert "uq_permit_application_open_per_permit" in indexes


async def test_0004_takes_haifeng_premises_outside_shenshan_s_four_towns_from_its_bureau(database_url: str) -> None:
    """0003 gave the 深汕 bureau all of 海丰县 (441521); 0004 keeps only the four towns' premises (DOMAIN.md §9)."""
    database = Database.from_url(database_url, [component.name])
    prefix = "" if database.is_sqlite else "permits."
    addresses = {
        "in-town": "广东省汕尾市海丰县鹅埠镇创业路1号",
        "in-area": "广东省深圳市深汕特别合作区某路2号",
        "outside": "广东省汕尾市海丰县梅陇镇梅陇大道3号",
    }
    try:
        await upgrade(database, [component.migrations], "permits_0003")
        async with database.engine.begin() as connection:
            for serial, (key, address) in enumerate(addresses.items()):
                await connection.execute(
                    text(
                        f"INSERT INTO {prefix}permit (id, kind, number, holder_uscc, holder_name, items,"
                        " premises_address, premises_region, district_code, issuing_org, valid_from, valid_to,"
                        " validity_rule, status, renewals, issued_at, updated_at) VALUES (:id, 'JY', :number,"
                        " '91440300MA5F000011', '测试', '[]', :address, '441521', 'SSTHQ', '深汕监管局',"
                        " '2024-01-01', '2028-12-31', 'r', 'VALID', 0, '2024-01-01 00:00:00', '2024-01-01 00:00:00')"
                    ),
                    {"id": key, "number": f"JY2441521{serial:06d}0", "address": address},
                )
        await upgrade(database, [component.migrations])
        async with database.engine.connect() as connection:
            rows = await connection.execute(text(f"SELECT id, district_code FROM {prefix}permit"))
            districts = {key: district for key, district in rows}
    finally:
        await database.dispose()
    assert districts == {"in-town": "SSTHQ", "in-area": "SSTHQ", "outside": None}

"""The permits history upgrades step by step: a database at 0001 (as first shipped) reaches head."""

from __future__ import annotations

from sqlalchemy import inspect

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

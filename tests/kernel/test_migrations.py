"""Alembic histories per component: the entities history on SQLite and PostgreSQL, idempotent, own version table."""

from __future__ import annotations

from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from kernel.db import Database
from kernel.migrations import MigrationHistory, upgrade

ENTITIES = MigrationHistory(schema="entities", package="subgraphs.entities")


def _layout(connection: Connection) -> tuple[set[str], set[str], set[str]]:
    inspector = inspect(connection)
    schema = None if connection.dialect.name == "sqlite" else "entities"
    tables = set(inspector.get_table_names(schema=schema))
    indexes = {index["name"] or "" for index in inspector.get_indexes("market_entity", schema=schema)}
    return tables, indexes, set(inspector.get_schema_names())


async def test_entities_history_builds_the_tables_once(database_url: str) -> None:
    database = Database.from_url(database_url, ["entities"])
    try:
        await upgrade(database, [ENTITIES])
        await upgrade(database, [ENTITIES])  # a second run has nothing to do
        async with database.engine.connect() as connection:
            tables, indexes, schemas = await connection.run_sync(_layout)
    finally:
        await database.dispose()
    assert {"market_entity", "credit_listing", "person_restriction", "registration_hold"} <= tables
    assert {"ix_market_entity_district", "ix_market_entity_station", "ix_market_entity_status"} <= indexes
    if database.is_sqlite:
        assert {"alembic_version_entities", "market_entity_name_fts"} <= tables
    else:
        assert "entities" in schemas and "alembic_version" in tables
        assert {"ix_market_entity_name_trgm", "ix_market_entity_name_bigrams"} <= indexes

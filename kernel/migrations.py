"""Alembic migrations, one history per component, each in its own PostgreSQL schema.

A component's ``migrations/env.py`` is one call to :func:`run_env`; :func:`upgrade` runs the given
histories in order (``zhijian migrate``). On SQLite the schemas are translated away (see :mod:`kernel.db`)
and each history keeps its own version table. A migration works from its own data only, never from live
reference data, so it means the same whenever it runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

from alembic import command, context
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, text
from sqlalchemy.engine import Connection

from kernel.db import Database


@dataclass(frozen=True, slots=True)
class MigrationHistory:
    """One component's Alembic history: ``<package>/migrations``, applied in PostgreSQL schema ``schema``."""

    schema: str
    package: str


def _config(history: MigrationHistory, connection: Connection) -> Config:
    """An in-memory Alembic config for one history bound to an open connection."""
    config = Config()
    config.set_main_option("script_location", str(resources.files(history.package) / "migrations"))
    config.attributes["connection"] = connection
    config.attributes["component"] = history.schema
    return config


def run_env(target_metadata: MetaData) -> None:
    """Body of every component's ``env.py``: run online against the connection we were handed."""
    config = context.config
    connection: Connection = config.attributes["connection"]
    component: str = config.attributes["component"]
    sqlite = connection.dialect.name == "sqlite"
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        version_table=f"alembic_version_{component}" if sqlite else "alembic_version",
        version_table_schema=None if sqlite else component,
        include_schemas=not sqlite,
        render_as_batch=sqlite,
    )
    with context.begin_transaction():
        context.run_migrations()


def _upgrade_sync(connection: Connection, history: MigrationHistory, schemas: Sequence[str], revision: str) -> None:
    if connection.dialect.name == "sqlite":
        connection = connection.execution_options(schema_translate_map=dict.fromkeys(schemas))
    else:
        connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{history.schema}"'))
    command.upgrade(_config(history, connection), revision)


async def upgrade(database: Database, histories: Sequence[MigrationHistory], revision: str = "head") -> None:
    """Bring each history's tables to ``revision``; each history runs in its own transaction."""
    for history in histories:
        async with database.engine.begin() as connection:
            await connection.run_sync(_upgrade_sync, history, database.schemas, revision)


def _behind_sync(connection: Connection, history: MigrationHistory, schemas: Sequence[str]) -> bool:
    if connection.dialect.name == "sqlite":
        connection = connection.execution_options(schema_translate_map=dict.fromkeys(schemas))
    config = _config(history, connection)
    heads = set(ScriptDirectory.from_config(config).get_heads())
    sqlite = connection.dialect.name == "sqlite"
    migration = MigrationContext.configure(
        connection,
        opts={
            "version_table": f"alembic_version_{history.schema}" if sqlite else "alembic_version",
            "version_table_schema": None if sqlite else history.schema,
        },
    )
    return set(migration.get_current_heads()) != heads


async def behind(database: Database, histories: Sequence[MigrationHistory]) -> tuple[str, ...]:
    """The schemas whose tables are not at their history's head (a server's readiness: migrations run first)."""
    late = []
    async with database.engine.connect() as connection:
        for history in histories:
            if await connection.run_sync(_behind_sync, history, database.schemas):
                late.append(history.schema)
    return tuple(late)

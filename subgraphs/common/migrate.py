"""Alembic migrations, one history per component, each in its own PostgreSQL schema.

A component's ``migrations/env.py`` is one call to :func:`run_env`; :func:`upgrade` runs the
histories of the named components in order (``zhijian migrate``). On SQLite the schemas are translated
away (see :mod:`subgraphs.common.db`) and each history keeps its own version table.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData, text
from sqlalchemy.engine import Connection

from subgraphs.common.db import SUBGRAPH_SCHEMAS, Database


def _config(component: str, connection: Connection) -> Config:
    """An in-memory Alembic config for ``component`` bound to an open connection."""
    package = "identity" if component == "identity" else f"subgraphs.{component}"
    config = Config()
    config.set_main_option("script_location", str(resources.files(package) / "migrations"))
    config.attributes["connection"] = connection
    config.attributes["component"] = component
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


def _upgrade_sync(connection: Connection, component: str, revision: str) -> None:
    if connection.dialect.name == "sqlite":
        connection = connection.execution_options(schema_translate_map=dict.fromkeys(SUBGRAPH_SCHEMAS))
    else:
        connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{component}"'))
    command.upgrade(_config(component, connection), revision)


async def upgrade(database: Database, components: Sequence[str], revision: str = "head") -> None:
    """Bring each component's tables to ``revision``; each history runs in its own transaction."""
    for component in components:
        async with database.engine.begin() as connection:
            await connection.run_sync(_upgrade_sync, component, revision)

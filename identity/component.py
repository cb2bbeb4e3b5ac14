"""The identity provider as a component with tables: its Alembic history in PostgreSQL schema ``identity``."""

from __future__ import annotations

from kernel.migrations import MigrationHistory

MIGRATIONS = MigrationHistory(schema="identity", package="identity")

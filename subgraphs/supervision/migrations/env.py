"""Alembic environment of the supervision subgraph: its tables live in PostgreSQL schema ``supervision``."""

from kernel.migrations import run_env
from subgraphs.supervision.models import metadata

run_env(metadata)

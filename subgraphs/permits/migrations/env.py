"""Alembic environment of the permits subgraph: its tables live in PostgreSQL schema ``permits``."""

from kernel.migrations import run_env
from subgraphs.permits.models import metadata

run_env(metadata)

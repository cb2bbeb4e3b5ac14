"""Alembic environment of the enforcement subgraph: its tables live in PostgreSQL schema ``enforcement``."""

from kernel.migrations import run_env
from subgraphs.enforcement.models import metadata

run_env(metadata)

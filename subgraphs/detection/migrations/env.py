"""Alembic environment of the detection subgraph: its tables live in PostgreSQL schema ``detection``."""

from kernel.migrations import run_env
from subgraphs.detection.models import metadata

run_env(metadata)

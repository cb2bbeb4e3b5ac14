"""Alembic environment of the job layer: the outbox, receipts and dead letters in PostgreSQL schema ``jobs``."""

from kernel.jobs.tables import metadata
from kernel.migrations import run_env

run_env(metadata)

"""Alembic environment of the entities component: one call to the shared runner."""

from kernel.migrations import run_env
from subgraphs.entities.models import Base

run_env(Base.metadata)

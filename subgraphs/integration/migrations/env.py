"""Alembic environment of the integration component: one call to the shared runner."""

from kernel.migrations import run_env
from subgraphs.integration.models import Base

run_env(Base.metadata)

"""Alembic environment of the identity provider's tables (schema ``identity``)."""

from identity.models import Base
from kernel.migrations import run_env

run_env(Base.metadata)

"""Alembic environment of the identity provider's tables (schema ``identity``)."""

from identity.models import Base
from subgraphs.common.migrate import run_env

run_env(Base.metadata)

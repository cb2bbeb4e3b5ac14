"""Identity, second round: machine clients' roles and resource servers, enterprise users (市场通) and their
entities, the population of sessions, codes and tokens, remembered consent; login counters leave the officer table
(they live in the shared throttle store now).

Revision ID: 0002_identity
Revises: 0001_identity
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_identity"
down_revision: str | None = "0001_identity"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "identity"


def _altered_schema() -> str | None:
    """ALTER TABLE on SQLite bypasses the schema translation, so name no schema there."""
    return None if op.get_bind().dialect.name == "sqlite" else SCHEMA


def upgrade() -> None:
    altered = _altered_schema()
    op.add_column(
        "identity_clients", sa.Column("roles", sa.JSON(), nullable=False, server_default="[]"), schema=altered
    )
    op.add_column(
        "identity_clients",
        sa.Column("resource_server", sa.Boolean(), nullable=False, server_default=sa.false()),
        schema=altered,
    )
    op.add_column("identity_clients", sa.Column("resource_audience", sa.String(256), nullable=True), schema=altered)
    for table in ("identity_sessions", "identity_authorization_codes", "identity_tokens"):
        op.add_column(
            table, sa.Column("population", sa.String(16), nullable=False, server_default="officer"), schema=altered
        )
    op.drop_column("identity_officers", "failed_logins", schema=altered)
    op.drop_column("identity_officers", "locked_until", schema=altered)
    op.create_table(
        "identity_enterprise_users",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("username", sa.String(64), nullable=False, unique=True),
        sa.Column("display_name", sa.String(128), nullable=False),
        sa.Column("password_hash", sa.String(256), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        schema=SCHEMA,
    )
    op.create_table(
        "identity_enterprise_bindings",
        sa.Column("user_id", sa.String(36), primary_key=True),
        sa.Column("uscc", sa.String(18), primary_key=True),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("legal_representative", sa.String(100), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("requested_at", sa.BigInteger(), nullable=False),
        sa.Column("decided_at", sa.BigInteger(), nullable=True),
        sa.Column("decided_by", sa.String(64), nullable=True),
        sa.Column("method", sa.String(16), nullable=True),
        schema=SCHEMA,
    )
    op.create_index("ix_identity_enterprise_bindings_uscc", "identity_enterprise_bindings", ["uscc"], schema=SCHEMA)
    op.create_table(
        "identity_consents",
        sa.Column("account_id", sa.String(36), primary_key=True),
        sa.Column("population", sa.String(16), primary_key=True),
        sa.Column("client_id", sa.String(64), primary_key=True),
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("granted_at", sa.BigInteger(), nullable=False),
        sa.Column("withdrawn_at", sa.BigInteger(), nullable=True),
        schema=SCHEMA,
    )


def downgrade() -> None:
    altered = _altered_schema()
    op.drop_table("identity_consents", schema=SCHEMA)
    op.drop_table("identity_enterprise_bindings", schema=SCHEMA)
    op.drop_table("identity_enterprise_users", schema=SCHEMA)
    op.add_column(
        "identity_officers",
        sa.Column("locked_until", sa.BigInteger(), nullable=False, server_default="0"),
        schema=altered,
    )
    op.add_column(
        "identity_officers",
        sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0"),
        schema=altered,
    )
    for table in ("identity_tokens", "identity_authorization_codes", "identity_sessions"):
        op.drop_column(table, "population", schema=altered)
    op.drop_column("identity_clients", "resource_audience", schema=altered)
    op.drop_column("identity_clients", "resource_server", schema=altered)
    op.drop_column("identity_clients", "roles", schema=altered)

"""Permits subgraph: permits, applications with their transitions, verification tasks, number sequences.

Revision ID: permits_0001
Revises:
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "permits_0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "permits"


def _timestamp(name: str) -> sa.Column[sa.DateTime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    op.create_table(
        "permit",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("number", sa.String(40), nullable=False),
        sa.Column("holder_uscc", sa.String(18), nullable=False),
        sa.Column("holder_name", sa.String(200), nullable=False),
        sa.Column("business_form", sa.Integer(), nullable=True),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("premises_address", sa.String(400), nullable=False),
        sa.Column("premises_region", sa.String(6), nullable=False),
        sa.Column("issuing_org", sa.String(200), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=False),
        sa.Column("validity_rule", sa.String(80), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("status_reason", sa.Text(), nullable=True),
        sa.Column("renewals", sa.Integer(), nullable=False),
        sa.Column("previous_valid_to", sa.Date(), nullable=True),
        _timestamp("issued_at"),
        _timestamp("updated_at"),
        sa.PrimaryKeyConstraint("id", name="pk_permit"),
        sa.UniqueConstraint("number", name="uq_permit_number"),
        schema=SCHEMA,
    )
    op.create_index("ix_permit_holder_uscc", "permit", ["holder_uscc"], schema=SCHEMA)
    op.create_index("ix_permit_status_valid_to", "permit", ["status", "valid_to"], schema=SCHEMA)
    op.create_table(
        "permit_number_sequence",
        sa.Column("head", sa.String(16), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("head", name="pk_permit_number_sequence"),
        schema=SCHEMA,
    )
    op.create_table(
        "permit_application",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("route", sa.String(16), nullable=False),
        sa.Column("state", sa.String(24), nullable=False),
        sa.Column("applicant_uscc", sa.String(18), nullable=False),
        sa.Column("applicant_name", sa.String(200), nullable=False),
        sa.Column("legal_representative", sa.String(100), nullable=False),
        sa.Column("business_form", sa.Integer(), nullable=True),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("premises_address", sa.String(400), nullable=False),
        sa.Column("premises_region", sa.String(6), nullable=False),
        sa.Column("touches_premises", sa.Boolean(), nullable=False),
        sa.Column("commitment_signed", sa.Boolean(), nullable=False),
        sa.Column("permit_id", sa.String(36), nullable=True),
        sa.Column("received_on", sa.Date(), nullable=True),
        sa.Column("materials_due_on", sa.Date(), nullable=True),
        sa.Column("missing_materials", sa.JSON(), nullable=False),
        sa.Column("accepted_on", sa.Date(), nullable=True),
        sa.Column("deemed_accepted", sa.Boolean(), nullable=False),
        sa.Column("decision_due_on", sa.Date(), nullable=True),
        sa.Column("decision_extended", sa.Boolean(), nullable=False),
        sa.Column("site_check", sa.JSON(), nullable=True),
        sa.Column("auto_check", sa.JSON(), nullable=True),
        sa.Column("decision", sa.String(16), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("decided_by", sa.String(100), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=True),
        sa.Column("certificate_due_on", sa.Date(), nullable=True),
        sa.Column("certificate_issued_on", sa.Date(), nullable=True),
        sa.Column("renewal_timing", sa.String(16), nullable=True),
        sa.Column("rule_versions", sa.JSON(), nullable=False),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.ForeignKeyConstraint(["permit_id"], [f"{SCHEMA}.permit.id"], name="fk_permit_application_permit_id_permit"),
        sa.PrimaryKeyConstraint("id", name="pk_permit_application"),
        schema=SCHEMA,
    )
    op.create_index("ix_permit_application_applicant_uscc", "permit_application", ["applicant_uscc"], schema=SCHEMA)
    op.create_index("ix_permit_application_permit_id", "permit_application", ["permit_id"], schema=SCHEMA)
    op.create_index("ix_permit_application_state", "permit_application", ["state"], schema=SCHEMA)
    op.create_table(
        "permit_transition",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("application_id", sa.String(36), nullable=False),
        sa.Column("from_state", sa.String(24), nullable=True),
        sa.Column("to_state", sa.String(24), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        _timestamp("at"),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["application_id"],
            [f"{SCHEMA}.permit_application.id"],
            name="fk_permit_transition_application_id_permit_application",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_permit_transition"),
        schema=SCHEMA,
    )
    op.create_index("ix_permit_transition_application_id", "permit_transition", ["application_id"], schema=SCHEMA)
    op.create_table(
        "permit_verification_task",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("task_type", sa.String(32), nullable=False),
        sa.Column("application_id", sa.String(36), nullable=False),
        sa.Column("permit_id", sa.String(36), nullable=False),
        sa.Column("subject_uscc", sa.String(18), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("rule_version", sa.String(80), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        _timestamp("created_at"),
        sa.ForeignKeyConstraint(
            ["application_id"],
            [f"{SCHEMA}.permit_application.id"],
            name="fk_permit_verification_task_application_id_permit_application",
        ),
        sa.ForeignKeyConstraint(
            ["permit_id"], [f"{SCHEMA}.permit.id"], name="fk_permit_verification_task_permit_id_permit"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_permit_verification_task"),
        sa.UniqueConstraint("application_id", name="uq_permit_verification_task_application_id"),
        schema=SCHEMA,
    )


def downgrade() -> None:
    op.drop_table("permit_verification_task", schema=SCHEMA)
    op.drop_table("permit_transition", schema=SCHEMA)
    op.drop_table("permit_application", schema=SCHEMA)
    op.drop_table("permit_number_sequence", schema=SCHEMA)
    op.drop_table("permit", schema=SCHEMA)

"""Enforcement subgraph: cases with transitions, documents and deadline changes; evidence with custody and
preservation orders; penalty publicity.

Revision ID: enforcement_0001
Revises:
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "enforcement_0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "enforcement"


def upgrade() -> None:
    op.create_table(
        "enforcement_case",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("stage", sa.String(length=24), nullable=False),
        sa.Column("procedure", sa.String(length=16), nullable=False),
        sa.Column("party_uscc", sa.String(length=18), nullable=False),
        sa.Column("party_name", sa.String(length=200), nullable=True),
        sa.Column("party_kind", sa.String(length=16), nullable=False),
        sa.Column("district_code", sa.String(length=9), nullable=True),
        sa.Column("station_code", sa.String(length=9), nullable=True),
        sa.Column("source", sa.String(length=24), nullable=False),
        sa.Column("source_transfer_id", sa.String(length=100), nullable=True),
        sa.Column("source_inspection_id", sa.String(length=64), nullable=True),
        sa.Column("source_item_code", sa.String(length=64), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("violation_on", sa.Date(), nullable=True),
        sa.Column("discovered_on", sa.Date(), nullable=False),
        sa.Column("harm_to_life_or_health", sa.Boolean(), nullable=False),
        sa.Column("food_safety", sa.Boolean(), nullable=False),
        sa.Column("major", sa.Boolean(), nullable=False),
        sa.Column("officers", sa.JSON(), nullable=False),
        sa.Column("hash_algorithm", sa.String(length=8), nullable=False),
        sa.Column("filing_due_on", sa.Date(), nullable=True),
        sa.Column("filed_on", sa.Date(), nullable=True),
        sa.Column("decision_due_on", sa.Date(), nullable=True),
        sa.Column("legal_review_passed", sa.Boolean(), nullable=True),
        sa.Column("legal_reviewed_by", sa.String(length=100), nullable=True),
        sa.Column("review_due_on", sa.Date(), nullable=True),
        sa.Column("notified_on", sa.Date(), nullable=True),
        sa.Column("statement_due_on", sa.Date(), nullable=True),
        sa.Column("intended_penalty", sa.JSON(), nullable=True),
        sa.Column("hearing_rights", sa.Boolean(), nullable=False),
        sa.Column("hearing_held", sa.Boolean(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("outcome", sa.String(length=24), nullable=True),
        sa.Column("penalties", sa.JSON(), nullable=False),
        sa.Column("fine", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("collective", sa.Boolean(), nullable=False),
        sa.Column("service_due_on", sa.Date(), nullable=True),
        sa.Column("served_on", sa.Date(), nullable=True),
        sa.Column("payment_due_on", sa.Date(), nullable=True),
        sa.Column("executed_on", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("stage_due_on", sa.Date(), nullable=True),
        sa.Column("stage_entered_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enforcement_case")),
        sa.UniqueConstraint("source_transfer_id", name=op.f("uq_enforcement_case_source_transfer_id")),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_enforcement_case_district", "enforcement_case", ["district_code", "id"], unique=False, schema=SCHEMA
    )
    op.create_index(
        op.f("ix_enforcement_case_party_uscc"), "enforcement_case", ["party_uscc"], unique=False, schema=SCHEMA
    )
    op.create_index(
        op.f("ix_enforcement_case_source_inspection_id"),
        "enforcement_case",
        ["source_inspection_id"],
        unique=False,
        schema=SCHEMA,
    )
    op.create_index(
        "ix_enforcement_case_stage_due", "enforcement_case", ["stage", "stage_due_on"], unique=False, schema=SCHEMA
    )
    op.create_index(
        "ix_enforcement_case_station", "enforcement_case", ["station_code", "id"], unique=False, schema=SCHEMA
    )
    op.create_table(
        "case_deadline_change",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("deadline", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("excluded_from", sa.Date(), nullable=True),
        sa.Column("excluded_to", sa.Date(), nullable=True),
        sa.Column("collective", sa.Boolean(), nullable=False),
        sa.Column("due_before", sa.Date(), nullable=False),
        sa.Column("due_after", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["enforcement.enforcement_case.id"],
            name=op.f("fk_case_deadline_change_case_id_enforcement_case"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_deadline_change")),
        schema=SCHEMA,
    )
    op.create_index(
        op.f("ix_case_deadline_change_case_id"), "case_deadline_change", ["case_id"], unique=False, schema=SCHEMA
    )
    op.create_table(
        "case_document",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("number", sa.String(length=80), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("filed_by", sa.String(length=100), nullable=False),
        sa.Column("filed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["enforcement.enforcement_case.id"], name=op.f("fk_case_document_case_id_enforcement_case")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_document")),
        schema=SCHEMA,
    )
    op.create_index(op.f("ix_case_document_case_id"), "case_document", ["case_id"], unique=False, schema=SCHEMA)
    op.create_table(
        "case_transition",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("from_stage", sa.String(length=24), nullable=True),
        sa.Column("to_stage", sa.String(length=24), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["enforcement.enforcement_case.id"], name=op.f("fk_case_transition_case_id_enforcement_case")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_transition")),
        schema=SCHEMA,
    )
    op.create_index(op.f("ix_case_transition_case_id"), "case_transition", ["case_id"], unique=False, schema=SCHEMA)
    op.create_table(
        "evidence",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=24), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("captured_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("captured_by", sa.JSON(), nullable=False),
        sa.Column("device_id", sa.String(length=100), nullable=True),
        sa.Column("location", sa.String(length=200), nullable=True),
        sa.Column("storage_uri", sa.String(length=200), nullable=False),
        sa.Column("algorithm", sa.String(length=8), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("previous_hash", sa.String(length=64), nullable=False),
        sa.Column("record_hash", sa.String(length=64), nullable=False),
        sa.Column("added_by", sa.String(length=100), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["enforcement.enforcement_case.id"], name=op.f("fk_evidence_case_id_enforcement_case")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence")),
        schema=SCHEMA,
    )
    op.create_index("uq_evidence_case_seq", "evidence", ["case_id", "seq"], unique=True, schema=SCHEMA)
    op.create_table(
        "penalty_publicity",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("party_uscc", sa.String(length=18), nullable=False),
        sa.Column("district_code", sa.String(length=9), nullable=True),
        sa.Column("station_code", sa.String(length=9), nullable=True),
        sa.Column("food_safety", sa.Boolean(), nullable=False),
        sa.Column("penalties", sa.JSON(), nullable=False),
        sa.Column("fine", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("publish_due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("display_months", sa.Integer(), nullable=False),
        sa.Column("display_until", sa.Date(), nullable=True),
        sa.Column("withdraw_due_on", sa.Date(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("end_reason", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["enforcement.enforcement_case.id"], name=op.f("fk_penalty_publicity_case_id_enforcement_case")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_penalty_publicity")),
        sa.UniqueConstraint("case_id", name=op.f("uq_penalty_publicity_case_id")),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_penalty_publicity_district", "penalty_publicity", ["district_code", "id"], unique=False, schema=SCHEMA
    )
    op.create_index(
        op.f("ix_penalty_publicity_party_uscc"), "penalty_publicity", ["party_uscc"], unique=False, schema=SCHEMA
    )
    op.create_table(
        "preservation_order",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("items", sa.Text(), nullable=False),
        sa.Column("approved_by", sa.String(length=100), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("released_on", sa.Date(), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["enforcement.enforcement_case.id"],
            name=op.f("fk_preservation_order_case_id_enforcement_case"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_preservation_order")),
        schema=SCHEMA,
    )
    op.create_index(
        op.f("ix_preservation_order_case_id"), "preservation_order", ["case_id"], unique=False, schema=SCHEMA
    )
    op.create_table(
        "evidence_custody",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("evidence_id", sa.String(length=36), nullable=False),
        sa.Column("action", sa.String(length=24), nullable=False),
        sa.Column("holder", sa.String(length=100), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["evidence_id"], ["enforcement.evidence.id"], name=op.f("fk_evidence_custody_evidence_id_evidence")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_custody")),
        schema=SCHEMA,
    )
    op.create_index(
        op.f("ix_evidence_custody_evidence_id"), "evidence_custody", ["evidence_id"], unique=False, schema=SCHEMA
    )

    op.create_table(
        "case_grant",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("grantee_unit", sa.String(length=9), nullable=True),
        sa.Column("grantee_subject", sa.String(length=64), nullable=True),
        sa.Column("granted_by", sa.String(length=64), nullable=False),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["record_id"], ["enforcement.enforcement_case.id"], name=op.f("fk_case_grant_record_id_enforcement_case")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_grant")),
        schema=SCHEMA,
    )
    op.create_index(
        op.f("ix_case_grant_grantee_subject"), "case_grant", ["grantee_subject"], unique=False, schema=SCHEMA
    )
    op.create_index(op.f("ix_case_grant_grantee_unit"), "case_grant", ["grantee_unit"], unique=False, schema=SCHEMA)
    op.create_index(op.f("ix_case_grant_record_id"), "case_grant", ["record_id"], unique=False, schema=SCHEMA)


def downgrade() -> None:
    op.drop_table("case_grant", schema=SCHEMA)
    op.drop_table("evidence_custody", schema=SCHEMA)
    op.drop_table("preservation_order", schema=SCHEMA)
    op.drop_table("penalty_publicity", schema=SCHEMA)
    op.drop_table("evidence", schema=SCHEMA)
    op.drop_table("case_transition", schema=SCHEMA)
    op.drop_table("case_document", schema=SCHEMA)
    op.drop_table("case_deadline_change", schema=SCHEMA)
    op.drop_table("enforcement_case", schema=SCHEMA)

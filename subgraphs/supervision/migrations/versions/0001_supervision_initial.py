"""Supervision subgraph: target and inspector directories, conflicts, plans, tasks with their changes, records.

Revision ID: supervision_0001
Revises:
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "supervision_0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "supervision"


def upgrade() -> None:
    op.create_table(
        "inspection_plan",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("district_code", sa.String(length=9), nullable=True),
        sa.Column("station_code", sa.String(length=9), nullable=True),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("target_filter", sa.JSON(), nullable=False),
        sa.Column("inspector_filter", sa.JSON(), nullable=False),
        sa.Column("ratio", sa.Double(), nullable=True),
        sa.Column("count", sa.Integer(), nullable=True),
        sa.Column("weights", sa.JSON(), nullable=False),
        sa.Column("algorithm", sa.String(length=60), nullable=False),
        sa.Column("seed", sa.String(length=64), nullable=False),
        sa.Column("inputs_digest", sa.String(length=64), nullable=False),
        sa.Column("pool_size", sa.Integer(), nullable=False),
        sa.Column("recusals", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("drawn_by", sa.String(length=64), nullable=False),
        sa.Column("drawn_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_plan")),
        schema=SCHEMA,
    )
    op.create_table(
        "inspection_target",
        sa.Column("uscc", sa.String(length=18), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("district_code", sa.String(length=9), nullable=True),
        sa.Column("station_code", sa.String(length=9), nullable=True),
        sa.Column("risk_grade", sa.String(length=1), nullable=True),
        sa.Column("risk_rule_version", sa.String(length=60), nullable=True),
        sa.Column("bad_credit", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("uscc", name=op.f("pk_inspection_target")),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_inspection_target_district", "inspection_target", ["district_code", "uscc"], unique=False, schema=SCHEMA
    )
    op.create_table(
        "inspector",
        sa.Column("subject", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("district_code", sa.String(length=9), nullable=False),
        sa.Column("station_code", sa.String(length=9), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("subject", name=op.f("pk_inspector")),
        schema=SCHEMA,
    )
    op.create_index(op.f("ix_inspector_district_code"), "inspector", ["district_code"], unique=False, schema=SCHEMA)
    op.create_table(
        "inspector_conflict",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("inspector", sa.String(length=64), nullable=False),
        sa.Column("uscc", sa.String(length=18), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspector_conflict")),
        schema=SCHEMA,
    )
    op.create_index(
        op.f("ix_inspector_conflict_inspector"), "inspector_conflict", ["inspector"], unique=False, schema=SCHEMA
    )
    op.create_table(
        "inspection_task",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("source", sa.String(length=24), nullable=False),
        sa.Column("uscc", sa.String(length=18), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("reference", sa.String(length=120), nullable=True),
        sa.Column("request_key", sa.String(length=160), nullable=True),
        sa.Column("plan_id", sa.String(length=36), nullable=True),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("district_code", sa.String(length=9), nullable=True),
        sa.Column("station_code", sa.String(length=9), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("due_rule", sa.String(length=80), nullable=False),
        sa.Column("inspected_on", sa.Date(), nullable=True),
        sa.Column("publish_by", sa.Date(), nullable=True),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["supervision.inspection_plan.id"], name=op.f("fk_inspection_task_plan_id_inspection_plan")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_task")),
        sa.UniqueConstraint("request_key", name=op.f("uq_inspection_task_request_key")),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_inspection_task_district", "inspection_task", ["district_code", "status", "id"], unique=False, schema=SCHEMA
    )
    op.create_index(op.f("ix_inspection_task_plan_id"), "inspection_task", ["plan_id"], unique=False, schema=SCHEMA)
    op.create_index(
        "ix_inspection_task_station", "inspection_task", ["station_code", "status", "id"], unique=False, schema=SCHEMA
    )
    op.create_index(op.f("ix_inspection_task_uscc"), "inspection_task", ["uscc"], unique=False, schema=SCHEMA)
    op.create_table(
        "inspection_record",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("task_id", sa.String(length=36), nullable=False),
        sa.Column("uscc", sa.String(length=18), nullable=False),
        sa.Column("district_code", sa.String(length=9), nullable=True),
        sa.Column("station_code", sa.String(length=9), nullable=True),
        sa.Column("unit_level", sa.String(length=8), nullable=False),
        sa.Column("inspected_on", sa.Date(), nullable=False),
        sa.Column("outcome", sa.String(length=24), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["task_id"], ["supervision.inspection_task.id"], name=op.f("fk_inspection_record_task_id_inspection_task")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_record")),
        sa.UniqueConstraint("task_id", name=op.f("uq_inspection_record_task_id")),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_inspection_record_uscc", "inspection_record", ["uscc", "inspected_on"], unique=False, schema=SCHEMA
    )
    op.create_table(
        "inspection_task_grant",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("grantee_unit", sa.String(length=9), nullable=True),
        sa.Column("grantee_subject", sa.String(length=64), nullable=True),
        sa.Column("granted_by", sa.String(length=64), nullable=False),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["supervision.inspection_task.id"],
            name=op.f("fk_inspection_task_grant_record_id_inspection_task"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_task_grant")),
        schema=SCHEMA,
    )
    op.create_index(
        op.f("ix_inspection_task_grant_grantee_subject"),
        "inspection_task_grant",
        ["grantee_subject"],
        unique=False,
        schema=SCHEMA,
    )
    op.create_index(
        op.f("ix_inspection_task_grant_grantee_unit"),
        "inspection_task_grant",
        ["grantee_unit"],
        unique=False,
        schema=SCHEMA,
    )
    op.create_index(
        op.f("ix_inspection_task_grant_record_id"), "inspection_task_grant", ["record_id"], unique=False, schema=SCHEMA
    )
    op.create_table(
        "task_change",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("task_id", sa.String(length=36), nullable=False),
        sa.Column("from_status", sa.String(length=16), nullable=True),
        sa.Column("to_status", sa.String(length=16), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["task_id"], ["supervision.inspection_task.id"], name=op.f("fk_task_change_task_id_inspection_task")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_change")),
        schema=SCHEMA,
    )
    op.create_index(op.f("ix_task_change_task_id"), "task_change", ["task_id"], unique=False, schema=SCHEMA)
    op.create_table(
        "task_inspector",
        sa.Column("task_id", sa.String(length=36), nullable=False),
        sa.Column("inspector", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["task_id"], ["supervision.inspection_task.id"], name=op.f("fk_task_inspector_task_id_inspection_task")
        ),
        sa.PrimaryKeyConstraint("task_id", "inspector", name=op.f("pk_task_inspector")),
        schema=SCHEMA,
    )
    op.create_index(op.f("ix_task_inspector_inspector"), "task_inspector", ["inspector"], unique=False, schema=SCHEMA)
    op.create_table(
        "inspection_finding",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("item_code", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("outcome", sa.String(length=24), nullable=False),
        sa.Column("affects_food_safety", sa.Boolean(), nullable=False),
        sa.Column("handling", sa.String(length=24), nullable=False),
        sa.Column("deadline_on", sa.Date(), nullable=True),
        sa.Column("follow_up_task_id", sa.String(length=36), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("transfer_id", sa.String(length=80), nullable=True),
        sa.Column("transferred_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["supervision.inspection_record.id"],
            name=op.f("fk_inspection_finding_record_id_inspection_record"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_finding")),
        schema=SCHEMA,
    )
    op.create_index(
        op.f("ix_inspection_finding_record_id"), "inspection_finding", ["record_id"], unique=False, schema=SCHEMA
    )


def downgrade() -> None:
    op.drop_table("inspection_finding", schema=SCHEMA)
    op.drop_table("task_inspector", schema=SCHEMA)
    op.drop_table("task_change", schema=SCHEMA)
    op.drop_table("inspection_task_grant", schema=SCHEMA)
    op.drop_table("inspection_record", schema=SCHEMA)
    op.drop_table("inspection_task", schema=SCHEMA)
    op.drop_table("inspector_conflict", schema=SCHEMA)
    op.drop_table("inspector", schema=SCHEMA)
    op.drop_table("inspection_target", schema=SCHEMA)
    op.drop_table("inspection_plan", schema=SCHEMA)

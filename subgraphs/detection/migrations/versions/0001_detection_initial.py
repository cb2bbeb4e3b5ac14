"""Detection subgraph: devices and cameras bound to premises, device messages, kitchen alerts and their moves, quick
tests, limit rules (with the editions of DOMAIN.md §6.3, copied below: a migration never reads live reference
data), sampling tasks, samples and test reports.

Revision ID: detection_0001
Revises:
Create Date: 2026-12-04
"""

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from kernel.timestamps import UtcDateTime

revision: str = "detection_0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "detection"
Stamp = UtcDateTime()
Code = sa.String(9)

LIMITS = (
    # id, standard, edition, analyte, residue definition, scheme, category code, food, limit, unit, from, to
    (
        "GB2763-2021/procymidone/韭菜",
        "GB 2763",
        "GB 2763-2021",
        "procymidone",
        "腐霉利",
        "GB2763-A",
        "韭菜",
        "韭菜",
        0.2,
        "mg/kg",
        dt.date(2021, 9, 3),
        dt.date(2023, 5, 11),
    ),
    (
        "GB2763.1-2022/procymidone/韭菜",
        "GB 2763",
        "GB 2763.1-2022",
        "procymidone",
        "腐霉利",
        "GB2763-A",
        "韭菜",
        "韭菜",
        5.0,
        "mg/kg",
        dt.date(2023, 5, 11),
        None,
    ),
    (
        "GB2762-2017/Pb/大米",
        "GB 2762",
        "GB 2762-2017",
        "Pb",
        "铅 (以 Pb 计)",
        "GB2762-A",
        "大米",
        "大米",
        0.2,
        "mg/kg",
        dt.date(2017, 9, 17),
        dt.date(2023, 6, 30),
    ),
    (
        "GB2762-2022/Pb/大米",
        "GB 2762",
        "GB 2762-2022",
        "Pb",
        "铅 (以 Pb 计)",
        "GB2762-A",
        "大米",
        "大米",
        0.2,
        "mg/kg",
        dt.date(2023, 6, 30),
        None,
    ),
    (
        "GB2762-2017/Cd/大米",
        "GB 2762",
        "GB 2762-2017",
        "Cd",
        "镉 (以 Cd 计)",
        "GB2762-A",
        "大米",
        "大米",
        0.2,
        "mg/kg",
        dt.date(2017, 9, 17),
        dt.date(2023, 6, 30),
    ),
    (
        "GB2762-2022/Cd/大米",
        "GB 2762",
        "GB 2762-2022",
        "Cd",
        "镉 (以 Cd 计)",
        "GB2762-A",
        "大米",
        "大米",
        0.2,
        "mg/kg",
        dt.date(2023, 6, 30),
        None,
    ),
    (
        "GB2760-2014/benzoic-acid/12.04",
        "GB 2760",
        "GB 2760-2014",
        "benzoic acid",
        "苯甲酸及其钠盐 (以苯甲酸计)",
        "GB2760",
        "12.04",
        "酱油",
        1.0,
        "g/kg",
        dt.date(2015, 5, 24),
        dt.date(2025, 2, 8),
    ),
    (
        "GB2760-2024/benzoic-acid/12.04",
        "GB 2760",
        "GB 2760-2024",
        "benzoic acid",
        "苯甲酸及其钠盐 (以苯甲酸计)",
        "GB2760",
        "12.04",
        "酱油",
        1.0,
        "g/kg",
        dt.date(2025, 2, 8),
        None,
    ),
)


def upgrade() -> None:
    op.create_table(
        "device",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("uscc", sa.String(18), nullable=False),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("premises_address", sa.String(400), nullable=False),
        sa.Column("premises_region", sa.String(6), nullable=False),
        sa.Column("district_code", Code),
        sa.Column("station_code", Code),
        sa.Column("opens", sa.Time(), nullable=False),
        sa.Column("closes", sa.Time(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("registered_by", sa.String(100), nullable=False),
        sa.Column("registered_at", Stamp, nullable=False),
        schema=SCHEMA,
    )
    op.create_index("ix_device_uscc", "device", ["uscc"], schema=SCHEMA)
    op.create_index("ix_device_district", "device", ["district_code", "id"], schema=SCHEMA)
    op.create_index("ix_device_station", "device", ["station_code", "id"], schema=SCHEMA)
    op.create_table(
        "camera",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("device_id", sa.String(64), sa.ForeignKey(f"{SCHEMA}.device.id"), nullable=False),
        sa.Column("uscc", sa.String(18), nullable=False),
        sa.Column("location", sa.String(200), nullable=False),
        sa.Column("district_code", Code),
        sa.Column("station_code", Code),
        sa.Column("registered_at", Stamp, nullable=False),
        schema=SCHEMA,
    )
    op.create_index("ix_camera_device_id", "camera", ["device_id"], schema=SCHEMA)
    op.create_index("ix_camera_uscc", "camera", ["uscc"], schema=SCHEMA)
    op.create_table(
        "device_message",
        sa.Column("device_id", sa.String(64), sa.ForeignKey(f"{SCHEMA}.device.id"), primary_key=True),
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("received_at", Stamp, nullable=False),
        schema=SCHEMA,
    )
    op.create_table(
        "kitchen_alert",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("state", sa.String(24), nullable=False),
        sa.Column("category", sa.String(16), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("boxes", sa.JSON(), nullable=False),
        sa.Column("camera_id", sa.String(64), sa.ForeignKey(f"{SCHEMA}.camera.id"), nullable=False),
        sa.Column("device_id", sa.String(64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("uscc", sa.String(18), nullable=False),
        sa.Column("district_code", Code),
        sa.Column("station_code", Code),
        sa.Column("captured_at", Stamp, nullable=False),
        sa.Column("frame_sha256", sa.String(64), nullable=False),
        sa.Column("frame_ref", sa.String(400), nullable=False),
        sa.Column("model_name", sa.String(100), nullable=False),
        sa.Column("model_version", sa.String(40), nullable=False),
        sa.Column("reviewed_by", sa.String(100)),
        sa.Column("review_note", sa.Text()),
        sa.Column("evidence_sha256", sa.String(64)),
        sa.Column("sealed_at", Stamp),
        sa.Column("rectify_by", sa.Date()),
        sa.Column("rectification", sa.JSON()),
        sa.Column("verification_note", sa.Text()),
        sa.Column("escalation_reason", sa.Text()),
        sa.Column("created_at", Stamp, nullable=False),
        sa.Column("updated_at", Stamp, nullable=False),
        schema=SCHEMA,
    )
    op.create_index("ix_kitchen_alert_state", "kitchen_alert", ["state"], schema=SCHEMA)
    op.create_index("ix_kitchen_alert_uscc", "kitchen_alert", ["uscc"], schema=SCHEMA)
    op.create_index("ix_kitchen_alert_camera", "kitchen_alert", ["camera_id", "category", "captured_at"], schema=SCHEMA)
    op.create_index("ix_kitchen_alert_district", "kitchen_alert", ["district_code", "id"], schema=SCHEMA)
    op.create_index("ix_kitchen_alert_station", "kitchen_alert", ["station_code", "id"], schema=SCHEMA)
    op.create_index("ix_kitchen_alert_due", "kitchen_alert", ["state", "rectify_by"], schema=SCHEMA)
    op.create_table(
        "kitchen_alert_transition",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("alert_id", sa.String(36), sa.ForeignKey(f"{SCHEMA}.kitchen_alert.id"), nullable=False),
        sa.Column("from_state", sa.String(24)),
        sa.Column("to_state", sa.String(24), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("at", Stamp, nullable=False),
        sa.Column("reason", sa.Text()),
        schema=SCHEMA,
    )
    op.create_index("ix_kitchen_alert_transition_alert_id", "kitchen_alert_transition", ["alert_id"], schema=SCHEMA)
    op.create_table(
        "quick_test",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("device_id", sa.String(64), sa.ForeignKey(f"{SCHEMA}.device.id"), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("uscc", sa.String(18), nullable=False),
        sa.Column("district_code", Code),
        sa.Column("station_code", Code),
        sa.Column("sample_name", sa.String(200), nullable=False),
        sa.Column("item", sa.String(40), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(16), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("tested_at", Stamp, nullable=False),
        sa.Column("objection_until", Stamp, nullable=False),
        sa.Column("received_at", Stamp, nullable=False),
        schema=SCHEMA,
    )
    op.create_index("uq_quick_test_device_seq", "quick_test", ["device_id", "seq"], unique=True, schema=SCHEMA)
    op.create_index("ix_quick_test_uscc", "quick_test", ["uscc"], schema=SCHEMA)
    op.create_index("ix_quick_test_district", "quick_test", ["district_code", "id"], schema=SCHEMA)
    op.create_index("ix_quick_test_station", "quick_test", ["station_code", "id"], schema=SCHEMA)
    limits = op.create_table(
        "limit_rule",
        sa.Column("id", sa.String(80), primary_key=True),
        sa.Column("standard", sa.String(20), nullable=False),
        sa.Column("edition", sa.String(20), nullable=False),
        sa.Column("analyte", sa.String(80), nullable=False),
        sa.Column("residue_definition", sa.String(200), nullable=False),
        sa.Column("category_scheme", sa.String(20), nullable=False),
        sa.Column("category_code", sa.String(20), nullable=False),
        sa.Column("food", sa.String(100), nullable=False),
        sa.Column("limit", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(16), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("effective_to", sa.Date()),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_limit_rule_lookup",
        "limit_rule",
        ["analyte", "category_scheme", "category_code", "effective_from"],
        schema=SCHEMA,
    )
    columns = (
        "id",
        "standard",
        "edition",
        "analyte",
        "residue_definition",
        "category_scheme",
        "category_code",
        "food",
        "limit",
        "unit",
        "effective_from",
        "effective_to",
    )
    op.bulk_insert(limits, [dict(zip(columns, row, strict=True)) for row in LIMITS])
    op.create_table(
        "sampling_task",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("district_code", Code),
        sa.Column("station_code", Code),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("created_at", Stamp, nullable=False),
        schema=SCHEMA,
    )
    op.create_table(
        "sample",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("task_id", sa.String(36), sa.ForeignKey(f"{SCHEMA}.sampling_task.id"), nullable=False),
        sa.Column("sampling_no", sa.String(40), nullable=False, unique=True),
        sa.Column("uscc", sa.String(18), nullable=False),
        sa.Column("district_code", Code),
        sa.Column("station_code", Code),
        sa.Column("food_name", sa.String(200), nullable=False),
        sa.Column("category_code", sa.String(20), nullable=False),
        sa.Column("sampled_on", sa.Date(), nullable=False),
        sa.Column("lab", sa.String(200), nullable=False),
        sa.Column("deliver_by", sa.Date(), nullable=False),
        sa.Column("received_by_lab_on", sa.Date()),
        sa.Column("report_due_on", sa.Date()),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("created_at", Stamp, nullable=False),
        schema=SCHEMA,
    )
    op.create_index("ix_sample_task_id", "sample", ["task_id"], schema=SCHEMA)
    op.create_index("ix_sample_uscc", "sample", ["uscc"], schema=SCHEMA)
    op.create_table(
        "test_report",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("sample_id", sa.String(36), sa.ForeignKey(f"{SCHEMA}.sample.id"), nullable=False, unique=True),
        sa.Column("report_no", sa.String(40), nullable=False),
        sa.Column("concluded_on", sa.Date(), nullable=False),
        sa.Column("conclusion", sa.String(16), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("served_on", sa.Date()),
        sa.Column("retest_by", sa.Date()),
        sa.Column("objection_by", sa.Date()),
        sa.Column("recorded_by", sa.String(100), nullable=False),
        sa.Column("recorded_at", Stamp, nullable=False),
        schema=SCHEMA,
    )


def downgrade() -> None:
    for table in (
        "test_report",
        "sample",
        "sampling_task",
        "limit_rule",
        "quick_test",
        "kitchen_alert_transition",
        "kitchen_alert",
        "device_message",
        "camera",
        "device",
    ):
        op.drop_table(table, schema=SCHEMA)

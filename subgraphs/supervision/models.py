"""Tables of the supervision subgraph, in PostgreSQL schema ``supervision`` (names unique across the project).

Market entities are joined by key (the USCC), never read from the entities subgraph's tables: the inspection-
target directory (检查对象名录库) keeps the keys, supervising units and risk facts a draw needs.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from kernel.db import schema_metadata
from kernel.timestamps import UtcDateTime
from subgraphs.common.jurisdiction import GrantColumns, ScopedThrough, Supervised, Unscoped

SCHEMA = "supervision"
metadata = schema_metadata(SCHEMA)


class Base(DeclarativeBase):
    metadata = metadata


class InspectionTargetRow(Base, Supervised):
    """One entry of the inspection-target directory: a market entity by key, where it is supervised, its risk."""

    __tablename__ = "inspection_target"
    holder = "uscc"

    uscc: Mapped[str] = mapped_column(String(18), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    district_code: Mapped[str | None] = mapped_column(String(9))
    station_code: Mapped[str | None] = mapped_column(String(9))
    risk_grade: Mapped[str | None] = mapped_column(String(1))
    """A–D per ``risk_rule_version`` (49号令 Art. 21); None: not graded."""
    risk_rule_version: Mapped[str | None] = mapped_column(String(60))
    bad_credit: Mapped[bool] = mapped_column(Boolean, default=False)
    """On the abnormal list or a serious-violation list: drawn with a higher probability (广东条例 Art. 26)."""
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)

    __table_args__ = (Index("ix_inspection_target_district", "district_code", "uscc"),)


class InspectorRow(Base, Unscoped):
    """One officer of the inspector directory (执法检查人员名录库), by the subject they sign in with."""

    __tablename__ = "inspector"

    subject: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    district_code: Mapped[str] = mapped_column(String(9), index=True)
    station_code: Mapped[str | None] = mapped_column(String(9))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class InspectorConflictRow(Base, Unscoped):
    """The conflict register: an inspector who must withdraw (回避) from inspecting an entity (49号令 Art. 23)."""

    __tablename__ = "inspector_conflict"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    inspector: Mapped[str] = mapped_column(String(64), index=True)
    uscc: Mapped[str] = mapped_column(String(18))
    kind: Mapped[str] = mapped_column(String(40))
    """kinship, former employer, shareholding, previous complaint…"""


class InspectionPlanRow(Base, Supervised):
    """A random-inspection plan of a district bureau (一单两库): its items, pool filter, size and recorded draw."""

    __tablename__ = "inspection_plan"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    district_code: Mapped[str | None] = mapped_column(String(9))
    station_code: Mapped[str | None] = mapped_column(String(9))
    items: Mapped[list[str]] = mapped_column(JSON)
    target_filter: Mapped[dict[str, Any]] = mapped_column(JSON)
    inspector_filter: Mapped[dict[str, Any]] = mapped_column(JSON)
    ratio: Mapped[float | None] = mapped_column()
    count: Mapped[int | None] = mapped_column(Integer)
    weights: Mapped[dict[str, Any]] = mapped_column(JSON)
    algorithm: Mapped[str] = mapped_column(String(60))
    seed: Mapped[str] = mapped_column(String(64))
    inputs_digest: Mapped[str] = mapped_column(String(64))
    pool_size: Mapped[int] = mapped_column(Integer)
    recusals: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    due_on: Mapped[dt.date] = mapped_column(Date)
    drawn_by: Mapped[str] = mapped_column(String(64))
    drawn_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class InspectionTaskGrantRow(GrantColumns, Unscoped, Base):
    """A task granted to an inspector of another station (a draw pairs inspectors across the district): that
    officer reads and changes this one task (``subgraphs.common.jurisdiction.grant_record``)."""

    __tablename__ = "inspection_task_grant"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    record_id: Mapped[str] = mapped_column(ForeignKey("inspection_task.id"), index=True)


class InspectionTaskRow(Base, Supervised):
    """The task core: one inspection of one entity, by ≥ 2 inspectors of a station, for one reason."""

    __tablename__ = "inspection_task"
    holder = "uscc"
    grants = InspectionTaskGrantRow

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    source: Mapped[str] = mapped_column(String(24))
    uscc: Mapped[str] = mapped_column(String(18), index=True)
    reason: Mapped[str] = mapped_column(Text)
    reference: Mapped[str | None] = mapped_column(String(120))
    """The record the task follows up (``Sample:…``, ``InspectionRecord:…``)."""
    request_key: Mapped[str | None] = mapped_column(String(160), unique=True)
    """The idempotency key of the request that opened it (``task.requested``): one task per key."""
    plan_id: Mapped[str | None] = mapped_column(ForeignKey("inspection_plan.id"), index=True)
    items: Mapped[list[str]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16))
    district_code: Mapped[str | None] = mapped_column(String(9))
    station_code: Mapped[str | None] = mapped_column(String(9))
    due_on: Mapped[dt.date] = mapped_column(Date)
    due_rule: Mapped[str] = mapped_column(String(80))
    inspected_on: Mapped[dt.date | None] = mapped_column(Date)
    publish_by: Mapped[dt.date | None] = mapped_column(Date)
    """Random inspections: results public within 20 working days of the inspection (49号令 Art. 39)."""
    published_on: Mapped[dt.date | None] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)

    __table_args__ = (
        Index("ix_inspection_task_district", "district_code", "status", "id"),
        Index("ix_inspection_task_station", "station_code", "status", "id"),
    )


class TaskTallyRow(Base, Supervised):
    """How many tasks share one indicator key in one supervising unit — written only by the database's triggers on
    ``inspection_task`` (migration ``supervision_0002``), so every insert, update and delete of a task, by any path,
    moves its count in the same transaction. The dates count only where an indicator reads them: ``due_on`` while
    the task is open, ``publish_by`` until it is published; elsewhere they are :data:`NEVER`. A unit missing from a
    task (no station: 深汕) is ``''``."""

    __tablename__ = "task_tally"

    district_code: Mapped[str] = mapped_column(String(9), primary_key=True)
    station_code: Mapped[str] = mapped_column(String(9), primary_key=True)
    status: Mapped[str] = mapped_column(String(16), primary_key=True)
    random_inspection: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    inspected: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    published: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    due_on: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    publish_by: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    tasks: Mapped[int] = mapped_column(BigInteger)


NEVER = dt.date(9999, 12, 31)
"""A tally's date where the date does not count (see :class:`TaskTallyRow`)."""


class TaskInspectorRow(Base, ScopedThrough):
    """An inspector assigned to a task."""

    __tablename__ = "task_inspector"
    scoped_through = InspectionTaskRow

    task_id: Mapped[str] = mapped_column(ForeignKey("inspection_task.id"), primary_key=True)
    inspector: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)


class TaskChangeRow(Base, ScopedThrough):
    """Every change of a task: who, when, from, to, why."""

    __tablename__ = "task_change"
    scoped_through = InspectionTaskRow

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    task_id: Mapped[str] = mapped_column(ForeignKey("inspection_task.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    reason: Mapped[str] = mapped_column(Text)


class InspectionRecordRow(Base, ScopedThrough):
    """The result of a task's inspection (监督检查结果记录表): one per task, reached through it (by a join on the
    task where it is listed per entity), so that whoever may change the task — its granted inspector from another
    station included — records it."""

    __tablename__ = "inspection_record"
    scoped_through = InspectionTaskRow

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    task_id: Mapped[str] = mapped_column(ForeignKey("inspection_task.id"), unique=True)
    uscc: Mapped[str] = mapped_column(String(18))
    district_code: Mapped[str | None] = mapped_column(String(9))
    station_code: Mapped[str | None] = mapped_column(String(9))
    unit_level: Mapped[str] = mapped_column(String(8))
    """The level of the inspecting unit (CITY, DISTRICT, STATION), for the no-re-check rule (Art. 42)."""
    inspected_on: Mapped[dt.date] = mapped_column(Date)
    outcome: Mapped[str] = mapped_column(String(24))
    notes: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)

    __table_args__ = (Index("ix_inspection_record_uscc", "uscc", "inspected_on"),)


class InspectionFindingRow(Base, ScopedThrough):
    """One checklist item of a record: its outcome and handling (49号令 Art. 31–33)."""

    __tablename__ = "inspection_finding"
    scoped_through = InspectionTaskRow

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    record_id: Mapped[str] = mapped_column(ForeignKey("inspection_record.id"), index=True)
    item_code: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(8))
    outcome: Mapped[str] = mapped_column(String(24))
    affects_food_safety: Mapped[bool] = mapped_column(Boolean, default=False)
    handling: Mapped[str] = mapped_column(String(24))
    deadline_on: Mapped[dt.date | None] = mapped_column(Date)
    follow_up_task_id: Mapped[str | None] = mapped_column(String(36))
    note: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[list[str]] = mapped_column(JSON)
    """References of evidence files (photos, 笔录), stored by the evidence store."""
    transfer_id: Mapped[str | None] = mapped_column(String(80))
    """Set once by 一键转办: the id the enforcement lead carries."""
    transferred_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)

"""Tables of the detection subgraph, in PostgreSQL schema ``detection`` (names unique across the project).

Devices and cameras are bound to registered premises (the holder's USCC and the supervising district and
station); everything they report inherits that place, so the jurisdiction mechanism scopes it like any record.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Index, Integer, String, Text, Time
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from kernel.db import schema_metadata
from kernel.orgtree import OrgTree
from kernel.timestamps import UtcDateTime
from subgraphs.common.jurisdiction import ScopedThrough, Supervised, Unscoped

SCHEMA = "detection"
metadata = schema_metadata(SCHEMA)


class Base(DeclarativeBase):
    metadata = metadata


class DeviceRow(Base, Supervised):
    """An edge device registered to premises: a kitchen-camera edge box or a quick-test kit (快检设备)."""

    __tablename__ = "device"
    holder = "uscc"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    uscc: Mapped[str] = mapped_column(String(18), index=True)
    label: Mapped[str] = mapped_column(String(200))
    premises_address: Mapped[str] = mapped_column(String(400))
    premises_region: Mapped[str] = mapped_column(String(6))
    district_code: Mapped[str | None] = mapped_column(String(9))
    station_code: Mapped[str | None] = mapped_column(String(9))
    opens: Mapped[dt.time] = mapped_column(Time)
    closes: Mapped[dt.time] = mapped_column(Time)
    """Business hours of the premises (Beijing time): a person seen outside them is an after-hours alert."""
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    registered_by: Mapped[str] = mapped_column(String(100))
    registered_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)

    __table_args__ = (
        Index("ix_device_district", "district_code", "id"),
        Index("ix_device_station", "station_code", "id"),
    )


class CameraRow(Base, Supervised):
    """A kitchen camera behind an edge box, at the box's premises."""

    __tablename__ = "camera"
    holder = "uscc"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("device.id"), index=True)
    uscc: Mapped[str] = mapped_column(String(18), index=True)
    location: Mapped[str] = mapped_column(String(200))
    district_code: Mapped[str | None] = mapped_column(String(9))
    station_code: Mapped[str | None] = mapped_column(String(9))
    registered_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class DeviceMessageRow(Base, ScopedThrough):
    """One message a device sent, by its ``(device_id, seq)``: a resend is answered from here and changes nothing."""

    __tablename__ = "device_message"
    scoped_through = DeviceRow

    device_id: Mapped[str] = mapped_column(ForeignKey("device.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(24))
    digest: Mapped[str] = mapped_column(String(64))
    """sha256 of the message's content: the same sequence number with other content is refused."""
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    received_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class KitchenAlertRow(Base, Supervised):
    """A possible kitchen violation (明厨亮灶, DOMAIN.md §7.2) on its way from detection to closure or escalation."""

    __tablename__ = "kitchen_alert"
    holder = "uscc"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    state: Mapped[str] = mapped_column(String(24), index=True)
    category: Mapped[str] = mapped_column(String(16))
    confidence: Mapped[float] = mapped_column(Float)
    boxes: Mapped[list[dict[str, float]]] = mapped_column(JSON)
    camera_id: Mapped[str] = mapped_column(ForeignKey("camera.id"))
    device_id: Mapped[str] = mapped_column(String(64))
    seq: Mapped[int] = mapped_column(Integer)
    uscc: Mapped[str] = mapped_column(String(18), index=True)
    district_code: Mapped[str | None] = mapped_column(String(9))
    station_code: Mapped[str | None] = mapped_column(String(9))
    captured_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    frame_sha256: Mapped[str] = mapped_column(String(64))
    frame_ref: Mapped[str] = mapped_column(String(400))
    model_name: Mapped[str] = mapped_column(String(100))
    model_version: Mapped[str] = mapped_column(String(40))
    reviewed_by: Mapped[str | None] = mapped_column(String(100))
    review_note: Mapped[str | None] = mapped_column(Text)
    evidence_sha256: Mapped[str | None] = mapped_column(String(64))
    """The frame's hash, sealed when the alert is confirmed (固证): what enforcement may rely on."""
    sealed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    rectify_by: Mapped[dt.date | None] = mapped_column(Date)
    """The notice's deadline (整改期限), inclusive, Beijing date."""
    rectification: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    """The operator's statement and photos (ref and sha256 each)."""
    verification_note: Mapped[str | None] = mapped_column(Text)
    escalation_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)

    __table_args__ = (
        Index("ix_kitchen_alert_camera", "camera_id", "category", "captured_at"),
        Index("ix_kitchen_alert_district", "district_code", "id"),
        Index("ix_kitchen_alert_station", "station_code", "id"),
        Index("ix_kitchen_alert_due", "state", "rectify_by"),
    )


class AlertTransitionRow(Base, ScopedThrough):
    """One recorded move of an alert: who, when, from, to, why."""

    __tablename__ = "kitchen_alert_transition"
    scoped_through = KitchenAlertRow

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    alert_id: Mapped[str] = mapped_column(ForeignKey("kitchen_alert.id"), index=True)
    from_state: Mapped[str | None] = mapped_column(String(24))
    to_state: Mapped[str] = mapped_column(String(24))
    actor: Mapped[str] = mapped_column(String(100))
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    reason: Mapped[str | None] = mapped_column(Text)


class QuickTestRow(Base, Supervised):
    """One quick-test reading (快检, DOMAIN.md §6.2) from a registered kit: a screening result, never a verdict."""

    __tablename__ = "quick_test"
    holder = "uscc"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("device.id"))
    seq: Mapped[int] = mapped_column(Integer)
    digest: Mapped[str] = mapped_column(String(64))
    """sha256 of the reading as sent: the same sequence number with another reading is refused."""
    uscc: Mapped[str] = mapped_column(String(18), index=True)
    district_code: Mapped[str | None] = mapped_column(String(9))
    station_code: Mapped[str | None] = mapped_column(String(9))
    sample_name: Mapped[str] = mapped_column(String(200))
    item: Mapped[str] = mapped_column(String(40))
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(16))
    outcome: Mapped[str] = mapped_column(String(16))
    tested_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    objection_until: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    """The party may ask for a re-test (not by a rapid method) until then: 4 hours (食品安全法 Art. 88 ¶2)."""
    received_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)

    __table_args__ = (
        Index("uq_quick_test_device_seq", "device_id", "seq", unique=True),
        Index("ix_quick_test_district", "district_code", "id"),
        Index("ix_quick_test_station", "station_code", "id"),
    )


class LimitRuleRow(Base, Unscoped):
    """One maximum level of a standard's edition (GB 2763 / 2762 / 2760), in force from one date to another."""

    __tablename__ = "limit_rule"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    standard: Mapped[str] = mapped_column(String(20))
    edition: Mapped[str] = mapped_column(String(20))
    analyte: Mapped[str] = mapped_column(String(80))
    residue_definition: Mapped[str] = mapped_column(String(200))
    category_scheme: Mapped[str] = mapped_column(String(20))
    category_code: Mapped[str] = mapped_column(String(20))
    food: Mapped[str] = mapped_column(String(100))
    limit: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(16))
    effective_from: Mapped[dt.date] = mapped_column(Date)
    effective_to: Mapped[dt.date | None] = mapped_column(Date)
    """Exclusive; None: still in force."""

    __table_args__ = (Index("ix_limit_rule_lookup", "analyte", "category_scheme", "category_code", "effective_from"),)


class SamplingTaskRow(Base, Unscoped):
    """A sampling assignment (抽样任务) of one supervising unit: a plan, held by no entity, readable city-wide; only
    an officer of the unit (or above) opens one (:func:`subgraphs.detection.sampling.create_task`). Its samples are
    supervised where their premises are."""

    __tablename__ = "sampling_task"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    district_code: Mapped[str | None] = mapped_column(String(9))
    station_code: Mapped[str | None] = mapped_column(String(9))
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class SampleRow(Base, Supervised):
    """A sample taken at premises (抽样), with its lab and its working-day windows (DOMAIN.md §6.1)."""

    __tablename__ = "sample"
    holder = "uscc"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    task_id: Mapped[str] = mapped_column(ForeignKey("sampling_task.id"), index=True)
    sampling_no: Mapped[str] = mapped_column(String(40), unique=True)
    uscc: Mapped[str] = mapped_column(String(18), index=True)
    district_code: Mapped[str | None] = mapped_column(String(9))
    station_code: Mapped[str | None] = mapped_column(String(9))
    food_name: Mapped[str] = mapped_column(String(200))
    category_code: Mapped[str] = mapped_column(String(20))
    sampled_on: Mapped[dt.date] = mapped_column(Date)
    lab: Mapped[str] = mapped_column(String(200))
    deliver_by: Mapped[dt.date] = mapped_column(Date)
    received_by_lab_on: Mapped[dt.date | None] = mapped_column(Date)
    report_due_on: Mapped[dt.date | None] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class LabReportRow(Base, ScopedThrough):
    """A lab's test report on a sample: each item judged against the limit in force on the sampling date."""

    __tablename__ = "test_report"
    scoped_through = SampleRow

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    sample_id: Mapped[str] = mapped_column(ForeignKey("sample.id"), unique=True)
    report_no: Mapped[str] = mapped_column(String(40))
    concluded_on: Mapped[dt.date] = mapped_column(Date)
    conclusion: Mapped[str] = mapped_column(String(16))
    items: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    served_on: Mapped[dt.date | None] = mapped_column(Date)
    retest_by: Mapped[dt.date | None] = mapped_column(Date)
    objection_by: Mapped[dt.date | None] = mapped_column(Date)
    recorded_by: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


def premises_codes(tree: OrgTree, address: str, region_code: str) -> tuple[str | None, str | None]:
    """(district code, station code) of the unit supervising these premises (属地监管, DOMAIN.md §9)."""
    return tree.codes_of(tree.premises_unit(address, region_code))

"""Tables of the permits subgraph, in PostgreSQL schema ``permits`` (names unique across the project)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from kernel.db import schema_metadata
from kernel.orgtree import OrgTree
from kernel.timestamps import UtcDateTime
from subgraphs.common.jurisdiction import ScopedThrough, Supervised, Unscoped

SCHEMA = "permits"
metadata = schema_metadata(SCHEMA)


OPEN_APPLICATION = "permit_id IS NOT NULL AND state NOT IN ('REJECTED', 'CERT_ISSUED')"
"""Rows the open-application index covers (the final states of workflow.TRANSITIONS)."""


class Base(DeclarativeBase):
    metadata = metadata


class PermitRow(Base, Supervised):
    """One permit, filing or registration (FoodPermit, DOMAIN.md §10.1); renewal extends it in place."""

    __tablename__ = "permit"
    holder = "holder_uscc"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    number: Mapped[str] = mapped_column(String(40), unique=True)
    holder_uscc: Mapped[str] = mapped_column(String(18), index=True)
    holder_name: Mapped[str] = mapped_column(String(200))
    business_form: Mapped[int | None] = mapped_column(Integer)
    items: Mapped[list[str]] = mapped_column(JSON)
    """Operating items / food categories as ``CODE@VERSION``."""
    premises_address: Mapped[str] = mapped_column(String(400))
    premises_region: Mapped[str] = mapped_column(String(6))
    district_code: Mapped[str | None] = mapped_column(String(9))
    """Supervising district bureau of the premises, set with them on every write (:func:`premises_codes`)."""
    station_code: Mapped[str | None] = mapped_column(String(9))
    """Supervising station (属地监管所) whose 街道 the premises address names; None: the bureau decides."""
    issuing_org: Mapped[str] = mapped_column(String(200))
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)
    """Inclusive; ``valid_to − valid_from ≤ 5 years`` (DOMAIN.md §11.1); None for a filing (备案), which has no
    validity period, renewal window or expiry."""
    validity_rule: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(16))
    status_reason: Mapped[str | None] = mapped_column(Text)
    renewals: Mapped[int] = mapped_column(Integer, default=0)
    previous_valid_to: Mapped[dt.date | None] = mapped_column(Date)
    issued_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)

    __table_args__ = (
        Index(None, "status", "valid_to"),
        Index("ix_permit_district", "district_code", "number"),
        Index("ix_permit_station", "station_code", "number"),
    )


class PermitApplicationRow(Base, Supervised):
    """One application through the §10.2 state machine, with its deadlines and decision record."""

    __tablename__ = "permit_application"
    holder = "applicant_uscc"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(16))
    route: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(24), index=True)
    applicant_uscc: Mapped[str] = mapped_column(String(18), index=True)
    applicant_name: Mapped[str] = mapped_column(String(200))
    legal_representative: Mapped[str] = mapped_column(String(100))
    business_form: Mapped[int | None] = mapped_column(Integer)
    items: Mapped[list[str]] = mapped_column(JSON)
    premises_address: Mapped[str] = mapped_column(String(400))
    premises_region: Mapped[str] = mapped_column(String(6))
    district_code: Mapped[str | None] = mapped_column(String(9))
    station_code: Mapped[str | None] = mapped_column(String(9))
    """Supervising units of the premises, as on :class:`PermitRow`; an application is seen where its premises are."""
    touches_premises: Mapped[bool] = mapped_column(Boolean, default=False)
    commitment_signed: Mapped[bool] = mapped_column(Boolean, default=False)
    permit_id: Mapped[str | None] = mapped_column(ForeignKey("permit.id"), index=True)
    """The permit acted on (change, renewal, cancellation, reissue) or issued (new)."""
    received_on: Mapped[dt.date | None] = mapped_column(Date)
    """Day the complete (re)submission arrived; the materials clock counts from it."""
    materials_due_on: Mapped[dt.date | None] = mapped_column(Date)
    missing_materials: Mapped[list[str]] = mapped_column(JSON, default=list)
    accepted_on: Mapped[dt.date | None] = mapped_column(Date)
    deemed_accepted: Mapped[bool] = mapped_column(Boolean, default=False)
    decision_due_on: Mapped[dt.date | None] = mapped_column(Date)
    decision_extended: Mapped[bool] = mapped_column(Boolean, default=False)
    excluded_time: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    """Periods left out of the decision period (行政许可法 Art. 45), oldest first; None or [] when none."""
    site_check_due_on: Mapped[dt.date | None] = mapped_column(Date)
    site_check: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    auto_check: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    """The automatic-approval record: rule results, rule-set version, registry snapshot, time."""
    decision: Mapped[str | None] = mapped_column(String(16))
    decided_on: Mapped[dt.date | None] = mapped_column(Date)
    decided_by: Mapped[str | None] = mapped_column(String(100))
    decision_reason: Mapped[str | None] = mapped_column(Text)
    certificate_due_on: Mapped[dt.date | None] = mapped_column(Date)
    certificate_issued_on: Mapped[dt.date | None] = mapped_column(Date)
    renewal_timing: Mapped[str | None] = mapped_column(String(16))
    changed_on: Mapped[dt.date | None] = mapped_column(Date)
    """CHANGE: the day the permitted matter changed (变化之日)."""
    change_due_on: Mapped[dt.date | None] = mapped_column(Date)
    """CHANGE: the last day to apply, 10 working days after ``changed_on`` (rule ``permits.<family>.change_due``)."""
    change_timing: Mapped[str | None] = mapped_column(String(16))
    """CHANGE: ON_TIME or LATE (a late change is taken and recorded as late)."""
    rule_versions: Mapped[list[str]] = mapped_column(JSON, default=list)
    """Every rule version a deadline was computed from, in the order used."""
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)

    __table_args__ = (
        # At most one open application per permit: two renewals must not both extend it.
        Index(
            "uq_permit_application_open_per_permit",
            "permit_id",
            unique=True,
            postgresql_where=text(OPEN_APPLICATION),
            sqlite_where=text(OPEN_APPLICATION),
        ),
        Index("ix_permit_application_district", "district_code", "id"),
        Index("ix_permit_application_station", "station_code", "id"),
    )


class PermitTransitionRow(Base, ScopedThrough):
    """One recorded move of an application: who, when, from, to, why."""

    __tablename__ = "permit_transition"
    scoped_through = PermitApplicationRow

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("permit_application.id"), index=True)
    from_state: Mapped[str | None] = mapped_column(String(24))
    to_state: Mapped[str] = mapped_column(String(24))
    actor: Mapped[str] = mapped_column(String(100))
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    reason: Mapped[str | None] = mapped_column(Text)


class PermitStatusChangeRow(Base, ScopedThrough):
    """One change of a permit's status: who, when, from, to, why (the expiry job included)."""

    __tablename__ = "permit_status_change"
    scoped_through = PermitRow

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    permit_id: Mapped[str] = mapped_column(ForeignKey("permit.id"), index=True)
    from_status: Mapped[str] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(100))
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    reason: Mapped[str | None] = mapped_column(Text)


class PermitVerificationTaskRow(Base, ScopedThrough):
    """A POST_APPROVAL_VERIFY task record (DOMAIN.md §3.7 item 5) for supervision to pick up."""

    __tablename__ = "permit_verification_task"
    scoped_through = PermitApplicationRow

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    task_type: Mapped[str] = mapped_column(String(32), default="POST_APPROVAL_VERIFY")
    application_id: Mapped[str] = mapped_column(ForeignKey("permit_application.id"), unique=True)
    permit_id: Mapped[str] = mapped_column(ForeignKey("permit.id"))
    subject_uscc: Mapped[str] = mapped_column(String(18))
    due_on: Mapped[dt.date] = mapped_column(Date)
    rule_version: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(16), default="OPEN")
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class PermitNumberSequenceRow(Base, Unscoped):
    """The last sequence number issued under one number head (prefix + form/category + region)."""

    __tablename__ = "permit_number_sequence"

    head: Mapped[str] = mapped_column(String(16), primary_key=True)
    last: Mapped[int] = mapped_column(Integer)


def premises_codes(tree: OrgTree, address: str, region_code: str) -> tuple[str | None, str | None]:
    """(district code, station code) of the unit supervising these premises (属地监管, DOMAIN.md §9), as rows store
    them; (None, None) where no unit claims them. Every write that sets premises sets these with it."""
    return tree.codes_of(tree.premises_unit(address, region_code))

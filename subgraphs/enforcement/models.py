"""Tables of the enforcement subgraph, in PostgreSQL schema ``enforcement`` (names unique across the project)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, ColumnElement, Date, ForeignKey, Index, Integer, Numeric, String, Text, and_, or_
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from kernel.db import schema_metadata
from kernel.timestamps import UtcDateTime
from subgraphs.common.jurisdiction import GrantColumns, ScopedThrough, Supervised, Unscoped

SCHEMA = "enforcement"
metadata = schema_metadata(SCHEMA)


class Base(DeclarativeBase):
    metadata = metadata


class CaseGrantRow(GrantColumns, Unscoped, Base):
    """案件移送: a case granted to another district's bureau (or officer), audited and revocable."""

    __tablename__ = "case_grant"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    record_id: Mapped[str] = mapped_column(ForeignKey("enforcement_case.id"), index=True)


class CaseRow(Base, Supervised):
    """One enforcement case (案件) through the loop of DOMAIN.md §5.1, with its deadlines and decision."""

    __tablename__ = "enforcement_case"
    holder = "party_uscc"
    grants = CaseGrantRow

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    stage: Mapped[str] = mapped_column(String(24))
    procedure: Mapped[str] = mapped_column(String(16))
    party_uscc: Mapped[str] = mapped_column(String(18), index=True)
    party_name: Mapped[str | None] = mapped_column(String(200))
    party_kind: Mapped[str] = mapped_column(String(16))
    district_code: Mapped[str | None] = mapped_column(String(9))
    station_code: Mapped[str | None] = mapped_column(String(9))
    source: Mapped[str] = mapped_column(String(24))
    source_transfer_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    """一键转办: the transfer that opened this lead; unique, so a repeated transfer opens no second case."""
    source_inspection_id: Mapped[str | None] = mapped_column(String(64), index=True)
    source_item_code: Mapped[str | None] = mapped_column(String(64))
    summary: Mapped[str] = mapped_column(Text)
    violation_on: Mapped[dt.date | None] = mapped_column(Date)
    discovered_on: Mapped[dt.date] = mapped_column(Date)
    harm_to_life_or_health: Mapped[bool] = mapped_column(Boolean, default=False)
    """Art. 36: life, health or financial security involved and harm occurred → 5-year limitation period."""
    food_safety: Mapped[bool] = mapped_column(Boolean, default=False)
    major: Mapped[bool] = mapped_column(Boolean, default=False)
    """Complex or major (情节复杂或重大): legal review and the leaders' collective decision."""
    officers: Mapped[list[str]] = mapped_column(JSON, default=list)
    hash_algorithm: Mapped[str] = mapped_column(String(8))
    filing_due_on: Mapped[dt.date | None] = mapped_column(Date)
    filed_on: Mapped[dt.date | None] = mapped_column(Date)
    decision_due_on: Mapped[dt.date | None] = mapped_column(Date)
    legal_review_passed: Mapped[bool | None] = mapped_column(Boolean)
    legal_reviewed_by: Mapped[str | None] = mapped_column(String(100))
    review_due_on: Mapped[dt.date | None] = mapped_column(Date)
    notified_on: Mapped[dt.date | None] = mapped_column(Date)
    statement_due_on: Mapped[dt.date | None] = mapped_column(Date)
    intended_penalty: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    hearing_rights: Mapped[bool] = mapped_column(Boolean, default=False)
    hearing_held: Mapped[bool] = mapped_column(Boolean, default=False)
    decided_on: Mapped[dt.date | None] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(String(24))
    penalties: Mapped[list[str]] = mapped_column(JSON, default=list)
    fine: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    collective: Mapped[bool] = mapped_column(Boolean, default=False)
    service_due_on: Mapped[dt.date | None] = mapped_column(Date)
    served_on: Mapped[dt.date | None] = mapped_column(Date)
    payment_due_on: Mapped[dt.date | None] = mapped_column(Date)
    executed_on: Mapped[dt.date | None] = mapped_column(Date)
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    stage_due_on: Mapped[dt.date | None] = mapped_column(Date)
    """The deadline the current stage runs against (None: none); overdue when it passed."""
    stage_entered_on: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)

    @hybrid_property
    def review_pending(self) -> bool:
        """Art. 58 requires a legal review (a complex or major case, or one that was heard) not yet recorded."""
        return self.legal_review_passed is None and (self.major or self.hearing_held)

    @review_pending.inplace.expression
    @classmethod
    def _review_pending(cls) -> ColumnElement[bool]:
        return and_(cls.legal_review_passed.is_(None), or_(cls.major, cls.hearing_held))

    __table_args__ = (
        Index("ix_enforcement_case_district", "district_code", "id"),
        Index("ix_enforcement_case_station", "station_code", "id"),
        Index("ix_enforcement_case_stage_due", "stage", "stage_due_on"),
    )


class CaseTransitionRow(Base, ScopedThrough):
    """One recorded move of a case: who (and as which role), when, from, to, why."""

    __tablename__ = "case_transition"
    scoped_through = CaseRow

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("enforcement_case.id"), index=True)
    from_stage: Mapped[str | None] = mapped_column(String(24))
    to_stage: Mapped[str] = mapped_column(String(24))
    actor: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(32))
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    on: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(Text)


class CaseDocumentRow(Base, ScopedThrough):
    """A document placed on the case file (立案审批表, 告知书, 决定书 …)."""

    __tablename__ = "case_document"
    scoped_through = CaseRow

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("enforcement_case.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    number: Mapped[str | None] = mapped_column(String(80))
    note: Mapped[str | None] = mapped_column(Text)
    filed_by: Mapped[str] = mapped_column(String(100))
    filed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class DeadlineChangeRow(Base, ScopedThrough):
    """An approved extension or an excluded period (testing, hearing) of one of the case's clocks."""

    __tablename__ = "case_deadline_change"
    scoped_through = CaseRow

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("enforcement_case.id"), index=True)
    deadline: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16))
    """EXTENSION or EXCLUSION."""
    excluded_from: Mapped[dt.date | None] = mapped_column(Date)
    excluded_to: Mapped[dt.date | None] = mapped_column(Date)
    collective: Mapped[bool] = mapped_column(Boolean, default=False)
    due_before: Mapped[dt.date] = mapped_column(Date)
    due_after: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(100))
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class EvidenceRow(Base, ScopedThrough):
    """One item of evidence (§5.3); its hashes chain it to the case's previous item."""

    __tablename__ = "evidence"
    scoped_through = CaseRow

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("enforcement_case.id"))
    seq: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(24))
    title: Mapped[str] = mapped_column(String(200))
    captured_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    captured_by: Mapped[list[str]] = mapped_column(JSON)
    device_id: Mapped[str | None] = mapped_column(String(100))
    location: Mapped[str | None] = mapped_column(String(200))
    storage_uri: Mapped[str] = mapped_column(String(200))
    algorithm: Mapped[str] = mapped_column(String(8))
    content_hash: Mapped[str] = mapped_column(String(64))
    previous_hash: Mapped[str] = mapped_column(String(64))
    record_hash: Mapped[str] = mapped_column(String(64))
    added_by: Mapped[str] = mapped_column(String(100))
    added_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)

    __table_args__ = (Index("uq_evidence_case_seq", "case_id", "seq", unique=True),)


class CustodyEntryRow(Base, ScopedThrough):
    """One entry of an item's chain of custody: who took, moved, examined or returned it, when."""

    __tablename__ = "evidence_custody"
    scoped_through = CaseRow

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    evidence_id: Mapped[str] = mapped_column(ForeignKey("evidence.id"), index=True)
    action: Mapped[str] = mapped_column(String(24))
    holder: Mapped[str] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(100))
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class PreservationOrderRow(Base, ScopedThrough):
    """A preservation order (先行登记保存, 查封, 扣押) with its own deadline."""

    __tablename__ = "preservation_order"
    scoped_through = CaseRow

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("enforcement_case.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    items: Mapped[str] = mapped_column(Text)
    approved_by: Mapped[str] = mapped_column(String(100))
    started_on: Mapped[dt.date] = mapped_column(Date)
    due_on: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    released_on: Mapped[dt.date | None] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(Text)


class PenaltyPublicityRow(Base, Supervised):
    """The publicity of one penalty decision (45号令, §5.4) on the entity's credit record."""

    __tablename__ = "penalty_publicity"
    holder = "party_uscc"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("enforcement_case.id"), unique=True)
    party_uscc: Mapped[str] = mapped_column(String(18), index=True)
    district_code: Mapped[str | None] = mapped_column(String(9))
    station_code: Mapped[str | None] = mapped_column(String(9))
    food_safety: Mapped[bool] = mapped_column(Boolean)
    penalties: Mapped[list[str]] = mapped_column(JSON)
    fine: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    decided_on: Mapped[dt.date] = mapped_column(Date)
    publish_due_on: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    published_on: Mapped[dt.date | None] = mapped_column(Date)
    display_months: Mapped[int] = mapped_column(Integer)
    display_until: Mapped[dt.date | None] = mapped_column(Date)
    withdraw_due_on: Mapped[dt.date | None] = mapped_column(Date)
    ended_on: Mapped[dt.date | None] = mapped_column(Date)
    end_reason: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)

    __table_args__ = (Index("ix_penalty_publicity_district", "district_code", "id"),)

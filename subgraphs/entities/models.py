"""Tables of the entities subgraph (PostgreSQL schema ``entities``), DOMAIN.md §2, §10; their vocabulary is in
:mod:`subgraphs.entities.vocabulary`."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from subgraphs.common.jurisdiction import ScopedThrough, Supervised, Unscoped

SCHEMA = "entities"
"""The component name: its PostgreSQL schema and its Alembic history (``zhijian migrate``)."""

Id = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    metadata = MetaData(schema=SCHEMA)


class MarketEntityRow(Base, Supervised):
    """One market entity (市场主体); its USCC is the federation key. Parts of the USCC are read from the code."""

    __tablename__ = "market_entity"
    holder = "uscc"

    uscc: Mapped[str] = mapped_column(String(18), primary_key=True)
    legacy_reg_no: Mapped[str | None] = mapped_column(String(15))
    name: Mapped[str] = mapped_column(String(200))
    entity_type: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(30))
    suspended_until: Mapped[dt.date | None] = mapped_column(Date)
    """Last day of a 歇业 period; set exactly when status is SUSPENDED."""
    established_on: Mapped[dt.date] = mapped_column(Date)
    legal_rep_name: Mapped[str] = mapped_column(String(100))
    legal_rep_id_type: Mapped[str] = mapped_column(String(30), server_default="RESIDENT_ID")
    """The identity document shown (:class:`~subgraphs.entities.vocabulary.IdDocumentType`)."""
    legal_rep_id_number: Mapped[str] = mapped_column(String(20))
    """Its number (a GB 11643 resident ID, a permit or a passport); personal data, shown masked unless a purpose
    allows."""
    legal_rep_phone: Mapped[str] = mapped_column(String(20))
    domicile: Mapped[str] = mapped_column(String(300))
    premises: Mapped[str] = mapped_column(String(300))
    district_code: Mapped[str] = mapped_column(String(9))
    station_code: Mapped[str | None] = mapped_column(String(9))
    """The supervising station (属地监管所), derived from the premises, not the domicile; None where the
    district bureau supervises directly (深汕)."""
    business_scope: Mapped[str] = mapped_column(Text)
    held_for_review: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (
        CheckConstraint("(status = 'SUSPENDED') = (suspended_until IS NOT NULL)", name="ck_market_entity_suspension"),
        Index("ix_market_entity_district", "district_code", "uscc"),
        Index("ix_market_entity_station", "station_code", "uscc"),
        Index("ix_market_entity_status", "status", "uscc"),
        Index("ix_market_entity_legal_rep", "legal_rep_id_number"),
        Index(
            "ix_market_entity_name_trgm", "name", postgresql_using="gin", postgresql_ops={"name": "gin_trgm_ops"}
        ).ddl_if(dialect="postgresql"),
    )


name_bigrams = func.entities.name_bigrams(MarketEntityRow.name, type_=ARRAY(Text))
"""Character bigrams of the name (SQL function of migration 0002, PostgreSQL only): two-character search."""
Index("ix_market_entity_name_bigrams", name_bigrams, postgresql_using="gin").ddl_if(dialect="postgresql")


class CreditListingRow(Base, ScopedThrough):
    """One entry on a credit list. ``uscc`` has no foreign key: national and provincial list imports may
    name an entity before it is registered here (迁入)."""

    __tablename__ = "credit_listing"

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    uscc: Mapped[str] = mapped_column(String(18))
    list_type: Mapped[str] = mapped_column(String(20))
    reason_code: Mapped[str] = mapped_column(String(40))
    basis: Mapped[str] = mapped_column(String(200))
    decision_org: Mapped[str] = mapped_column(String(9))
    listed_on: Mapped[dt.date] = mapped_column(Date)
    earliest_removal_on: Mapped[dt.date | None] = mapped_column(Date)
    auto_expiry_on: Mapped[dt.date | None] = mapped_column(Date)
    removed_on: Mapped[dt.date | None] = mapped_column(Date)
    removal_reason: Mapped[str | None] = mapped_column(String(40))
    triggered_on: Mapped[dt.date | None] = mapped_column(Date)
    """The day the ground was established (the report deadline passed, the ordered deadline passed, the verification);
    the listing decision is due 10 working days on (2014 办法 Art. 6–9)."""
    cured_on: Mapped[dt.date | None] = mapped_column(Date)
    """The day the party cured the ground and applied for removal; the removal decision is due 5 working days on."""
    objection_filed_on: Mapped[dt.date | None] = mapped_column(Date)
    """The day the party objected to the listing (within 30 days of it, 2014 办法 Art. 16)."""
    objection_decided_on: Mapped[dt.date | None] = mapped_column(Date)
    """The day the bureau decided the objection (accepted and verified, or not accepted)."""
    objection_upheld: Mapped[bool | None] = mapped_column(Boolean)
    """True: the listing was wrong and is removed; False: it stands."""
    objection_reason: Mapped[str | None] = mapped_column(Text)
    escalation_notice_on: Mapped[dt.date | None] = mapped_column(Date)
    """The day the party was told it will move to the serious list (within the 60 days before its 3 years)."""

    scoped_through = MarketEntityRow

    __table_args__ = (
        CheckConstraint("removed_on IS NULL OR removed_on >= listed_on", name="ck_credit_listing_removal"),
        Index("ix_credit_listing_uscc", "uscc", "list_type"),
    )


class PersonRestrictionRow(Base, Unscoped):
    """A ban on a person (任职/从业限制) decided elsewhere and recorded here for the registration check."""

    __tablename__ = "person_restriction"

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    person_id_number: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(40))
    source_uscc: Mapped[str] = mapped_column(String(18))
    decided_on: Mapped[dt.date] = mapped_column(Date)

    __table_args__ = (Index("ix_person_restriction_person", "person_id_number"),)


class RegistrationHoldRow(Base, ScopedThrough):
    """One reason a registration waits for manual review."""

    __tablename__ = "registration_hold"

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    uscc: Mapped[str] = mapped_column(ForeignKey(f"{SCHEMA}.market_entity.uscc", ondelete="CASCADE"))
    reason_code: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str] = mapped_column(String(400))
    raised_on: Mapped[dt.date] = mapped_column(Date)

    scoped_through = MarketEntityRow

    __table_args__ = (Index("ix_registration_hold_uscc", "uscc"),)


class SuspensionRow(Base, ScopedThrough):
    """One 歇业 filing (实施细则 Art. 40–42): filed before it starts, ended by its last day or a recorded resumption."""

    __tablename__ = "entity_suspension"

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    uscc: Mapped[str] = mapped_column(ForeignKey(f"{SCHEMA}.market_entity.uscc", ondelete="CASCADE"))
    filed_on: Mapped[dt.date] = mapped_column(Date)
    starts_on: Mapped[dt.date] = mapped_column(Date)
    until: Mapped[dt.date] = mapped_column(Date)
    """Last day as filed."""
    ended_on: Mapped[dt.date | None] = mapped_column(Date)
    """Last day actually suspended; None while the suspension is filed or running."""
    end_reason: Mapped[str | None] = mapped_column(String(20))

    scoped_through = MarketEntityRow

    __table_args__ = (
        CheckConstraint("starts_on >= filed_on AND until >= starts_on", name="ck_entity_suspension_period"),
        Index("ix_entity_suspension_uscc", "uscc", "starts_on"),
    )


class KeyPersonRow(Base, ScopedThrough):
    """A person on the registration besides the legal representative (市场主体登记管理条例 Art. 9 (4), (7)): a
    director, supervisor or senior manager of a company, the registration liaison, the finance officer."""

    __tablename__ = "key_person"

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    uscc: Mapped[str] = mapped_column(ForeignKey(f"{SCHEMA}.market_entity.uscc", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(100))
    id_type: Mapped[str] = mapped_column(String(30))
    id_number: Mapped[str] = mapped_column(String(20))
    """Personal data, only ever shown masked."""

    scoped_through = MarketEntityRow

    __table_args__ = (Index("ix_key_person_uscc", "uscc"), Index("ix_key_person_id_number", "id_number"))


class RegistryChangeRow(Base, ScopedThrough):
    """One change of registered items (变更登记) as filed, with the day of the change it follows and whether it came
    after the 30 days of 市场主体登记管理条例 Art. 24."""

    __tablename__ = "registry_change"

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    uscc: Mapped[str] = mapped_column(ForeignKey(f"{SCHEMA}.market_entity.uscc", ondelete="CASCADE"))
    ref: Mapped[str] = mapped_column(String(100))
    changed_on: Mapped[dt.date] = mapped_column(Date)
    """The day of the resolution or decision, or of the legal change (作出变更决议、决定或者法定变更事项发生之日)."""
    filed_on: Mapped[dt.date] = mapped_column(Date)
    due_on: Mapped[dt.date] = mapped_column(Date)
    filed_late: Mapped[bool] = mapped_column(Boolean)
    rule: Mapped[str] = mapped_column(String(100))

    scoped_through = MarketEntityRow

    __table_args__ = (
        CheckConstraint("changed_on <= filed_on", name="ck_registry_change_order"),
        Index("ix_registry_change_uscc", "uscc", "filed_on"),
    )


class PersonalDataReadRow(Base, Unscoped):
    """One unmasked read of a legal representative's personal data (DOMAIN.md §9: log every read of personal
    data): who, when, which entity, which fields, for what purpose; written in the request's own transaction."""

    __tablename__ = "personal_data_read"

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    subject: Mapped[str] = mapped_column(String(200))
    """The caller's ``sub`` (officer id, or the machine client's id)."""
    client_id: Mapped[str | None] = mapped_column(String(200))
    org_path: Mapped[str | None] = mapped_column(String(128))
    read_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    uscc: Mapped[str] = mapped_column(String(18))
    fields: Mapped[str] = mapped_column(String(200))
    """Comma-separated GraphQL field names, e.g. ``idNumber,phone``."""
    purpose: Mapped[str | None] = mapped_column(String(32))
    """The purpose the caller stated (``kernel.roles.PersonalDataPurpose``); None only in rows written before."""
    roles: Mapped[str | None] = mapped_column(String(200))
    """The caller's roles at the time, comma-separated: why the purpose was accepted."""

    __table_args__ = (Index("ix_personal_data_read_uscc", "uscc", "read_at"),)

"""Tables of the entities subgraph (PostgreSQL schema ``entities``) and the vocabulary they hold (DOMAIN.md §2, §10)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

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

SCHEMA = "entities"
"""The component name: its PostgreSQL schema and its Alembic history (``zhijian migrate``)."""

Id = BigInteger().with_variant(Integer(), "sqlite")


class EntityStatus(StrEnum):
    """Registration status as the national publicity system labels it (DOMAIN.md §2.2)."""

    EXISTING = "EXISTING"  # 存续/在业
    SUSPENDED = "SUSPENDED"  # 歇业, 市场主体登记管理条例 Art. 30
    REVOKED_NOT_DEREGISTERED = "REVOKED_NOT_DEREGISTERED"  # 吊销，未注销
    DEREGISTERED = "DEREGISTERED"  # 注销
    CANCELLED = "CANCELLED"  # 撤销登记
    MOVED_OUT = "MOVED_OUT"  # 迁出


class EntityType(StrEnum):
    """Entity types of 市场主体登记管理条例 Art. 2 (2022)."""

    COMPANY = "COMPANY"  # 公司
    COMPANY_BRANCH = "COMPANY_BRANCH"
    NON_COMPANY_ENTERPRISE = "NON_COMPANY_ENTERPRISE"  # 非公司企业法人
    NON_COMPANY_ENTERPRISE_BRANCH = "NON_COMPANY_ENTERPRISE_BRANCH"
    SOLE_PROPRIETORSHIP = "SOLE_PROPRIETORSHIP"  # 个人独资企业
    PARTNERSHIP = "PARTNERSHIP"  # 合伙企业
    ENTERPRISE_BRANCH = "ENTERPRISE_BRANCH"  # 个人独资/合伙企业分支机构
    FARMERS_COOPERATIVE = "FARMERS_COOPERATIVE"  # 农民专业合作社(联合社)
    FARMERS_COOPERATIVE_BRANCH = "FARMERS_COOPERATIVE_BRANCH"
    INDIVIDUAL_BUSINESS = "INDIVIDUAL_BUSINESS"  # 个体工商户
    FOREIGN_COMPANY_BRANCH = "FOREIGN_COMPANY_BRANCH"  # 外国公司分支机构


CATEGORY_OF_TYPE: dict[EntityType, str] = {
    **dict.fromkeys(EntityType, "1"),
    EntityType.INDIVIDUAL_BUSINESS: "2",
    EntityType.FARMERS_COOPERATIVE: "3",
    EntityType.FARMERS_COOPERATIVE_BRANCH: "3",
}
"""USCC position 2 under authority 9 for each type: 1 enterprise, 2 individual business, 3 cooperative."""


class ListType(StrEnum):
    ABNORMAL = "ABNORMAL"  # 经营异常名录
    SERIOUS = "SERIOUS"  # 严重违法失信名单


class AbnormalReason(StrEnum):
    """The four listing grounds of 企业信息公示暂行条例 Art. 8, 10, 17 and the 2014 办法 (DOMAIN.md §2.3)."""

    ANNUAL_REPORT_NOT_FILED = "ANNUAL_REPORT_NOT_FILED"
    ADHOC_INFORMATION_NOT_PUBLISHED = "ADHOC_INFORMATION_NOT_PUBLISHED"
    FALSE_INFORMATION = "FALSE_INFORMATION"
    UNREACHABLE_AT_DOMICILE = "UNREACHABLE_AT_DOMICILE"


class RemovalReason(StrEnum):
    """How a listing ended: the cure of an abnormal ground, or the end of a serious listing."""

    ANNUAL_REPORT_FILED = "ANNUAL_REPORT_FILED"
    INFORMATION_PUBLISHED = "INFORMATION_PUBLISHED"
    INFORMATION_CORRECTED = "INFORMATION_CORRECTED"
    ADDRESS_CHANGED = "ADDRESS_CHANGED"
    ADDRESS_CONFIRMED = "ADDRESS_CONFIRMED"
    MOVED_TO_SERIOUS_LIST = "MOVED_TO_SERIOUS_LIST"
    CREDIT_REPAIRED = "CREDIT_REPAIRED"


CURES: dict[AbnormalReason, frozenset[RemovalReason]] = {
    AbnormalReason.ANNUAL_REPORT_NOT_FILED: frozenset({RemovalReason.ANNUAL_REPORT_FILED}),
    AbnormalReason.ADHOC_INFORMATION_NOT_PUBLISHED: frozenset({RemovalReason.INFORMATION_PUBLISHED}),
    AbnormalReason.FALSE_INFORMATION: frozenset({RemovalReason.INFORMATION_CORRECTED}),
    AbnormalReason.UNREACHABLE_AT_DOMICILE: frozenset({RemovalReason.ADDRESS_CHANGED, RemovalReason.ADDRESS_CONFIRMED}),
}
"""Which removal reasons cure which listing ground (企业经营异常名录管理暂行办法 2014, Art. 11–14)."""


class SeriousReason(StrEnum):
    """Why an entity is on the serious list (SAMR Order No. 44)."""

    HEAVIER_PENALTY = "HEAVIER_PENALTY"  # 较重行政处罚
    ABNORMAL_LIST_THREE_YEARS = "ABNORMAL_LIST_THREE_YEARS"  # 企业信息公示暂行条例 Art. 17


class RestrictionKind(StrEnum):
    """Bans on a person that the registration-time credit check looks for (DOMAIN.md §2.2, §2.5)."""

    REVOKED_ENTITY_REPRESENTATIVE = "REVOKED_ENTITY_REPRESENTATIVE"  # 市场主体登记管理条例 Art. 12
    FOOD_PERMIT_REVOKED = "FOOD_PERMIT_REVOKED"  # 食品安全法 Art. 135


class HoldReason(StrEnum):
    """Why a registration was held for manual review (登管联动, DOMAIN.md §2.5)."""

    ENTITY_ON_SERIOUS_LIST = "ENTITY_ON_SERIOUS_LIST"
    LEGAL_REP_OF_SERIOUS_LIST_ENTITY = "LEGAL_REP_OF_SERIOUS_LIST_ENTITY"
    LEGAL_REP_REVOKED_ENTITY_BAN = "LEGAL_REP_REVOKED_ENTITY_BAN"
    LEGAL_REP_FOOD_PERMIT_BAN = "LEGAL_REP_FOOD_PERMIT_BAN"


class Base(DeclarativeBase):
    metadata = MetaData(schema=SCHEMA)


class MarketEntityRow(Base):
    """One market entity (市场主体); its USCC is the federation key. Parts of the USCC are read from the code."""

    __tablename__ = "market_entity"

    uscc: Mapped[str] = mapped_column(String(18), primary_key=True)
    legacy_reg_no: Mapped[str | None] = mapped_column(String(15))
    name: Mapped[str] = mapped_column(String(200))
    entity_type: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(30))
    suspended_until: Mapped[dt.date | None] = mapped_column(Date)
    """Last day of a 歇业 period; set exactly when status is SUSPENDED."""
    established_on: Mapped[dt.date] = mapped_column(Date)
    legal_rep_name: Mapped[str] = mapped_column(String(100))
    legal_rep_id_number: Mapped[str] = mapped_column(String(18))
    """Resident ID (GB 11643); personal data, only ever shown masked."""
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


class CreditListingRow(Base):
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

    __table_args__ = (
        CheckConstraint("removed_on IS NULL OR removed_on >= listed_on", name="ck_credit_listing_removal"),
        Index("ix_credit_listing_uscc", "uscc", "list_type"),
    )


class PersonRestrictionRow(Base):
    """A ban on a person (任职/从业限制) decided elsewhere and recorded here for the registration check."""

    __tablename__ = "person_restriction"

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    person_id_number: Mapped[str] = mapped_column(String(18))
    kind: Mapped[str] = mapped_column(String(40))
    source_uscc: Mapped[str] = mapped_column(String(18))
    decided_on: Mapped[dt.date] = mapped_column(Date)

    __table_args__ = (Index("ix_person_restriction_person", "person_id_number"),)


class RegistrationHoldRow(Base):
    """One reason a registration waits for manual review."""

    __tablename__ = "registration_hold"

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    uscc: Mapped[str] = mapped_column(ForeignKey(f"{SCHEMA}.market_entity.uscc", ondelete="CASCADE"))
    reason_code: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str] = mapped_column(String(400))
    raised_on: Mapped[dt.date] = mapped_column(Date)

    __table_args__ = (Index("ix_registration_hold_uscc", "uscc"),)


class PersonalDataReadRow(Base):
    """One unmasked read of a legal representative's personal data (DOMAIN.md §9: log every read of personal
    data): who, when, which entity, which fields; written in the request's own transaction."""

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

    __table_args__ = (Index("ix_personal_data_read_uscc", "uscc", "read_at"),)

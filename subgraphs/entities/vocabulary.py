"""The vocabulary of the entities subgraph: statuses, types, lists and their grounds (DOMAIN.md §2)."""

from __future__ import annotations

from enum import StrEnum


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


LEGAL_REPRESENTATIVE_BAN_TYPES: frozenset[EntityType] = frozenset(
    {EntityType.COMPANY, EntityType.NON_COMPANY_ENTERPRISE}
)
"""The types whose legal representative 市场主体登记管理条例 Art. 12 bars (公司、非公司企业法人的法定代表人) [V]."""


class IdDocumentType(StrEnum):
    """The identity document a natural person on a registration shows (实施细则 Art. 24: 自然人身份证明)."""

    RESIDENT_ID = "RESIDENT_ID"  # 居民身份证, GB 11643-1999
    HK_MACAO_PERMIT = "HK_MACAO_PERMIT"  # 港澳居民来往内地通行证 (回乡证)
    TAIWAN_PERMIT = "TAIWAN_PERMIT"  # 台湾居民来往大陆通行证 (台胞证)
    HMT_RESIDENCE_PERMIT = "HMT_RESIDENCE_PERMIT"  # 港澳台居民居住证
    FOREIGN_PASSPORT = "FOREIGN_PASSPORT"  # 外国护照
    FOREIGN_PERMANENT_RESIDENCE = "FOREIGN_PERMANENT_RESIDENCE"  # 外国人永久居留身份证


HMT_DOCUMENTS: frozenset[IdDocumentType] = frozenset(
    {IdDocumentType.HK_MACAO_PERMIT, IdDocumentType.TAIWAN_PERMIT, IdDocumentType.HMT_RESIDENCE_PERMIT}
)
FOREIGN_DOCUMENTS: frozenset[IdDocumentType] = frozenset(
    {IdDocumentType.FOREIGN_PASSPORT, IdDocumentType.FOREIGN_PERMANENT_RESIDENCE}
)
_EVERY_DOCUMENT = frozenset(IdDocumentType)
_NO_FOREIGNER = _EVERY_DOCUMENT - FOREIGN_DOCUMENTS

ACCEPTED_DOCUMENTS: dict[EntityType, tuple[frozenset[IdDocumentType], str]] = {
    **{entity_type: (_EVERY_DOCUMENT, "市场主体登记管理条例实施细则 Art. 24 ¶1–2 [V]") for entity_type in EntityType},
    EntityType.INDIVIDUAL_BUSINESS: (
        _NO_FOREIGNER,
        "促进个体工商户发展条例 (2022) Art. 2 (公民) and Art. 37: permanent residents of Hong Kong and Macao who are "
        "Chinese citizens and residents of Taiwan may register; foreigners may not [V]",
    ),
    EntityType.SOLE_PROPRIETORSHIP: (
        _NO_FOREIGNER,
        "个人独资企业法 Art. 2, Art. 47 (外商独资企业不适用本法): a foreign investor cannot found one [S: reading]",
    ),
    EntityType.FARMERS_COOPERATIVE: (
        _NO_FOREIGNER,
        "农民专业合作社法 (2017) Art. 19: members are 公民 or organisations; the 理事长 is a member [S: reading]",
    ),
}
"""Which identity documents the legal representative (or person in charge) of each entity type may show, and why."""


class KeyPersonRole(StrEnum):
    """Persons recorded besides the legal representative (市场主体登记管理条例 Art. 9; DOMAIN.md §2.5)."""

    DIRECTOR = "DIRECTOR"  # 董事, Art. 9 (4): companies
    SUPERVISOR = "SUPERVISOR"  # 监事, Art. 9 (4): companies
    SENIOR_MANAGER = "SENIOR_MANAGER"  # 高级管理人员, Art. 9 (4): companies
    REGISTRATION_LIAISON = "REGISTRATION_LIAISON"  # 登记联络员, Art. 9 (7): every type
    FINANCE_OFFICER = "FINANCE_OFFICER"  # 财务负责人: collected for the 多证合一 tax record, not an Art. 9 item


COMPANY_OFFICERS = frozenset({KeyPersonRole.DIRECTOR, KeyPersonRole.SUPERVISOR, KeyPersonRole.SENIOR_MANAGER})
KEY_PERSON_ROLES: dict[EntityType, frozenset[KeyPersonRole]] = {
    **{entity_type: frozenset(KeyPersonRole) - COMPANY_OFFICERS for entity_type in EntityType},
    EntityType.COMPANY: frozenset(KeyPersonRole),
}
"""Which key-person roles each type files (实施细则 Art. 7: 董事、监事、高级管理人员 for companies; 登记联络员 for
all) [V]."""


class SuspensionEnd(StrEnum):
    """How a 歇业 ended (市场主体登记管理条例实施细则 Art. 42)."""

    RESUMED = "RESUMED"  # resumed business, recorded (公示终止歇业)
    PERIOD_ENDED = "PERIOD_ENDED"  # the filed period ran out: deemed resumed (视为自动恢复经营)
    WITHDRAWN = "WITHDRAWN"  # resumed before the filed start: the filing never took effect


class ListType(StrEnum):
    ABNORMAL = "ABNORMAL"  # 经营异常名录 (enterprises)
    ABNORMAL_STATUS = "ABNORMAL_STATUS"  # 经营异常状态 (individual businesses, 个体工商户年度报告暂行办法 Art. 13–14)
    SERIOUS = "SERIOUS"  # 严重违法失信名单


def abnormal_list_type(entity_type: EntityType) -> ListType:
    """An individual business is marked 经营异常状态, not put on the enterprises' 经营异常名录 (the 企业信息公示暂行条例
    governs enterprises; 个体工商户年度报告暂行办法 Art. 13–14), so it is never escalated to the serious list."""
    return ListType.ABNORMAL_STATUS if entity_type is EntityType.INDIVIDUAL_BUSINESS else ListType.ABNORMAL


ABNORMAL_TYPES: frozenset[ListType] = frozenset({ListType.ABNORMAL, ListType.ABNORMAL_STATUS})


class AbnormalReason(StrEnum):
    """The four listing grounds of 企业信息公示暂行条例 Art. 8, 10, 17 and the 2014 办法 (DOMAIN.md §2.3)."""

    ANNUAL_REPORT_NOT_FILED = "ANNUAL_REPORT_NOT_FILED"
    ADHOC_INFORMATION_NOT_PUBLISHED = "ADHOC_INFORMATION_NOT_PUBLISHED"
    FALSE_INFORMATION = "FALSE_INFORMATION"
    UNREACHABLE_AT_DOMICILE = "UNREACHABLE_AT_DOMICILE"


INDIVIDUAL_ABNORMAL_GROUNDS: frozenset[AbnormalReason] = frozenset(
    {AbnormalReason.ANNUAL_REPORT_NOT_FILED, AbnormalReason.FALSE_INFORMATION, AbnormalReason.UNREACHABLE_AT_DOMICILE}
)
"""Grounds that mark an individual business abnormal; the ad-hoc publication duty (企业信息公示暂行条例 Art. 10) binds
enterprises only."""


class RemovalReason(StrEnum):
    """How a listing ended: the cure of an abnormal ground, or the end of a serious listing."""

    ANNUAL_REPORT_FILED = "ANNUAL_REPORT_FILED"
    INFORMATION_PUBLISHED = "INFORMATION_PUBLISHED"
    INFORMATION_CORRECTED = "INFORMATION_CORRECTED"
    ADDRESS_CHANGED = "ADDRESS_CHANGED"
    ADDRESS_CONFIRMED = "ADDRESS_CONFIRMED"
    MOVED_TO_SERIOUS_LIST = "MOVED_TO_SERIOUS_LIST"
    CREDIT_REPAIRED = "CREDIT_REPAIRED"
    OBJECTION_UPHELD = "OBJECTION_UPHELD"  # the listing was wrong (2014 办法 Art. 16)


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
    FOOD_PERMIT_REVOKED = "FOOD_PERMIT_REVOKED"  # 食品安全法 Art. 135 ¶1: 5 years from the revocation decision
    FOOD_SAFETY_CRIME = "FOOD_SAFETY_CRIME"  # 食品安全法 Art. 135 ¶2: sentenced for a food-safety crime, for life
    FALSE_REGISTRATION = "FALSE_REGISTRATION"  # 市场主体登记管理条例 Art. 40 ¶3; 实施细则 Art. 71 ¶3


class HoldReason(StrEnum):
    """Why a registration was held for manual review (登管联动, DOMAIN.md §2.5)."""

    ENTITY_ON_SERIOUS_LIST = "ENTITY_ON_SERIOUS_LIST"
    LEGAL_REP_OF_SERIOUS_LIST_ENTITY = "LEGAL_REP_OF_SERIOUS_LIST_ENTITY"
    LEGAL_REP_REVOKED_ENTITY_BAN = "LEGAL_REP_REVOKED_ENTITY_BAN"
    LEGAL_REP_FOOD_PERMIT_BAN = "LEGAL_REP_FOOD_PERMIT_BAN"
    LEGAL_REP_FALSE_REGISTRATION_BAN = "LEGAL_REP_FALSE_REGISTRATION_BAN"

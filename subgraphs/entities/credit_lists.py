"""Credit lists (信用名单): the abnormal operations list and the serious violation list (DOMAIN.md §2.3, §2.4)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from kernel.errors import ClientError, Code, ConflictError
from kernel.jobs.events import emit
from kernel.orgtree import OrgLevel, OrgTree, OrgUnit
from subgraphs.common.calendar import ensure_not_future
from subgraphs.common.events import PARTY_NOTIFIED, PartyNotified
from subgraphs.common.jurisdiction import jurisdiction_of
from subgraphs.common.records import lock_for_change
from subgraphs.common.rules import default_rules
from subgraphs.entities.abnormal_terms import escalation_day, escalation_notice_from, objection_due
from subgraphs.entities.errors import EntitiesCode
from subgraphs.entities.models import CreditListingRow, MarketEntityRow
from subgraphs.entities.vocabulary import (
    ABNORMAL_TYPES,
    CURES,
    INDIVIDUAL_ABNORMAL_GROUNDS,
    AbnormalReason,
    EntityStatus,
    EntityType,
    ListType,
    RemovalReason,
    SeriousReason,
    abnormal_list_type,
)

ABNORMAL_BASIS: dict[AbnormalReason, str] = {
    AbnormalReason.ANNUAL_REPORT_NOT_FILED: "企业信息公示暂行条例 Art. 8, 17; 企业经营异常名录管理暂行办法 Art. 4(1)",
    AbnormalReason.ADHOC_INFORMATION_NOT_PUBLISHED: (
        "企业信息公示暂行条例 Art. 10, 17; 企业经营异常名录管理暂行办法 Art. 4(2)"
    ),
    AbnormalReason.FALSE_INFORMATION: "企业信息公示暂行条例 Art. 17; 企业经营异常名录管理暂行办法 Art. 4(3)",
    AbnormalReason.UNREACHABLE_AT_DOMICILE: "企业信息公示暂行条例 Art. 17; 企业经营异常名录管理暂行办法 Art. 4(4)",
}
INDIVIDUAL_ABNORMAL_BASIS: dict[AbnormalReason, str] = {
    AbnormalReason.ANNUAL_REPORT_NOT_FILED: "个体工商户年度报告暂行办法 (2014) Art. 13: 标记为经营异常状态",
    AbnormalReason.FALSE_INFORMATION: "个体工商户年度报告暂行办法 (2014) Art. 14: 标记为经营异常状态",
    AbnormalReason.UNREACHABLE_AT_DOMICILE: "个体工商户年度报告暂行办法 (2014) Art. 15: 标记为经营异常状态",
}
SERIOUS_BASIS: dict[SeriousReason, str] = {
    SeriousReason.HEAVIER_PENALTY: "市场监督管理严重违法失信名单管理办法 (SAMR Order No. 44)",
    SeriousReason.ABNORMAL_LIST_THREE_YEARS: "企业信息公示暂行条例 Art. 17; SAMR Order No. 44",
}
LISTABLE_STATUSES = frozenset({EntityStatus.EXISTING, EntityStatus.SUSPENDED})


def is_active(listing: CreditListingRow, today: dt.date) -> bool:
    """Not removed and not expired on ``today``."""
    return listing.removed_on is None and (listing.auto_expiry_on is None or today < listing.auto_expiry_on)


def active_listing(list_type: ListType | frozenset[ListType], today: dt.date) -> ColumnElement[bool]:
    """SQL for "this listing row is an active entry of ``list_type`` (or one of them) on ``today``" (same rule as
    :func:`is_active`)."""
    types = [list_type] if isinstance(list_type, ListType) else sorted(list_type)
    return and_(
        CreditListingRow.list_type.in_(types),
        CreditListingRow.removed_on.is_(None),
        or_(CreditListingRow.auto_expiry_on.is_(None), CreditListingRow.auto_expiry_on > today),
    )


def _require_decider(session: AsyncSession, unit: OrgUnit | None, code: str) -> None:
    """The deciding authority of an abnormal-list entry is a bureau (辖区局 or 市局, 暂行办法 Art. 4), and the caller
    records only decisions of their own unit or of one below it (the role table says who may decide at all)."""
    if unit is None:
        raise ClientError(f"unknown org unit {code!r} as deciding authority", code=Code.UNKNOWN_ORG_UNIT)
    if unit.level is OrgLevel.STATION:
        raise ClientError(
            f"{unit.name} is a station; abnormal-list decisions are taken by a district bureau or the city bureau",
            code=EntitiesCode.NOT_A_DECIDING_AUTHORITY,
        )
    jurisdiction = jurisdiction_of(session)
    if jurisdiction is not None:
        jurisdiction.require_decision_by(unit)


def _require_report_overdue(established_on: dt.date, listed_on: dt.date) -> None:
    """The first annual report covers the year of establishment and is due in the first months of the next
    (实施细则 Art. 63: 1 January to 30 June); a missing report cannot be listed before that window has closed."""
    window = default_rules().get("entities.annual_report_window", on=listed_on)
    # 6 months counted from the day after 31 December (民法典 Art. 201–202): 1 January through 30 June
    first_due = window.period_end(dt.date(established_on.year, 12, 31))
    if listed_on <= first_due:
        raise ClientError(
            f"the first annual report of an entity established {established_on.isoformat()} is due by "
            f"{first_due.isoformat()} ({window.basis}); it cannot be listed as missing on {listed_on.isoformat()}",
            code=EntitiesCode.ANNUAL_REPORT_NOT_YET_DUE,
            details={"dueBy": first_due.isoformat()},
        )


def serious_listing(uscc: str, reason: SeriousReason, listed_on: dt.date, decision_org: str) -> CreditListingRow:
    """A serious-list entry with its 3-year term and 1-year earliest removal from the rule data, counted per 民法典
    Art. 201–202: listed on 10 March 2025, the 3 years run through 10 March 2028, so the entry lapses on 11 March
    (``auto_expiry_on``, the first day off the list) and early removal may be asked from 11 March 2026."""
    rules = default_rules()
    return CreditListingRow(
        uscc=uscc,
        list_type=ListType.SERIOUS,
        reason_code=reason,
        basis=SERIOUS_BASIS[reason],
        decision_org=decision_org,
        listed_on=listed_on,
        earliest_removal_on=rules.get("entities.serious_list_early_removal_after", on=listed_on).runs_out_after(
            listed_on
        ),
        auto_expiry_on=rules.get("entities.serious_list_duration", on=listed_on).runs_out_after(listed_on),
    )


async def add_abnormal_listing(
    session: AsyncSession,
    tree: OrgTree,
    uscc: str,
    reason: AbnormalReason,
    listed_on: dt.date,
    decision_org_code: str | None,
    today: dt.date,
    at: dt.datetime,
    triggered_on: dt.date | None = None,
) -> CreditListingRow:
    """List an entity as abnormal (列入经营异常名录) after checking the entity, the date and duplicates; the party is
    told (``entities.party_notified``) with the last day it may object. ``triggered_on``, the day the ground was
    established, starts the 10 working days for the decision (shown in its terms)."""
    entity = await lock_for_change(session, MarketEntityRow, uscc, "market entity")
    if entity.status not in LISTABLE_STATUSES:
        raise ClientError(
            f"{uscc} is {entity.status}; only existing or suspended entities can be listed",
            code=EntitiesCode.ENTITY_NOT_ACTIVE,
        )
    ensure_not_future(listed_on, "listing date", today)
    if listed_on < entity.established_on:
        raise ClientError(
            f"listing date {listed_on.isoformat()} is before the entity was established "
            f"({entity.established_on.isoformat()})",
            code=EntitiesCode.DATE_BEFORE_ESTABLISHMENT,
        )
    if reason is AbnormalReason.ANNUAL_REPORT_NOT_FILED:
        _require_report_overdue(entity.established_on, listed_on)
    if triggered_on is not None and triggered_on > listed_on:
        raise ClientError(
            f"the ground of a listing on {listed_on.isoformat()} cannot be established later, on "
            f"{triggered_on.isoformat()}",
            code=EntitiesCode.LISTING_BEFORE_ITS_GROUND,
        )
    list_type = abnormal_list_type(EntityType(entity.entity_type))
    if list_type is ListType.ABNORMAL_STATUS and reason not in INDIVIDUAL_ABNORMAL_GROUNDS:
        raise ClientError(
            f"{uscc} is an individual business (个体工商户); {reason} is a ground for enterprises only "
            "(企业信息公示暂行条例 Art. 10)",
            code=EntitiesCode.GROUND_NOT_APPLICABLE,
        )
    decision_org = entity.district_code if decision_org_code is None else decision_org_code
    _require_decider(session, tree.get(decision_org), decision_org)
    duplicate = await session.scalar(
        select(CreditListingRow.id).where(
            CreditListingRow.uscc == uscc,
            CreditListingRow.reason_code == reason,
            active_listing(ABNORMAL_TYPES, today),
        )
    )
    if duplicate is not None:
        raise ConflictError(f"{uscc} is already listed as abnormal for {reason}", code=EntitiesCode.ALREADY_LISTED)
    basis = (INDIVIDUAL_ABNORMAL_BASIS if list_type is ListType.ABNORMAL_STATUS else ABNORMAL_BASIS)[reason]
    listing = CreditListingRow(
        uscc=uscc,
        list_type=list_type,
        reason_code=reason,
        basis=basis,
        decision_org=decision_org,
        listed_on=listed_on,
        triggered_on=triggered_on,
    )
    session.add(listing)
    await session.flush()
    await _tell(session, listing, "ABNORMAL_LISTED", listed_on, objection_due(listing).due_on, at)
    return listing


async def _tell(
    session: AsyncSession, listing: CreditListingRow, notice: str, on: dt.date, act_by: dt.date | None, at: dt.datetime
) -> None:
    payload = PartyNotified(listing.uscc, notice, listing.id, on, act_by, listing.basis)
    await emit(session, PARTY_NOTIFIED, f"MarketEntity:{listing.uscc}", payload, at)


async def _active_abnormal(
    session: AsyncSession, uscc: str, reason: AbnormalReason, today: dt.date
) -> CreditListingRow:
    listing = await session.scalar(
        select(CreditListingRow).where(
            CreditListingRow.uscc == uscc,
            CreditListingRow.reason_code == reason,
            active_listing(ABNORMAL_TYPES, today),
        )
    )
    if listing is None:
        raise ClientError(f"{uscc} is not on the abnormal list for {reason}", code=EntitiesCode.NOT_LISTED)
    return listing


async def object_to_listing(
    session: AsyncSession, tree: OrgTree, uscc: str, listed_for: AbnormalReason, filed_on: dt.date, today: dt.date
) -> CreditListingRow:
    """Record the party's objection (异议) to an abnormal listing: once, within the window after the listing
    (企业经营异常名录管理暂行办法 2014 Art. 16); its acceptance and verification are then due (``abnormal_terms``)."""
    await lock_for_change(session, MarketEntityRow, uscc, "market entity")
    listing = await _active_abnormal(session, uscc, listed_for, today)
    _require_decider(session, tree.get(listing.decision_org), listing.decision_org)
    ensure_not_future(filed_on, "objection date", today)
    if filed_on < listing.listed_on:
        raise ClientError(
            f"objection date {filed_on.isoformat()} is before the listing ({listing.listed_on.isoformat()})",
            code=EntitiesCode.DATE_BEFORE_LISTING,
        )
    if listing.objection_filed_on is not None:
        raise ConflictError(
            f"{uscc} already objected to this listing on {listing.objection_filed_on.isoformat()}",
            code=EntitiesCode.OBJECTION_ALREADY_FILED,
        )
    window = objection_due(listing)
    if filed_on > window.due_on:
        raise ClientError(
            f"an objection to the listing of {listing.listed_on.isoformat()} was due by {window.due_on.isoformat()} "
            f"({window.rule.basis})",
            code=EntitiesCode.OBJECTION_OUT_OF_TIME,
            details={"dueBy": window.due_on.isoformat()},
        )
    listing.objection_filed_on = filed_on
    await session.flush()
    return listing


async def decide_objection(
    session: AsyncSession,
    tree: OrgTree,
    uscc: str,
    listed_for: AbnormalReason,
    decided_on: dt.date,
    upheld: bool,
    reason: str,
    today: dt.date,
    at: dt.datetime,
) -> CreditListingRow:
    """The bureau's decision on the party's objection (2014 办法 Art. 16: accepted within 5 working days, verified
    within 20): upheld, the listing was wrong and is removed; not upheld, it stands. Once; the party is told."""
    await lock_for_change(session, MarketEntityRow, uscc, "market entity")
    listing = await _active_abnormal(session, uscc, listed_for, today)
    _require_decider(session, tree.get(listing.decision_org), listing.decision_org)
    if listing.objection_filed_on is None:
        raise ClientError(f"{uscc} has not objected to this listing", code=EntitiesCode.NO_OBJECTION)
    if listing.objection_decided_on is not None:
        raise ConflictError(
            f"the objection of {uscc} was decided on {listing.objection_decided_on.isoformat()}",
            code=EntitiesCode.OBJECTION_ALREADY_DECIDED,
        )
    ensure_not_future(decided_on, "decision date", today)
    if decided_on < listing.objection_filed_on:
        raise ClientError(
            f"decision date {decided_on.isoformat()} is before the objection "
            f"({listing.objection_filed_on.isoformat()})",
            code=EntitiesCode.DECISION_BEFORE_OBJECTION,
        )
    text = reason.strip()
    if not text:
        raise ClientError("an objection decision states its reason", code=EntitiesCode.DECISION_REASON_REQUIRED)
    listing.objection_decided_on, listing.objection_upheld, listing.objection_reason = decided_on, upheld, text
    if upheld:
        listing.removed_on, listing.removal_reason = decided_on, RemovalReason.OBJECTION_UPHELD
    await session.flush()
    await _tell(session, listing, "OBJECTION_UPHELD" if upheld else "OBJECTION_REJECTED", decided_on, None, at)
    return listing


async def remove_abnormal_listing(
    session: AsyncSession,
    tree: OrgTree,
    uscc: str,
    listed_for: AbnormalReason,
    removed_on: dt.date,
    removal_reason: RemovalReason,
    today: dt.date,
    at: dt.datetime,
    cured_on: dt.date | None = None,
) -> CreditListingRow:
    """Remove an entity from the abnormal list (移出) once the ground is cured; ``cured_on`` (the cure and the
    application) starts the period for the decision (2014 办法 Art. 11–14). The party is told."""
    await lock_for_change(session, MarketEntityRow, uscc, "market entity")
    listing = await _active_abnormal(session, uscc, listed_for, today)
    _require_decider(session, tree.get(listing.decision_org), listing.decision_org)
    ensure_not_future(removed_on, "removal date", today)
    if removed_on < listing.listed_on:
        raise ClientError(
            f"removal date {removed_on.isoformat()} is before the listing date {listing.listed_on.isoformat()}",
            code=EntitiesCode.REMOVAL_BEFORE_LISTING,
        )
    if cured_on is not None and not listing.listed_on <= cured_on <= removed_on:
        raise ClientError(
            f"the cure ({cured_on.isoformat()}) lies between the listing ({listing.listed_on.isoformat()}) and the "
            f"removal ({removed_on.isoformat()})",
            code=EntitiesCode.CURE_OUTSIDE_LISTING,
        )
    cures = CURES[AbnormalReason(listed_for)]
    if removal_reason not in cures:
        raise ClientError(
            f"{removal_reason} does not cure {listed_for}; it is cured by {', '.join(sorted(cures))}",
            code=EntitiesCode.REMOVAL_REASON_MISMATCH,
        )
    listing.removed_on = removed_on
    listing.removal_reason = removal_reason
    listing.cured_on = cured_on
    await session.flush()
    await _tell(session, listing, "ABNORMAL_REMOVED", removed_on, None, at)
    return listing


async def notify_coming_escalations(session: AsyncSession, today: dt.date, at: dt.datetime) -> int:
    """Tell each enterprise whose 3 years on the abnormal list end within the notice window that it will move to the
    serious list (the 2016 measures' 60-day reminder; SAMR Order 44: told before listing). Idempotent: the day told
    is recorded. Returns how many were told."""
    period = default_rules().get("entities.abnormal_to_serious_after", on=today)
    notice = default_rules().get("entities.serious_escalation_notice", on=today)
    # N years less the notice are at least 365·N − notice days: a cheap superset in SQL, the exact test below.
    cutoff = today - dt.timedelta(days=365 * period.value - notice.value) if period.unit == "years" else today
    statement = select(CreditListingRow).where(
        active_listing(ListType.ABNORMAL, today),
        CreditListingRow.escalation_notice_on.is_(None),
        CreditListingRow.listed_on <= cutoff,
    )
    told = 0
    for listing in (await session.scalars(statement)).all():
        if today < escalation_notice_from(listing).due_on:
            continue
        listing.escalation_notice_on = today
        moves_on = max(escalation_day(listing).due_on, today + dt.timedelta(days=1))
        await _tell(session, listing, "SERIOUS_LISTING_COMING", today, moves_on, at)
        told += 1
    await session.flush()
    return told


async def escalate_abnormal_listings(session: AsyncSession, today: dt.date) -> int:
    """Move entities still on the abnormal list after 3 years to the serious list (企业信息公示暂行条例 Art. 17).

    The 3 years are counted per 民法典 Art. 201–202 from the day after the listing: listed on 10 March 2022, they run
    through 10 March 2025 and the entity moves on 11 March 2025 (满3年: the period has run out).

    Only the enterprises' list (ABNORMAL): an individual business's abnormal status is never escalated. Only an
    enterprise told beforehand (:func:`notify_coming_escalations`, on an earlier day) moves. Idempotent: the abnormal
    entry is closed with MOVED_TO_SERIOUS_LIST in the same transaction.
    """
    period = default_rules().get("entities.abnormal_to_serious_after", on=today)
    # N years are at least 365·N days: a cheap superset in SQL, the exact date test below.
    cutoff = today - dt.timedelta(days=365 * period.value) if period.unit == "years" else today
    statement = select(CreditListingRow).where(
        active_listing(ListType.ABNORMAL, today), CreditListingRow.listed_on <= cutoff
    )
    due = (await session.scalars(statement)).all()
    moved = 0
    for listing in due:
        if today < period.runs_out_after(listing.listed_on):
            continue
        if listing.escalation_notice_on is None or listing.escalation_notice_on >= today:
            continue  # not told yet: told first, moved on a later run
        listing.removed_on = today
        listing.removal_reason = RemovalReason.MOVED_TO_SERIOUS_LIST
        session.add(serious_listing(listing.uscc, SeriousReason.ABNORMAL_LIST_THREE_YEARS, today, listing.decision_org))
        moved += 1
    await session.flush()
    return moved

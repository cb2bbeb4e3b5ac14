"""Registering a market entity (设立登记): input checks, then the credit check at registration (登管联动, §2.5).

The credit check never rejects: a hit holds the registration for manual review with its reasons (§2.5 says
block only where a rule legally bars it; the station decides).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from kernel.errors import ClientError, Code, ConflictError, ErrorCode
from kernel.jobs.events import emit
from kernel.orgtree import OrgTree, OrgUnit
from kernel.uscc import Uscc, parse_uscc
from subgraphs.common.calendar import ensure_not_future
from subgraphs.common.events import PERMITS_NOTIFIED, PermitsNotified
from subgraphs.common.jurisdiction import UNSCOPED
from subgraphs.common.rules import default_rules
from subgraphs.entities.credit_lists import active_listing
from subgraphs.entities.dual_notice import PermitNotice, permits_needed
from subgraphs.entities.errors import EntitiesCode
from subgraphs.entities.models import (
    CreditListingRow,
    KeyPersonRow,
    MarketEntityRow,
    PersonRestrictionRow,
    RegistrationHoldRow,
)
from subgraphs.entities.persons import parse_id_document, parse_phone
from subgraphs.entities.vocabulary import (
    CATEGORY_OF_TYPE,
    KEY_PERSON_ROLES,
    LEGAL_REPRESENTATIVE_BAN_TYPES,
    EntityStatus,
    EntityType,
    HoldReason,
    IdDocumentType,
    KeyPersonRole,
    ListType,
    RestrictionKind,
)

MARKET_REGULATION = "9"
_LEGACY_REG_NO = re.compile(r"^\d{15}$")
RESTRICTION_RULES: dict[RestrictionKind, tuple[str, HoldReason]] = {
    RestrictionKind.REVOKED_ENTITY_REPRESENTATIVE: (
        "entities.revoked_entity_representative_ban",
        HoldReason.LEGAL_REP_REVOKED_ENTITY_BAN,
    ),
    RestrictionKind.FOOD_PERMIT_REVOKED: ("entities.food_permit_revocation_ban", HoldReason.LEGAL_REP_FOOD_PERMIT_BAN),
}
"""Bans that hold a registration for review; a false registration's bar refuses it (:func:`require_not_barred`)."""
FALSE_REGISTRATION_RULE = "entities.false_registration_ban"


@dataclass(frozen=True, slots=True)
class KeyPerson:
    """A checked key person: role, name and identity document (市场主体登记管理条例 Art. 9 (4), (7))."""

    role: KeyPersonRole
    name: str
    id_type: IdDocumentType
    id_number: str


@dataclass(frozen=True, slots=True)
class Application:
    """A registration application whose every field has been checked."""

    uscc: Uscc
    name: str
    entity_type: EntityType
    established_on: dt.date
    legal_rep_name: str
    legal_rep_id_type: IdDocumentType
    legal_rep_id_number: str
    legal_rep_phone: str
    domicile: str
    premises: str
    district: OrgUnit
    station: OrgUnit | None
    business_scope: str
    legacy_reg_no: str | None
    key_persons: tuple[KeyPerson, ...] = ()

    @property
    def persons(self) -> tuple[tuple[str, str], ...]:
        """(role, document number) of everyone named: the legal representative first."""
        others = tuple((person.role.value, person.id_number) for person in self.key_persons)
        return (("LEGAL_REPRESENTATIVE", self.legal_rep_id_number), *others)


@dataclass(frozen=True, slots=True)
class Hold:
    """One reason to hold a registration for review."""

    reason: HoldReason
    detail: str


def _text(value: str, field: str, code: ErrorCode, limit: int) -> str:
    text = value.strip()
    if not text:
        raise ClientError(f"{field} must not be empty", code=code)
    if len(text) > limit:
        raise ClientError(f"{field} has {len(text)} characters; at most {limit} are allowed", code=code)
    return text


def supervising_units(
    tree: OrgTree, premises: str, district_code: str | None, station_code: str | None
) -> tuple[OrgUnit, OrgUnit | None]:
    """District bureau and station (属地监管所) from the premises (经营场所), not the domicile (DOMAIN.md §9)."""
    district = None if district_code is None else tree.district(district_code)
    station = tree.station(station_code) if station_code is not None else tree.station_in_address(premises)
    if station is not None:
        station_district = tree.district_of(station)
        if district is not None and station_district.code != district.code:
            raise ClientError(
                f"station {station.code} ({station.area}) belongs to {station_district.area}, not {district.area}",
                code=EntitiesCode.STATION_NOT_IN_DISTRICT,
            )
        return station_district, station
    if district is not None and not tree.stations(district.code):  # 深汕: the district bureau supervises directly
        if not any(district.holds_premises(premises, region) for region in district.region_codes):
            towns = "、".join(town.names[0] for town in district.towns) or district.area
            raise ClientError(
                f"premises {premises!r} are not in the area of {district.name} ({district.area}: {towns}); "
                "name the town in the address",
                code=EntitiesCode.PREMISES_NOT_IN_DISTRICT,
            )
        return district, None
    raise ClientError(
        "cannot tell the supervising station from the premises address; "
        "name its 街道 in the address or give stationCode",
        code=Code.UNKNOWN_STATION,
    )


def check_application(
    tree: OrgTree,
    *,
    uscc: str,
    name: str,
    entity_type: EntityType,
    established_on: dt.date,
    legal_rep_name: str,
    legal_rep_id_number: str,
    legal_rep_phone: str,
    domicile: str,
    legal_rep_id_type: IdDocumentType = IdDocumentType.RESIDENT_ID,
    key_persons: Sequence[tuple[KeyPersonRole, str, IdDocumentType, str]] = (),
    premises: str,
    district_code: str | None,
    station_code: str | None,
    business_scope: str,
    legacy_reg_no: str | None,
    today: dt.date,
) -> Application:
    """Every input rule of a registration; the first violation raises a ClientError with its own code."""
    code = parse_uscc(uscc)
    if code.authority != MARKET_REGULATION:
        raise ClientError(
            f"USCC {code.code} was issued by registration authority {code.authority}; "
            "market regulation registers only codes starting with 9",
            code=EntitiesCode.ENTITY_TYPE_MISMATCH,
        )
    if code.category != CATEGORY_OF_TYPE[entity_type]:
        raise ClientError(
            f"USCC category {code.authority}{code.category} does not fit entity type {entity_type}, "
            f"which needs {code.authority}{CATEGORY_OF_TYPE[entity_type]}",
            code=EntitiesCode.ENTITY_TYPE_MISMATCH,
        )
    ensure_not_future(established_on, "establishment date", today)
    if legacy_reg_no is not None and not _LEGACY_REG_NO.match(legacy_reg_no):
        raise ClientError(
            "a legacy registration number (注册号) has 15 digits", code=EntitiesCode.INVALID_LEGACY_REG_NO
        )
    premises_text = _text(premises, "premises address", EntitiesCode.INVALID_ADDRESS, 300)
    district, station = supervising_units(tree, premises_text, district_code, station_code)
    return Application(
        uscc=code,
        name=_text(name, "name", EntitiesCode.INVALID_NAME, 200),
        entity_type=entity_type,
        established_on=established_on,
        legal_rep_name=_text(
            legal_rep_name, "legal representative's name", EntitiesCode.INVALID_LEGAL_REPRESENTATIVE, 100
        ),
        legal_rep_id_type=legal_rep_id_type,
        legal_rep_id_number=parse_id_document(legal_rep_id_type, legal_rep_id_number, entity_type),
        legal_rep_phone=parse_phone(legal_rep_phone),
        domicile=_text(domicile, "domicile address", EntitiesCode.INVALID_ADDRESS, 300),
        premises=premises_text,
        district=district,
        station=station,
        business_scope=_text(business_scope, "business scope", EntitiesCode.INVALID_BUSINESS_SCOPE, 4000),
        legacy_reg_no=legacy_reg_no,
        key_persons=tuple(_key_person(entity_type, *person) for person in key_persons),
    )


def _key_person(
    entity_type: EntityType, role: KeyPersonRole, name: str, id_type: IdDocumentType, id_number: str
) -> KeyPerson:
    role = KeyPersonRole(role)
    if role not in KEY_PERSON_ROLES[entity_type]:
        raise ClientError(
            f"a {entity_type.value} files no {role.value}: directors, supervisors and senior managers are filed by "
            "companies (市场主体登记管理条例 Art. 9 (4); 实施细则 Art. 7)",
            code=EntitiesCode.KEY_PERSON_ROLE_NOT_APPLICABLE,
            details={"role": role.value},
        )
    checked_name = _text(name, f"{role.value}'s name", EntitiesCode.INVALID_LEGAL_REPRESENTATIVE, 100)
    id_type = IdDocumentType(id_type)
    return KeyPerson(role, checked_name, id_type, parse_id_document(id_type, id_number, None))


async def require_not_barred(session: AsyncSession, application: Application, today: dt.date) -> None:
    """实施细则 Art. 71 ¶3 (条例 Art. 40 ¶3): the person directly responsible for a registration revoked as false may
    not apply again for 3 years from the revocation, counted per 民法典 Art. 201–202: ``REGISTRATION_BARRED``."""
    numbers = {number: role for role, number in reversed(application.persons)}
    restrictions = await session.scalars(
        select(PersonRestrictionRow)
        .where(
            PersonRestrictionRow.person_id_number.in_(sorted(numbers)),
            PersonRestrictionRow.kind == RestrictionKind.FALSE_REGISTRATION,
        )
        .order_by(PersonRestrictionRow.decided_on.desc())
    )
    for restriction in restrictions:
        rule = default_rules().get(FALSE_REGISTRATION_RULE, on=restriction.decided_on)
        last_day = rule.period_end(restriction.decided_on)
        if today <= last_day:
            role = numbers[restriction.person_id_number]
            raise ClientError(
                f"the {role.lower().replace('_', ' ')} may not apply for registration until after "
                f"{last_day.isoformat()}: the registration of {restriction.source_uscc} was revoked as false on "
                f"{restriction.decided_on.isoformat()} ({rule.basis})",
                code=EntitiesCode.REGISTRATION_BARRED,
                details={"role": role, "barredUntil": last_day.isoformat()},
            )


async def credit_holds(session: AsyncSession, application: Application, today: dt.date) -> tuple[Hold, ...]:
    """登管联动: the entity's own serious listing, its legal representative's serious-list entities and bans."""
    holds: list[Hold] = []
    own = await session.scalars(
        select(CreditListingRow).where(
            CreditListingRow.uscc == application.uscc.code, active_listing(ListType.SERIOUS, today)
        )
    )
    holds.extend(
        Hold(HoldReason.ENTITY_ON_SERIOUS_LIST, f"listed on {row.listed_on.isoformat()} ({row.basis})") for row in own
    )
    represented = await session.execute(  # anywhere in the city, whoever registers (登管联动 is city-wide)
        select(CreditListingRow.uscc, CreditListingRow.listed_on)
        .join(MarketEntityRow, MarketEntityRow.uscc == CreditListingRow.uscc)
        .where(
            MarketEntityRow.legal_rep_id_number == application.legal_rep_id_number,
            active_listing(ListType.SERIOUS, today),
        )
        .order_by(CreditListingRow.uscc),
        execution_options={UNSCOPED: True},
    )
    holds.extend(
        Hold(
            HoldReason.LEGAL_REP_OF_SERIOUS_LIST_ENTITY,
            f"the legal representative represents {uscc}, on the serious list since {listed_on.isoformat()}",
        )
        for uscc, listed_on in represented
    )
    restrictions = await session.scalars(
        select(PersonRestrictionRow)
        .where(PersonRestrictionRow.person_id_number == application.legal_rep_id_number)
        .order_by(PersonRestrictionRow.decided_on)
    )
    for restriction in restrictions:
        kind = RestrictionKind(restriction.kind)
        if kind is RestrictionKind.FALSE_REGISTRATION:
            continue  # a bar, not a hold: require_not_barred refused the application already
        if kind not in RESTRICTION_RULES:
            continue  # 食品安全法 Art. 135 ¶2 bars food management work, not registration (read live by permits)
        if kind is RestrictionKind.REVOKED_ENTITY_REPRESENTATIVE and (
            application.entity_type not in LEGAL_REPRESENTATIVE_BAN_TYPES
        ):
            continue  # Art. 12 bars the legal representatives of companies and non-company enterprise legal persons
        key, reason = RESTRICTION_RULES[kind]
        rule = default_rules().get(key, on=today)
        ends = rule.period_end(restriction.decided_on)  # 民法典 Art. 201–202: the last barred day
        if today <= ends:
            holds.append(
                Hold(
                    reason,
                    f"barred until {ends.isoformat()} after the {restriction.decided_on.isoformat()} decision on "
                    f"{restriction.source_uscc} ({rule.basis})",
                )
            )
    return tuple(holds)


async def register(
    session: AsyncSession, application: Application, today: dt.date, at: dt.datetime
) -> tuple[MarketEntityRow, tuple[Hold, ...], tuple[PermitNotice, ...]]:
    """Record the entity with its key persons; refused while a person named is barred (Art. 71), held for review
    when the credit check finds anything; 双告知: the permits its scope needs, told to the permit authority through
    the outbox and returned to tell the applicant."""
    registered = select(MarketEntityRow.uscc).where(MarketEntityRow.uscc == application.uscc.code)
    if await session.scalar(registered, execution_options={UNSCOPED: True}) is not None:
        raise ConflictError(
            f"an entity with USCC {application.uscc.code} is already registered", code=EntitiesCode.DUPLICATE_USCC
        )
    await require_not_barred(session, application, today)
    holds = await credit_holds(session, application, today)
    entity = MarketEntityRow(
        uscc=application.uscc.code,
        legacy_reg_no=application.legacy_reg_no,
        name=application.name,
        entity_type=application.entity_type,
        status=EntityStatus.EXISTING,
        suspended_until=None,
        established_on=application.established_on,
        legal_rep_name=application.legal_rep_name,
        legal_rep_id_type=application.legal_rep_id_type,
        legal_rep_id_number=application.legal_rep_id_number,
        legal_rep_phone=application.legal_rep_phone,
        domicile=application.domicile,
        premises=application.premises,
        district_code=application.district.code,
        station_code=None if application.station is None else application.station.code,
        business_scope=application.business_scope,
        held_for_review=bool(holds),
    )
    session.add(entity)
    try:
        await session.flush()
    except IntegrityError:  # registered by a concurrent request between the check above and this insert
        raise ConflictError(
            f"an entity with USCC {entity.uscc} is already registered", code=EntitiesCode.DUPLICATE_USCC
        ) from None
    session.add_all(
        RegistrationHoldRow(uscc=entity.uscc, reason_code=hold.reason, detail=hold.detail, raised_on=today)
        for hold in holds
    )
    session.add_all(key_person_rows(entity.uscc, application))
    await session.flush()
    notices = permits_needed(application.business_scope)
    if notices:
        payload = PermitsNotified(
            uscc=entity.uscc,
            name=entity.name,
            permits=tuple(notice.permit for notice in notices),
            scope_items=tuple(notice.scope_item for notice in notices),
            district_code=entity.district_code,
            station_code=entity.station_code,
            registered_on=today,
        )
        await emit(session, PERMITS_NOTIFIED, f"MarketEntity:{entity.uscc}", payload, at)
    return entity, holds, notices


def key_person_rows(uscc: str, application: Application) -> list[KeyPersonRow]:
    return [
        KeyPersonRow(uscc=uscc, role=person.role, name=person.name, id_type=person.id_type, id_number=person.id_number)
        for person in application.key_persons
    ]

"""GraphQL output types of the entities subgraph; other subgraphs extend ``MarketEntity @key(fields: "uscc")``."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import TYPE_CHECKING, Any

import strawberry

from kernel.errors import ForbiddenError
from kernel.orgtree import OrgLevel, OrgUnit
from kernel.roles import PersonalDataPurpose
from subgraphs.common.calendar import default_calendar
from subgraphs.common.context import RequestContext
from subgraphs.common.fields import field
from subgraphs.entities import food_bans
from subgraphs.entities.abnormal_terms import Term, terms
from subgraphs.entities.credit_lists import is_active
from subgraphs.entities.loaders import EntityLoaders
from subgraphs.entities.models import (
    CreditListingRow,
    KeyPersonRow,
    MarketEntityRow,
    RegistrationHoldRow,
    RegistryChangeRow,
    SuspensionRow,
)
from subgraphs.entities.personal_data import reveals_personal_data
from subgraphs.entities.persons import mask_id_number, mask_phone
from subgraphs.entities.services import EntityServices
from subgraphs.entities.vocabulary import (
    ABNORMAL_TYPES,
    AbnormalReason,
    EntityStatus,
    EntityType,
    HoldReason,
    IdDocumentType,
    KeyPersonRole,
    ListType,
    RemovalReason,
    RestrictionKind,
    SeriousReason,
    SuspensionEnd,
)

if TYPE_CHECKING:
    Info = strawberry.Info[RequestContext[EntityLoaders, EntityServices], None]
else:
    Info = strawberry.Info

strawberry.enum(EntityStatus, description="Registration status (登记状态), DOMAIN.md §2.2.")
strawberry.enum(EntityType, description="Entity type (市场主体类型), 市场主体登记管理条例 Art. 2.")
strawberry.enum(
    ListType,
    description="Credit list: ABNORMAL 经营异常名录 (enterprises), ABNORMAL_STATUS 经营异常状态 (individual "
    "businesses), SERIOUS 严重违法失信名单.",
)
strawberry.enum(AbnormalReason, description="Listing ground of the abnormal operations list (企业信息公示暂行条例).")
strawberry.enum(RemovalReason, description="Why a listing ended.")
strawberry.enum(SuspensionEnd, description="How a suspension (歇业) ended (实施细则 Art. 42).")
strawberry.enum(SeriousReason, description="Why an entity is on the serious violation list (SAMR Order No. 44).")
strawberry.enum(HoldReason, description="Why a registration waits for manual review (登管联动).")
strawberry.enum(RestrictionKind, description="A ban on a person (任职/从业限制) and the law it comes from.")
strawberry.enum(
    KeyPersonRole, description="A key person's role (市场主体登记管理条例 Art. 9 (4), (7); DOMAIN.md §2.5)."
)
strawberry.enum(
    IdDocumentType,
    description="Identity document of a natural person (实施细则 Art. 24): resident ID, the permits and residence "
    "permit of residents of Hong Kong, Macao and Taiwan, a foreign passport or permanent residence card.",
)
strawberry.enum(OrgLevel, description="Level of a supervision org unit: 市局, 辖区局, 监管所.")
strawberry.enum(
    PersonalDataPurpose,
    description="Why personal data is asked for unmasked; each role may state only its own purposes (schema/roles.md).",
)


@strawberry.enum(description="Warnings an officer sees at a glance (信用预警).")
class CreditFlag(Enum):
    ON_ABNORMAL_LIST = "ON_ABNORMAL_LIST"
    IN_ABNORMAL_STATUS = "IN_ABNORMAL_STATUS"
    """An individual business marked 经营异常状态 (个体工商户年度报告暂行办法 Art. 13–14)."""
    ON_SERIOUS_LIST = "ON_SERIOUS_LIST"
    LICENCE_REVOKED = "LICENCE_REVOKED"
    REGISTRATION_HELD = "REGISTRATION_HELD"


_LIST_FLAGS = (
    (ListType.ABNORMAL, CreditFlag.ON_ABNORMAL_LIST),
    (ListType.ABNORMAL_STATUS, CreditFlag.IN_ABNORMAL_STATUS),
    (ListType.SERIOUS, CreditFlag.ON_SERIOUS_LIST),
)


@strawberry.type(description="One 歇业 filing (市场主体登记管理条例 Art. 30; 实施细则 Art. 40–42).")
class Suspension:
    filed_on: dt.date
    starts_on: dt.date
    until: dt.date = strawberry.field(description="Last day as filed.")
    ended_on: dt.date | None = strawberry.field(description="Last day actually suspended; null while filed or running.")
    end_reason: SuspensionEnd | None

    @classmethod
    def from_row(cls, row: SuspensionRow) -> Suspension:
        return cls(
            filed_on=row.filed_on,
            starts_on=row.starts_on,
            until=row.until,
            ended_on=row.ended_on,
            end_reason=SuspensionEnd(row.end_reason) if row.end_reason else None,
        )


@strawberry.type(description="A person filed besides the legal representative; the document number is masked.")
class KeyPerson:
    role: KeyPersonRole
    name: str
    id_type: IdDocumentType
    id_number: str = strawberry.field(description="Masked (4403**********1234; H1******78).")

    @classmethod
    def from_row(cls, row: KeyPersonRow) -> KeyPerson:
        return cls(
            role=KeyPersonRole(row.role),
            name=row.name,
            id_type=IdDocumentType(row.id_type),
            id_number=mask_id_number(row.id_number),
        )


@strawberry.type(description="A change of registered items as filed (市场主体登记管理条例 Art. 24: within 30 days).")
class RegistryChange:
    ref: str
    changed_on: dt.date = strawberry.field(description="The day of the resolution or of the legal change.")
    filed_on: dt.date
    due_on: dt.date = strawberry.field(description="The last day to file (30 days, 民法典 Art. 201–203).")
    filed_late: bool = strawberry.field(description="Filed after dueOn: 实施细则 Art. 72 (责令改正) applies.")
    rule: str = strawberry.field(description="The rule version the deadline comes from.")

    @classmethod
    def from_row(cls, row: RegistryChangeRow) -> RegistryChange:
        return cls(
            ref=row.ref,
            changed_on=row.changed_on,
            filed_on=row.filed_on,
            due_on=row.due_on,
            filed_late=row.filed_late,
            rule=row.rule,
        )


@strawberry.type(name="OrgUnit", description="A supervision org unit (市局 / 辖区局 / 监管所) of the 1+11+74 tree.")
class OrgUnitType:
    code: str
    name: str
    area: str
    level: OrgLevel
    path: str = strawberry.field(description="Codes from the city down, e.g. 440300/440304/440304009.")

    @classmethod
    def from_unit(cls, unit: OrgUnit) -> OrgUnitType:
        return cls(code=unit.code, name=unit.name, area=unit.area, level=unit.level, path=unit.path)


@strawberry.type(
    description="The legal representative (法定代表人 / 负责人); personal data is masked unless the caller states a "
    "purpose its role may give."
)
class LegalRepresentative:
    name: str
    id_type: IdDocumentType = strawberry.field(description="The identity document shown (实施细则 Art. 24).")
    uscc: strawberry.Private[str]
    full_id_number: strawberry.Private[str]
    full_phone: strawberry.Private[str]

    @field(
        "Identity document number, masked (4403**********1234; H1******78) unless the caller states a purpose its "
        "role may give; such reads are audited with the purpose."
    )
    async def id_number(self, info: Info, purpose: PersonalDataPurpose | None = None) -> str:
        if not await _reveal(info, self.uscc, "idNumber", purpose):
            return mask_id_number(self.full_id_number)
        return self.full_id_number

    @field(
        "Phone number, masked (138****5678) unless the caller states a purpose its role may give; such reads are "
        "audited with the purpose."
    )
    async def phone(self, info: Info, purpose: PersonalDataPurpose | None = None) -> str:
        if not await _reveal(info, self.uscc, "phone", purpose):
            return mask_phone(self.full_phone)
        return self.full_phone


async def _reveal(info: Info, uscc: str, field_name: str, purpose: PersonalDataPurpose | None) -> bool:
    """True when a purpose is stated (the read is then audited); FORBIDDEN when the caller's roles may not state it."""
    caller = info.context.caller
    if caller is None or purpose is None:
        return False
    purpose = PersonalDataPurpose(purpose)
    if not reveals_personal_data(info.context.jurisdiction.roles, caller, purpose):
        allowed = sorted(info.context.jurisdiction.roles.purposes[purpose].roles)
        raise ForbiddenError(
            f"the purpose {purpose} may be stated by {', '.join(allowed)}, not by your roles; ask without a purpose "
            "for the masked value",
            details={"purpose": purpose.value},
        )
    await info.context.loaders.personal_data_reads.load((uscc, field_name, caller, purpose))
    return True


@strawberry.type(
    description="A date that matters to a listing, with the rule it comes from: its legal basis and, where editions "
    "differ, the edition (企业经营异常名录管理暂行办法 2014, 企业信息公示暂行条例 as revised in 2024, SAMR Order 44)."
)
class ListingTerm:
    key: str = strawberry.field(
        description="The rule: entities.abnormal_listing_decision (the bureau's last day to list), "
        "entities.abnormal_objection_window (last day to object), "
        "entities.abnormal_objection_acceptance / _verification (the bureau's last days), "
        "entities.abnormal_removal_decision (last day to remove after the cure), entities.serious_escalation_notice "
        "(first day of the notice window), entities.abnormal_to_serious_after (the day it moves to the serious list)."
    )
    due_on: dt.date
    basis: str
    edition: str | None
    provisional: bool = strawberry.field(description="Past the last published holiday notice: Monday–Friday only.")

    @classmethod
    def from_term(cls, term: Term) -> ListingTerm:
        provisional = term.rule.unit == "working_days" and default_calendar().is_provisional(term.due_on)
        return cls(
            key=term.key, due_on=term.due_on, basis=term.rule.basis, edition=term.rule.edition, provisional=provisional
        )


@strawberry.type(description="One entry on a credit list (信用名单), DOMAIN.md §2.3–2.4.")
class CreditListing:
    id: strawberry.ID
    list_type: ListType
    reason_code: str = strawberry.field(description="An AbnormalReason or SeriousReason value.")
    basis: str
    decision_org_code: str
    listed_on: dt.date
    earliest_removal_on: dt.date | None = strawberry.field(
        description="First day early removal may be asked: the day after the 1 year counted from the day after "
        "listing (民法典 Art. 201–202)."
    )
    auto_expiry_on: dt.date | None = strawberry.field(
        description="First day off the list by itself: the day after the last day of its term (3 years from the day "
        "after listing, 民法典 Art. 201–202)."
    )
    removed_on: dt.date | None
    removal_reason: RemovalReason | None
    triggered_on: dt.date | None = strawberry.field(description="The day the ground was established.")
    cured_on: dt.date | None = strawberry.field(description="The day the party cured the ground and applied.")
    objection_filed_on: dt.date | None = strawberry.field(description="The day the party objected (异议).")
    objection_decided_on: dt.date | None = strawberry.field(description="The day the bureau decided the objection.")
    objection_upheld: bool | None = strawberry.field(description="The objection was upheld (the listing removed).")
    escalation_notice_on: dt.date | None = strawberry.field(
        description="The day the enterprise was told it will move to the serious list."
    )
    terms: list[ListingTerm] = strawberry.field(
        description="The dates that matter to an abnormal entry now, each with its rule, basis and edition."
    )
    active: bool = strawberry.field(description="Neither removed nor expired today.")

    @classmethod
    def from_row(cls, row: CreditListingRow, today: dt.date) -> CreditListing:
        return cls(
            id=strawberry.ID(str(row.id)),
            list_type=ListType(row.list_type),
            reason_code=row.reason_code,
            basis=row.basis,
            decision_org_code=row.decision_org,
            listed_on=row.listed_on,
            earliest_removal_on=row.earliest_removal_on,
            auto_expiry_on=row.auto_expiry_on,
            removed_on=row.removed_on,
            removal_reason=None if row.removal_reason is None else RemovalReason(row.removal_reason),
            triggered_on=row.triggered_on,
            cured_on=row.cured_on,
            objection_filed_on=row.objection_filed_on,
            objection_decided_on=row.objection_decided_on,
            objection_upheld=row.objection_upheld,
            escalation_notice_on=row.escalation_notice_on,
            terms=[ListingTerm.from_term(term) for term in terms(row)],
            active=is_active(row, today),
        )


@strawberry.type(description="A reason a registration is held for manual review.")
class RegistrationHold:
    reason: HoldReason
    detail: str
    raised_on: dt.date

    @classmethod
    def from_row(cls, row: RegistrationHoldRow) -> RegistrationHold:
        return cls(reason=HoldReason(row.reason_code), detail=row.detail, raised_on=row.raised_on)


@strawberry.type(
    description="A 食品安全法 Art. 135 ban in force today on the entity's legal representative, read live from the "
    "restrictions on record (a ban recorded after the registration counts; one that has ended is not listed)."
)
class FoodSafetyBan:
    kind: RestrictionKind = strawberry.field(
        description="FOOD_PERMIT_REVOKED: ¶1, 5 years from the revocation decision; FOOD_SAFETY_CRIME: ¶2, for life."
    )
    person: str = strawberry.field(
        description="Whose ban: LEGAL_REPRESENTATIVE, or the role of a key person who manages the business "
        "(DIRECTOR, SENIOR_MANAGER)."
    )
    decided_on: dt.date = strawberry.field(description="The penalty decision or judgment the ban runs from.")
    last_day: dt.date | None = strawberry.field(
        description="The last day the ban holds (民法典 Art. 201–202: counted from the day after the decision); "
        "null for a lifetime ban."
    )
    basis: str
    rule_version: str

    @classmethod
    def of(cls, ban: food_bans.FoodSafetyBan) -> FoodSafetyBan:
        return cls(
            kind=ban.kind,
            person=ban.person,
            decided_on=ban.decided_on,
            last_day=ban.last_day,
            basis=ban.basis,
            rule_version=ban.rule_version,
        )


@strawberry.federation.type(
    keys=["uscc"], description="A market entity (市场主体), keyed by its USCC.", authenticated=True
)
class MarketEntity:
    uscc: str = strawberry.field(description="Unified Social Credit Code (统一社会信用代码), GB 32100-2015.")
    legacy_reg_no: str | None = strawberry.field(description="Pre-2015 15-digit registration number (注册号).")
    name: str
    entity_type: EntityType
    status: EntityStatus
    suspended_until: dt.date | None = strawberry.field(description="Last day of 歇业, at most 3 years (Art. 30).")
    established_on: dt.date
    legal_representative: LegalRepresentative
    domicile: str = strawberry.field(description="Registered domicile (住所).")
    premises: str = strawberry.field(description="Place of business (经营场所); decides the supervising station.")
    business_scope: str
    held_for_review: bool = strawberry.field(description="Registration held by the credit check (登管联动).")
    district_code: str
    station_code: str | None

    @field("登记管理部门代码, USCC position 1 (9 = market regulation).")
    def registration_authority_code(self) -> str:
        return self.uscc[0]

    @field("机构类别代码, USCC position 2.")
    def category_code(self) -> str:
        return self.uscc[1]

    @field("GB/T 2260 code of the registering authority, USCC positions 3–8.")
    def registration_region_code(self) -> str:
        return self.uscc[2:8]

    @field("The district bureau (辖区局) that supervises the premises.")
    def district(self, info: Info) -> OrgUnitType:
        return OrgUnitType.from_unit(info.context.services.org_tree.district(self.district_code))

    @field("The supervising station (属地监管所); null where the bureau supervises directly.")
    def station(self, info: Info) -> OrgUnitType | None:
        if self.station_code is None:
            return None
        return OrgUnitType.from_unit(info.context.services.org_tree.station(self.station_code))

    @field("The supervising unit (属地监管): the station, or the district bureau where it supervises directly.")
    def supervising_org(self, info: Info) -> OrgUnitType:
        tree = info.context.services.org_tree
        unit = tree.district(self.district_code) if self.station_code is None else tree.station(self.station_code)
        return OrgUnitType.from_unit(unit)

    @field(
        "Abnormal operations list entries (经营异常名录) or, for an individual business, abnormal-status marks "
        "(经营异常状态), oldest first; listType tells which."
    )
    async def abnormal_listings(self, info: Info, include_removed: bool = True) -> list[CreditListing]:
        return await self._listings(info, ABNORMAL_TYPES, include_removed)

    @field("Serious violation list entries (严重违法失信名单), oldest first.")
    async def serious_listings(self, info: Info, include_removed: bool = True) -> list[CreditListing]:
        return await self._listings(info, ListType.SERIOUS, include_removed)

    @field("Credit warnings in force today.")
    async def credit_flags(self, info: Info) -> list[CreditFlag]:
        today = info.context.services.today()
        listings = await info.context.loaders.listings.load(self.uscc)
        active = {row.list_type for row in listings if is_active(row, today)}
        flags = [flag for list_type, flag in _LIST_FLAGS if list_type in active]
        if self.status is EntityStatus.REVOKED_NOT_DEREGISTERED:
            flags.append(CreditFlag.LICENCE_REVOKED)
        if self.held_for_review:
            flags.append(CreditFlag.REGISTRATION_HELD)
        return flags

    @field("Suspensions of business (歇业) filed, oldest first: filed before they start, 3 years in total at most.")
    async def suspensions(self, info: Info) -> list[Suspension]:
        return [Suspension.from_row(row) for row in await info.context.loaders.suspensions.load(self.uscc)]

    @field(
        "食品安全法 Art. 135 bans in force today on the legal representative and the key persons who manage the "
        "business (directors, senior managers), read live (not the registration's snapshot): 5 years after a "
        "revocation (¶1), for life after a food-safety crime sentence (¶2)."
    )
    async def food_safety_bans(self, info: Info) -> list[FoodSafetyBan]:
        today, loaders = info.context.services.today(), info.context.loaders
        managers = [row for row in await loaders.key_persons.load(self.uscc) if row.role in food_bans.MANAGERS]
        persons = [(food_bans.LEGAL_REPRESENTATIVE, self.legal_representative.full_id_number)]
        persons += [(row.role, row.id_number) for row in managers]
        found = await loaders.food_restrictions.load_many([id_number for _, id_number in persons])
        bans = (
            food_bans.ban_in_force(row, today, person=person)
            for (person, _), restrictions in zip(persons, found, strict=True)
            for row in restrictions
        )
        return [FoodSafetyBan.of(ban) for ban in bans if ban is not None]

    @field("Key persons besides the legal representative (董事/监事/高级管理人员, 登记联络员, 财务负责人), as filed.")
    async def key_persons(self, info: Info) -> list[KeyPerson]:
        return [KeyPerson.from_row(row) for row in await info.context.loaders.key_persons.load(self.uscc)]

    @field("Changes of registered items filed with the day of their change, oldest first; late ones say so.")
    async def registry_changes(self, info: Info) -> list[RegistryChange]:
        return [RegistryChange.from_row(row) for row in await info.context.loaders.registry_changes.load(self.uscc)]

    @field("Why the registration is held, if it is.")
    async def hold_reasons(self, info: Info) -> list[RegistrationHold]:
        return [RegistrationHold.from_row(row) for row in await info.context.loaders.holds.load(self.uscc)]

    async def _listings(
        self, info: Info, list_type: ListType | frozenset[ListType], include_removed: bool
    ) -> list[CreditListing]:
        types = {list_type} if isinstance(list_type, ListType) else list_type
        today = info.context.services.today()
        rows = await info.context.loaders.listings.load(self.uscc)
        return [
            CreditListing.from_row(row, today)
            for row in rows
            if row.list_type in types and (include_removed or is_active(row, today))
        ]

    @classmethod
    async def resolve_reference(cls, info: Info, uscc: str) -> MarketEntity | None:
        """Federation ``_entities``: DataLoader-backed, so N representations cost one query; null outside the
        caller's jurisdiction (the request session reads no other rows)."""
        row = await info.context.loaders.entity.load(uscc)
        return None if row is None else cls.from_row(row)

    @classmethod
    async def resolve_references(cls, info: Info, keys: list[dict[str, Any]]) -> list[MarketEntity | None]:
        """Every ``MarketEntity`` representation of one ``_entities`` call in one loader batch (see
        :meth:`SubgraphSchema.entities_resolver`)."""
        rows = await info.context.loaders.entity.load_many([str(key["uscc"]) for key in keys])
        return [None if row is None else cls.from_row(row) for row in rows]

    @classmethod
    def from_row(cls, row: MarketEntityRow) -> MarketEntity:
        return cls(
            uscc=row.uscc,
            legacy_reg_no=row.legacy_reg_no,
            name=row.name,
            entity_type=EntityType(row.entity_type),
            status=EntityStatus(row.status),
            suspended_until=row.suspended_until,
            established_on=row.established_on,
            legal_representative=LegalRepresentative(
                name=row.legal_rep_name,
                id_type=IdDocumentType(row.legal_rep_id_type),
                uscc=row.uscc,
                full_id_number=row.legal_rep_id_number,
                full_phone=row.legal_rep_phone,
            ),
            domicile=row.domicile,
            premises=row.premises,
            business_scope=row.business_scope,
            held_for_review=row.held_for_review,
            district_code=row.district_code,
            station_code=row.station_code,
        )

"""Write side of the entities subgraph: registration with the credit check, and the abnormal operations list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from enum import Enum
from typing import Any

import strawberry

from kernel.errors import ClientError
from subgraphs.common.fields import Target, mutation
from subgraphs.common.imports import ImportOutcome, import_each
from subgraphs.entities.credit_lists import (
    add_abnormal_listing,
    decide_objection,
    object_to_listing,
    remove_abnormal_listing,
)
from subgraphs.entities.errors import EntitiesCode
from subgraphs.entities.models import MarketEntityRow
from subgraphs.entities.registration import Application, check_application, register
from subgraphs.entities.registry_changes import deregister, record_change
from subgraphs.entities.suspension import resume, suspend
from subgraphs.entities.types import CreditListing, Info, MarketEntity, RegistrationHold
from subgraphs.entities.vocabulary import AbnormalReason, EntityType, IdDocumentType, KeyPersonRole, RemovalReason


@strawberry.input(
    description="The legal representative as registered, with the identity document shown (实施细则 Art. 24): a GB "
    "11643 resident ID by default; the permits of residents of Hong Kong, Macao and Taiwan, or a foreigner's passport "
    "or permanent residence card where the entity type accepts them."
)
class LegalRepresentativeInput:
    name: str
    id_number: str
    phone: str
    id_type: IdDocumentType = IdDocumentType.RESIDENT_ID


@strawberry.input(
    description="A person filed besides the legal representative (市场主体登记管理条例 Art. 9 (4), (7)): directors, "
    "supervisors and senior managers of a company, the registration liaison (every type), the finance officer."
)
class KeyPersonInput:
    role: KeyPersonRole
    name: str
    id_number: str
    id_type: IdDocumentType = IdDocumentType.RESIDENT_ID


@strawberry.input(description="A registration (设立登记) with its USCC already issued.")
class RegisterEntityInput:
    uscc: str
    name: str
    entity_type: EntityType
    established_on: dt.date
    legal_representative: LegalRepresentativeInput
    domicile: str
    premises: str = strawberry.field(description="Place of business; its 街道 decides the supervising station.")
    business_scope: str
    district_code: str | None = None
    station_code: str | None = strawberry.field(default=None, description="Overrides the station read from premises.")
    legacy_reg_no: str | None = None
    key_persons: list[KeyPersonInput] = strawberry.field(
        default_factory=list,
        description="Key persons besides the legal representative; a change that sends some replaces them.",
    )


@strawberry.type(description="双告知: a permit or filing the business scope needs; the permit authority is told too.")
class PermitNotice:
    permit: str = strawberry.field(description="The permit kind: JY, SC or PREPACK_FILING.")
    scope_item: str
    basis: str


@strawberry.enum
class RegistrationOutcome(Enum):
    REGISTERED = "REGISTERED"
    HELD_FOR_REVIEW = "HELD_FOR_REVIEW"


@strawberry.type
class RegisterEntityPayload:
    outcome: RegistrationOutcome
    entity: MarketEntity
    hold_reasons: list[RegistrationHold]
    warnings: list[str] = strawberry.field(description="Soft-check findings that did not stop the registration.")
    permit_notices: list[PermitNotice] = strawberry.field(
        description="双告知: the permits and filings the scope needs, told to the applicant and the permit authority."
    )


@strawberry.input(description="List an entity as abnormal (列入经营异常名录).")
class AddToAbnormalListInput:
    uscc: str
    reason: AbnormalReason
    listed_on: dt.date
    decision_org_code: str | None = strawberry.field(
        default=None, description="Deciding org unit; defaults to the entity's district bureau."
    )
    triggered_on: dt.date | None = strawberry.field(
        default=None,
        description="The day the ground was established (report deadline or ordered deadline passed, verification); "
        "the decision is due 10 working days on (企业经营异常名录管理暂行办法 2014 Art. 6–9).",
    )


@strawberry.input(description="Remove an entity from the abnormal list (移出经营异常名录) once the ground is cured.")
class RemoveFromAbnormalListInput:
    uscc: str
    listed_for: AbnormalReason
    removed_on: dt.date
    removal_reason: RemovalReason
    cured_on: dt.date | None = strawberry.field(
        default=None,
        description="The day the party cured the ground and applied; the decision is due 5 working days on "
        "(企业经营异常名录管理暂行办法 2014 Art. 11–14).",
    )


@strawberry.input(description="The party's objection to an abnormal listing (异议, 2014 办法 Art. 16).")
class ObjectToAbnormalListingInput:
    uscc: str
    listed_for: AbnormalReason
    filed_on: dt.date = strawberry.field(description="The day the objection was received; within 30 days of listing.")


@strawberry.input(description="File a suspension of business (歇业备案), at most 3 years (登记条例 Art. 30).")
class SuspendEntityInput:
    uscc: str
    starts_on: dt.date
    until: dt.date = strawberry.field(description="Last day of the suspension.")


@strawberry.input(description="A resumption of business after 歇业 (实施细则 Art. 42).")
class ResumeEntityInput:
    uscc: str
    resumed_on: dt.date = strawberry.field(description="First day of business again; not in the future.")


@strawberry.type(description="The entity after the change.")
class MarketEntityPayload:
    entity: MarketEntity


@strawberry.type(description="The listing changed and its entity.")
class CreditListingPayload:
    listing: CreditListing
    entity: MarketEntity


@strawberry.enum(description="A registry act (登记事项): establishment, change or deregistration.")
class RegistryChangeKind(Enum):
    ESTABLISH = "ESTABLISH"
    CHANGE = "CHANGE"
    DEREGISTER = "DEREGISTER"


@strawberry.input(description="One act of the commercial registry, as its change log numbers it.")
class RegistryChangeInput:
    ref: str = strawberry.field(description="The registry's change number (echoed in the outcome).")
    kind: RegistryChangeKind
    uscc: str
    effective_on: dt.date
    registration: RegisterEntityInput | None = strawberry.field(
        default=None, description="The registered items after the act (ESTABLISH and CHANGE)."
    )
    changed_on: dt.date | None = strawberry.field(
        default=None,
        description="CHANGE: the day of the resolution or of the legal change; the filing (effectiveOn) is due within "
        "30 days of it (市场主体登记管理条例 Art. 24), and a later one is kept as filed late.",
    )


@strawberry.input(description="One abnormal-list decision to import, with the sender's reference.")
class AbnormalListingImport:
    ref: str
    listing: AddToAbnormalListInput


def _entity(arguments: Mapping[str, Any]) -> str:
    """The USCC an entity mutation names in its input (upper-cased, as stored)."""
    return str(arguments["input"].uscc).upper()


ENTITY = Target(MarketEntityRow, _entity)


@strawberry.type
class Mutation:
    @mutation(
        "Register an entity; a credit-check hit holds it for review with the reasons.",
        action="entities.register_entity",
    )
    async def register_entity(self, info: Info, input: RegisterEntityInput) -> RegisterEntityPayload:
        services = info.context.services
        today = services.today()
        application = _application(info, input)
        entity, holds, notices = await register(info.context.session, application, today, services.now())
        return RegisterEntityPayload(
            outcome=RegistrationOutcome.HELD_FOR_REVIEW if holds else RegistrationOutcome.REGISTERED,
            entity=MarketEntity.from_row(entity),
            hold_reasons=[RegistrationHold(reason=h.reason, detail=h.detail, raised_on=today) for h in holds],
            warnings=list(application.uscc.warnings),
            permit_notices=[PermitNotice(permit=n.permit, scope_item=n.scope_item, basis=n.basis) for n in notices],
        )

    @mutation(
        "Record the registry's acts (设立/变更/注销) in order, each on its own (legacy registry sync).",
        action="entities.record_registry_changes",
    )
    async def record_registry_changes(self, info: Info, changes: list[RegistryChangeInput]) -> list[ImportOutcome]:
        context = info.context

        async def apply(change: RegistryChangeInput) -> object:
            if change.kind is RegistryChangeKind.DEREGISTER:
                services = context.services
                on = change.effective_on
                return await deregister(context.session, change.uscc.upper(), on, services.today(), services.now())
            if change.registration is None or change.registration.uscc.upper() != change.uscc.upper():
                raise ClientError(
                    f"change {change.ref}: {change.kind.value} needs the registration of {change.uscc}",
                    details={"field": "registration"},
                )
            application = _application(info, change.registration)
            services = context.services
            if change.kind is RegistryChangeKind.ESTABLISH:
                return await register(context.session, application, services.today(), services.now())
            return await record_change(
                context.session,
                application,
                ref=change.ref,
                filed_on=change.effective_on,
                changed_on=change.changed_on,
                today=services.today(),
            )

        duplicates = frozenset({EntitiesCode.DUPLICATE_USCC, EntitiesCode.ALREADY_DEREGISTERED})
        return await import_each(context.session, changes, lambda change: change.ref, apply, duplicates)

    @mutation(
        "List many entities as abnormal, each on its own (legacy exchange import).",
        action="entities.import_abnormal_listings",
    )
    async def import_abnormal_listings(self, info: Info, listings: list[AbnormalListingImport]) -> list[ImportOutcome]:
        context = info.context
        services = context.services

        async def apply(item: AbnormalListingImport) -> object:
            listing = item.listing
            uscc, on, org = listing.uscc.upper(), listing.listed_on, listing.decision_org_code
            return await add_abnormal_listing(
                context.session,
                services.org_tree,
                uscc,
                listing.reason,
                on,
                org,
                services.today(),
                services.now(),
                triggered_on=listing.triggered_on,
            )

        duplicates = frozenset({EntitiesCode.ALREADY_LISTED})
        return await import_each(context.session, listings, lambda item: item.ref, apply, duplicates)

    @mutation(
        "File an existing entity's suspension of business (歇业), from today or a later start (filed before it "
        "starts, 实施细则 Art. 41) until a date that keeps all its suspensions within 3 years (Art. 42).",
        action="entities.suspend_entity",
        target=ENTITY,
    )
    async def suspend_entity(self, info: Info, input: SuspendEntityInput) -> MarketEntityPayload:
        services = info.context.services
        entity = await suspend(info.context.session, input.uscc.upper(), input.starts_on, input.until, services.today())
        return MarketEntityPayload(entity=MarketEntity.from_row(entity))

    @mutation(
        "Record that a suspended entity resumed business (公示终止歇业, 实施细则 Art. 42): its suspension ends the day "
        "before, or is withdrawn if it had not started.",
        action="entities.resume_entity",
        target=ENTITY,
    )
    async def resume_entity(self, info: Info, input: ResumeEntityInput) -> MarketEntityPayload:
        services = info.context.services
        entity = await resume(info.context.session, input.uscc.upper(), input.resumed_on, services.today())
        return MarketEntityPayload(entity=MarketEntity.from_row(entity))

    @mutation(
        "Put an entity on the abnormal operations list for one ground, as a decision of a bureau above it that the "
        "caller belongs to (by default its district bureau).",
        action="entities.add_to_abnormal_list",
        target=ENTITY,
    )
    async def add_to_abnormal_list(self, info: Info, input: AddToAbnormalListInput) -> CreditListingPayload:
        services = info.context.services
        today = services.today()
        listing = await add_abnormal_listing(
            info.context.session,
            services.org_tree,
            input.uscc.upper(),
            input.reason,
            input.listed_on,
            input.decision_org_code,
            today,
            services.now(),
            triggered_on=input.triggered_on,
        )
        return await _payload(info, listing.uscc, CreditListing.from_row(listing, today))

    @mutation(
        "Take an entity off the abnormal list; the removal reason must cure the ground.",
        action="entities.remove_from_abnormal_list",
        target=ENTITY,
    )
    async def remove_from_abnormal_list(self, info: Info, input: RemoveFromAbnormalListInput) -> CreditListingPayload:
        services = info.context.services
        today = services.today()
        listing = await remove_abnormal_listing(
            info.context.session,
            services.org_tree,
            input.uscc.upper(),
            input.listed_for,
            input.removed_on,
            input.removal_reason,
            today,
            services.now(),
            cured_on=input.cured_on,
        )
        return await _payload(info, listing.uscc, CreditListing.from_row(listing, today))

    @mutation(
        "Record the party's objection to an abnormal listing, within 30 days of it (2014 办法 Art. 16); its "
        "acceptance (5 working days) and verification (20) are then due, shown in the listing's terms.",
        action="entities.object_to_abnormal_listing",
        target=ENTITY,
    )
    async def object_to_abnormal_listing(self, info: Info, input: ObjectToAbnormalListingInput) -> CreditListingPayload:
        services = info.context.services
        today = services.today()
        listing = await object_to_listing(
            info.context.session, services.org_tree, input.uscc.upper(), input.listed_for, input.filed_on, today
        )
        return await _payload(info, listing.uscc, CreditListing.from_row(listing, today))

    @mutation(
        "Record the bureau's decision on the party's objection (2014 办法 Art. 16: accepted within 5 working days, "
        "verified within 20): upheld, the listing is removed; not upheld, it stands. Once; the party is told.",
        action="entities.decide_abnormal_listing_objection",
        target=ENTITY,
    )
    async def decide_abnormal_listing_objection(
        self, info: Info, input: DecideAbnormalListingObjectionInput
    ) -> CreditListingPayload:
        services = info.context.services
        today = services.today()
        listing = await decide_objection(
            info.context.session, services.org_tree, input.uscc.upper(), input.listed_for, input.decided_on,
            input.upheld, input.reason, today, services.now(),
        )  # fmt: skip
        return await _payload(info, listing.uscc, CreditListing.from_row(listing, today))


@strawberry.input(description="The bureau's decision on a party's objection to an abnormal listing (2014 办法 Art. 16)")
class DecideAbnormalListingObjectionInput:
    uscc: str
    listed_for: AbnormalReason
    decided_on: dt.date
    upheld: bool = strawberry.field(description="True: the listing was wrong and is removed; false: it stands.")
    reason: str


def _application(info: Info, input: RegisterEntityInput) -> Application:
    services = info.context.services
    return check_application(
        services.org_tree,
        uscc=input.uscc,
        name=input.name,
        entity_type=input.entity_type,
        established_on=input.established_on,
        legal_rep_name=input.legal_representative.name,
        legal_rep_id_type=IdDocumentType(input.legal_representative.id_type),
        key_persons=[
            (KeyPersonRole(person.role), person.name, IdDocumentType(person.id_type), person.id_number)
            for person in input.key_persons
        ],
        legal_rep_id_number=input.legal_representative.id_number,
        legal_rep_phone=input.legal_representative.phone,
        domicile=input.domicile,
        premises=input.premises,
        district_code=input.district_code,
        station_code=input.station_code,
        business_scope=input.business_scope,
        legacy_reg_no=input.legacy_reg_no,
        today=services.today(),
    )


async def _payload(info: Info, uscc: str, listing: CreditListing) -> CreditListingPayload:
    entity = await info.context.session.get(MarketEntityRow, uscc)
    assert entity is not None  # the listing functions locked it
    return CreditListingPayload(listing=listing, entity=MarketEntity.from_row(entity))

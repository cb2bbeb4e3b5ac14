"""Write side of the permits subgraph: one mutation per edge of the application state machine, plus legacy imports."""

from __future__ import annotations

import datetime as dt

import strawberry

from kernel.errors import Code, InternalError
from subgraphs.common.fields import Target, mutation
from subgraphs.common.imports import ImportOutcome, import_each
from subgraphs.permits import applications, decisions, excluded_time, issuance, permit_status
from subgraphs.permits.applications import ApplicationRequest
from subgraphs.permits.models import PermitApplicationRow, PermitRow
from subgraphs.permits.types import Info, Permit, PermitApplication
from subgraphs.permits.vocabulary import ApplicationAction, ApplicationRoute, PermitKind, PermitStatus


def actor_of(info: Info) -> str:
    """Who is acting, for the transition record: the gateway-signed caller (the guard admits no mutation without
    one)."""
    caller = info.context.caller
    if caller is None:
        raise InternalError("a mutation ran without a caller; the jurisdiction guard must precede it")
    return caller.subject


@strawberry.input(description="An application as the applicant declares it (申请书).")
class PermitApplicationInput:
    kind: PermitKind
    applicant_uscc: str
    applicant_name: str
    legal_representative: str
    premises_address: str
    premises_region: str = strawberry.field(description="6-digit GB/T 2260 code of the premises.")
    items: list[str] = strawberry.field(description="Item codes, bare (current code list) or CODE@VERSION.")
    action: ApplicationAction = ApplicationAction.NEW
    route: ApplicationRoute = ApplicationRoute.ORDINARY
    business_form: int | None = None
    touches_premises: bool = False
    commitment_signed: bool = False
    permit_id: strawberry.ID | None = None
    changed_on: dt.date | None = strawberry.field(
        default=None,
        description="CHANGE: the day the permitted matter changed; the application is due within 10 working days "
        "of it (JY/SC measures). Required for JY and SC changes.",
    )

    def to_request(self) -> ApplicationRequest:
        return ApplicationRequest(
            kind=PermitKind(self.kind),
            action=ApplicationAction(self.action),
            route=ApplicationRoute(self.route),
            applicant_uscc=self.applicant_uscc,
            applicant_name=self.applicant_name,
            legal_representative=self.legal_representative,
            premises_address=self.premises_address,
            premises_region=self.premises_region,
            items=tuple(self.items),
            business_form=self.business_form,
            touches_premises=self.touches_premises,
            commitment_signed=self.commitment_signed,
            permit_id=str(self.permit_id) if self.permit_id is not None else None,
            changed_on=self.changed_on,
        )


@strawberry.input(description="What a renewal declares; the rest continues from the permit.")
class RenewPermitInput:
    applicant_name: str
    legal_representative: str
    commitment_signed: bool = False


@strawberry.input(description="A permit issued elsewhere (legacy systems), recorded as it stands.")
class RecordPermitInput:
    kind: PermitKind
    number: str
    holder_uscc: str
    holder_name: str
    premises_address: str
    premises_region: str
    items: list[str]
    valid_from: dt.date
    valid_to: dt.date | None = strawberry.field(
        default=None, description="Last day of validity (inclusive); omitted for a filing (备案), which has none."
    )
    business_form: int | None = None
    issuing_org: str = issuance.ISSUING_ORG
    status: PermitStatus = PermitStatus.VALID

    def to_record(self) -> issuance.ExistingPermit:
        return issuance.ExistingPermit(
            kind=PermitKind(self.kind),
            number=self.number,
            holder_uscc=self.holder_uscc,
            holder_name=self.holder_name,
            premises_address=self.premises_address,
            premises_region=self.premises_region,
            items=tuple(self.items),
            valid_from=self.valid_from,
            valid_to=self.valid_to,
            business_form=self.business_form,
            issuing_org=self.issuing_org,
            status=PermitStatus(self.status),
        )


@strawberry.type(description="The application after the change.")
class PermitApplicationPayload:
    application: PermitApplication


@strawberry.type(description="The permit after the change.")
class PermitPayload:
    permit: Permit


@strawberry.input(description="A period left out of the decision period (行政许可法 Art. 45).")
class ExcludedTimeInput:
    kind: excluded_time.ExcludedTimeKind
    starts_on: dt.date
    ends_on: dt.date = strawberry.field(description="Last day of the hearing, testing, review…, inclusive.")
    applicant_notified_on: dt.date = strawberry.field(
        description="Date of the written notice telling the applicant the time needed (Art. 45 ¶2)."
    )
    reason: str


@strawberry.input(description="One legacy permit to record, with the sender's reference.")
class PermitImport:
    ref: str
    permit: RecordPermitInput


APPLICATION = Target(PermitApplicationRow, lambda arguments: str(arguments["id"]))
PERMIT = Target(PermitRow, lambda arguments: str(arguments["id"]))
RENEWED_PERMIT = Target(PermitRow, lambda arguments: str(arguments["permit_id"]))


def _applied(row: PermitApplicationRow) -> PermitApplicationPayload:
    return PermitApplicationPayload(application=PermitApplication.from_row(row))


@strawberry.type
class Mutation:
    @mutation(
        "Create an application and submit it (or keep it as a DRAFT); optionally 秒批.",
        action="permits.submit_permit_application",
    )
    async def submit_permit_application(
        self, info: Info, input: PermitApplicationInput, draft: bool = False, auto_approve: bool = False
    ) -> PermitApplicationPayload:
        context, actor, request = info.context, actor_of(info), input.to_request()
        check = auto_approve and not draft
        facts = await decisions.registry_facts(context.session, context.services, request.uscc) if check else None
        row = await applications.submit_application(
            context.session, context.services, request, actor=actor, draft=draft
        )
        if facts is not None:
            row = await decisions.auto_check(context.session, context.services, row.id, facts, actor=actor)
        return _applied(row)

    @mutation("DRAFT → SUBMITTED.", target=APPLICATION, action="permits.submit_draft")
    async def submit_draft(self, info: Info, id: strawberry.ID) -> PermitApplicationPayload:
        context = info.context
        return _applied(
            await applications.submit_draft(context.session, context.services, str(id), actor=actor_of(info))
        )

    @mutation(
        "SUBMITTED → MATERIALS_INCOMPLETE, listing everything missing (≤ 5 wd, Art. 32).",
        target=APPLICATION,
        action="permits.request_materials",
    )
    async def request_materials(self, info: Info, id: strawberry.ID, missing: list[str]) -> PermitApplicationPayload:
        context = info.context
        row = await applications.request_materials(
            context.session, context.services, str(id), tuple(missing), actor=actor_of(info)
        )
        return _applied(row)

    @mutation("MATERIALS_INCOMPLETE → SUBMITTED.", target=APPLICATION, action="permits.resubmit")
    async def resubmit(self, info: Info, id: strawberry.ID, note: str | None = None) -> PermitApplicationPayload:
        context = info.context
        row = await applications.resubmit(context.session, context.services, str(id), actor=actor_of(info), note=note)
        return _applied(row)

    @mutation(
        "SUBMITTED → ACCEPTED (受理); deemed acceptance dates back to receipt.",
        target=APPLICATION,
        action="permits.accept_application",
    )
    async def accept_application(self, info: Info, id: strawberry.ID) -> PermitApplicationPayload:
        context = info.context
        row = await applications.accept_application(context.session, context.services, str(id), actor=actor_of(info))
        return _applied(row)

    @mutation(
        "SUBMITTED → AUTO_CHECKED → (APPROVED → CERT_ISSUED) or ACCEPTED.",
        target=APPLICATION,
        action="permits.auto_check_application",
    )
    async def auto_check_application(self, info: Info, id: strawberry.ID) -> PermitApplicationPayload:
        context = info.context
        applicant = await applications.applicant_of(context.session, str(id))
        facts = await decisions.registry_facts(context.session, context.services, applicant)
        return _applied(
            await decisions.auto_check(context.session, context.services, str(id), facts, actor=actor_of(info))
        )

    @mutation(
        "ACCEPTED → SITE_CHECK with the result; two or more officials (Art. 34).",
        target=APPLICATION,
        action="permits.record_site_check",
    )
    async def record_site_check(
        self, info: Info, id: strawberry.ID, inspectors: list[str], passed: bool, findings: str = ""
    ) -> PermitApplicationPayload:
        context = info.context
        row = await decisions.record_site_check(
            context.session,
            context.services,
            str(id),
            inspectors=tuple(inspectors),
            passed=passed,
            findings=findings,
            actor=actor_of(info),
        )
        return _applied(row)

    @mutation(
        "Extend the decision deadline once, with the head's approval (Art. 42).",
        target=APPLICATION,
        action="permits.extend_decision_deadline",
    )
    async def extend_decision_deadline(self, info: Info, id: strawberry.ID, reason: str) -> PermitApplicationPayload:
        context = info.context
        row = await decisions.extend_decision_deadline(
            context.session, context.services, str(id), reason=reason, actor=actor_of(info)
        )
        return _applied(row)

    @mutation(
        "Leave a hearing, testing, expert review… out of the decision period (行政许可法 Art. 45): the decision "
        "deadline moves by its working days.",
        target=APPLICATION,
        action="permits.record_excluded_time",
    )
    async def record_excluded_time(
        self, info: Info, id: strawberry.ID, input: ExcludedTimeInput
    ) -> PermitApplicationPayload:
        context = info.context
        row = await excluded_time.record_excluded_time(
            context.session,
            context.services,
            str(id),
            kind=excluded_time.ExcludedTimeKind(input.kind),
            starts_on=input.starts_on,
            ends_on=input.ends_on,
            applicant_notified_on=input.applicant_notified_on,
            reason=input.reason,
            actor=actor_of(info),
        )
        return _applied(row)

    @mutation(
        "ACCEPTED | SITE_CHECK → APPROVED | REJECTED; a rejection states its reasons.",
        target=APPLICATION,
        action="permits.decide_application",
    )
    async def decide_application(
        self, info: Info, id: strawberry.ID, approve: bool, reason: str = ""
    ) -> PermitApplicationPayload:
        context = info.context
        facts = None
        if approve:
            applicant, action = await applications.applicant_and_action(context.session, str(id))
            if action in decisions.BANNED_ACTIONS:  # Art. 135 bans are read live at the decision
                facts = await decisions.registry_facts(context.session, context.services, applicant)
        row = await decisions.decide_application(
            context.session,
            context.services,
            str(id),
            approve=approve,
            reason=reason,
            actor=actor_of(info),
            facts=facts,
        )
        return _applied(row)

    @mutation(
        "APPROVED → CERT_ISSUED: the permit is created, renewed, changed or cancelled.",
        target=APPLICATION,
        action="permits.issue_certificate",
    )
    async def issue_certificate(self, info: Info, id: strawberry.ID) -> PermitApplicationPayload:
        context = info.context
        return _applied(
            await decisions.issue_certificate(context.session, context.services, str(id), actor=actor_of(info))
        )

    @mutation(
        "Renew a permit inside its renewal window; the new period continues the old.",
        target=RENEWED_PERMIT,
        action="permits.renew_permit",
    )
    async def renew_permit(
        self, info: Info, permit_id: strawberry.ID, input: RenewPermitInput, auto_approve: bool = False
    ) -> PermitApplicationPayload:
        context, actor = info.context, actor_of(info)
        facts = None
        if auto_approve:
            holder = await applications.holder_of(context.session, str(permit_id))
            facts = await decisions.registry_facts(context.session, context.services, holder)
        row = await applications.renew_permit(
            context.session,
            context.services,
            str(permit_id),
            applicant_name=input.applicant_name,
            legal_representative=input.legal_representative,
            commitment_signed=input.commitment_signed,
            actor=actor,
        )
        if facts is not None:
            row = await decisions.auto_check(context.session, context.services, row.id, facts, actor=actor)
        return _applied(row)

    @mutation(
        "Suspend, reinstate, revoke (吊销) or cancel a permit, with the reason and legal basis.",
        target=PERMIT,
        action="permits.change_permit_status",
    )
    async def change_permit_status(
        self, info: Info, id: strawberry.ID, status: PermitStatus, reason: str
    ) -> PermitPayload:
        context = info.context
        row = await permit_status.change_permit_status(
            context.session,
            str(id),
            PermitStatus(status),
            reason=reason,
            actor=actor_of(info),
            at=context.services.now(),
        )
        return PermitPayload(permit=Permit.from_row(row))

    @mutation(
        "Record a permit issued by a legacy system; its number is checked by kind.", action="permits.record_permit"
    )
    async def record_permit(self, info: Info, input: RecordPermitInput) -> PermitPayload:
        context = info.context
        row = await issuance.record_existing_permit(context.session, context.services, input.to_record())
        return PermitPayload(permit=Permit.from_row(row))

    @mutation(
        "Record many legacy permits, each on its own; a number already recorded is a duplicate.",
        action="permits.record_permits",
    )
    async def record_permits(self, info: Info, permits: list[PermitImport]) -> list[ImportOutcome]:
        context = info.context

        async def apply(item: PermitImport) -> object:
            return await issuance.record_existing_permit(context.session, context.services, item.permit.to_record())

        return await import_each(context.session, permits, lambda item: item.ref, apply, frozenset({Code.CONFLICT}))

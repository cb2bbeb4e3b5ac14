"""Write side of the enforcement subgraph: leads, the case's moves, its file and clocks, evidence, publicity."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from decimal import Decimal

import strawberry

from kernel.errors import ClientError, InternalError
from kernel.principal import Principal
from subgraphs.common.fields import Target, mutation
from subgraphs.enforcement import cases, evidence, publicity
from subgraphs.enforcement.cases import Decision, Lead
from subgraphs.enforcement.errors import EnforcementCode
from subgraphs.enforcement.evidence import NewEvidence
from subgraphs.enforcement.law import Penalty
from subgraphs.enforcement.models import CaseRow
from subgraphs.enforcement.types import Case, Evidence, Info, PenaltyPublicity, PreservationOrder
from subgraphs.enforcement.vocabulary import (
    CaseDeadline,
    CaseStage,
    DecisionOutcome,
    DocumentKind,
    EvidenceType,
    HashAlgorithm,
    PartyKind,
    PenaltyKind,
    PreservationKind,
    Procedure,
)


def caller_of(info: Info) -> Principal:
    caller = info.context.caller
    if caller is None:
        raise InternalError("a mutation ran without a caller; the jurisdiction guard must precede it")
    return caller


@strawberry.input(description="A lead as registered (线索登记).")
class LeadInput:
    party_uscc: str
    party_name: str
    premises_address: str
    premises_region: str = strawberry.field(description="6-digit GB/T 2260 code; places the case (属地监管).")
    summary: str
    source: str = "COMPLAINT"
    party_kind: PartyKind = PartyKind.ORGANISATION
    procedure: Procedure = Procedure.ORDINARY
    violation_on: dt.date | None = None
    harm_to_life_or_health: bool = False
    food_safety: bool = True
    major: bool = False
    hash_algorithm: HashAlgorithm = HashAlgorithm.SHA256


@strawberry.input(description="A penalty as intended (告知) or decided.")
class PenaltyInput:
    kinds: list[PenaltyKind]
    fine: Decimal | None = None

    def to_penalty(self) -> Penalty:
        return Penalty(frozenset(PenaltyKind(kind) for kind in self.kinds), self.fine)


@strawberry.input(description="The decision (决定).")
class DecisionInput:
    outcome: DecisionOutcome
    penalty: PenaltyInput | None = None
    collective: bool = False
    party_waived: bool = strawberry.field(
        default=False, description="The party waived its statement and hearing rights in writing."
    )
    reason: str | None = None


@strawberry.input(description="An item of evidence; content is the file as captured, base64.")
class EvidenceInput:
    type: EvidenceType
    title: str
    content_base64: str
    captured_at: dt.datetime
    captured_by: list[str]
    device_id: str | None = None
    location: str | None = None

    def to_item(self) -> NewEvidence:
        try:
            content = base64.b64decode(self.content_base64, validate=True)
        except (binascii.Error, ValueError) as error:
            raise ClientError("contentBase64 is not base64", code=EnforcementCode.INVALID_EVIDENCE) from error
        return NewEvidence(
            EvidenceType(self.type),
            self.title,
            content,
            self.captured_at,
            tuple(self.captured_by),
            self.device_id,
            self.location,
        )


@strawberry.input(description="Why publicity stops early: all four must hold (45号令).")
class EarlyStopInput:
    reason: str
    obligations_performed: bool
    harm_remedied: bool
    no_repeat_violation: bool
    not_on_abnormal_or_serious_list: bool


@strawberry.type(description="The case after the change.")
class CasePayload:
    case: Case


CASE = Target(CaseRow, lambda arguments: str(arguments["id"]))
CASE_OF = Target(CaseRow, lambda arguments: str(arguments["case_id"]))


def _case(row: CaseRow) -> CasePayload:
    return CasePayload(case=Case.from_row(row))


def _role(caller: Principal, *preferred: str) -> str:
    return next((role for role in preferred if role in caller.roles), sorted(caller.roles)[0] if caller.roles else "")


@strawberry.type
class Mutation:
    @mutation(
        "Register a lead: a case in ACCEPTED (受理), its filing clock started.", action="enforcement.register_lead"
    )
    async def register_lead(self, info: Info, input: LeadInput) -> CasePayload:
        context, caller = info.context, caller_of(info)
        tree = context.services.org_tree
        district, station = tree.codes_of(tree.premises_unit(input.premises_address, input.premises_region))
        lead = Lead(
            party_uscc=input.party_uscc.strip().upper(),
            party_name=input.party_name,
            party_kind=PartyKind(input.party_kind),
            district_code=district,
            station_code=station,
            source=input.source,
            summary=input.summary,
            procedure=Procedure(input.procedure),
            violation_on=input.violation_on,
            harm_to_life_or_health=input.harm_to_life_or_health,
            food_safety=input.food_safety,
            major=input.major,
            hash_algorithm=HashAlgorithm(input.hash_algorithm),
        )
        role = _role(caller, "case_officer", "inspector")
        return _case(
            await cases.register_lead(context.session, context.services, lead, actor=caller.subject, role=role)
        )

    @mutation(
        "Move a case one step that carries no data of its own; the step's role, documents and deadlines are checked.",
        target=CASE,
        action="enforcement.move_case",
    )
    async def move_case(self, info: Info, id: strawberry.ID, to: CaseStage, reason: str | None = None) -> CasePayload:
        context = info.context
        row = await cases.move_case(
            context.session, context.services, str(id), CaseStage(to), caller=caller_of(info), reason=reason
        )
        return _case(row)

    @mutation("立案: open the case, assigning two or more officers.", target=CASE, action="enforcement.open_case")
    async def file_case(
        self, info: Info, id: strawberry.ID, officers: list[str], reason: str | None = None
    ) -> CasePayload:
        context = info.context
        row = await cases.file_case(
            context.session, context.services, str(id), officers, caller=caller_of(info), reason=reason
        )
        return _case(row)

    @mutation(
        "告知: notify the party of the intended penalty and its rights.", target=CASE, action="enforcement.notify_party"
    )
    async def notify_party(self, info: Info, id: strawberry.ID, intended: PenaltyInput) -> CasePayload:
        context = info.context
        row = await cases.notify_party(
            context.session, context.services, str(id), intended.to_penalty(), caller=caller_of(info)
        )
        return _case(row)

    @mutation("法制审核: record the legal review (Art. 58).", target=CASE, action="enforcement.legal_review")
    async def record_legal_review(self, info: Info, id: strawberry.ID, passed: bool, opinion: str) -> CasePayload:
        context = info.context
        row = await cases.record_legal_review(
            context.session, context.services, str(id), passed, opinion, caller=caller_of(info)
        )
        return _case(row)

    @mutation(
        "决定: decide the case (or decide on the spot under the summary procedure).",
        target=CASE,
        action="enforcement.decide_case",
    )
    async def decide_case(self, info: Info, id: strawberry.ID, input: DecisionInput) -> CasePayload:
        context = info.context
        decision = Decision(
            outcome=DecisionOutcome(input.outcome),
            penalty=input.penalty.to_penalty() if input.penalty is not None else None,
            collective=input.collective,
            party_waived=input.party_waived,
            reason=input.reason,
        )
        row = await cases.decide_case(context.session, context.services, str(id), decision, caller=caller_of(info))
        return _case(row)

    @mutation("Place a document on the case file.", target=CASE_OF, action="enforcement.file_document")
    async def file_case_document(
        self, info: Info, case_id: strawberry.ID, kind: DocumentKind, number: str | None = None, note: str | None = None
    ) -> CasePayload:
        context = info.context
        row = await cases.file_document(
            context.session,
            context.services,
            str(case_id),
            DocumentKind(kind),
            number,
            note,
            actor=caller_of(info).subject,
        )
        return _case(row)

    @mutation(
        "Extend the filing or decision deadline with approval.", target=CASE_OF, action="enforcement.extend_deadline"
    )
    async def extend_case_deadline(
        self, info: Info, case_id: strawberry.ID, deadline: CaseDeadline, reason: str, collective: bool = False
    ) -> CasePayload:
        context = info.context
        row = await cases.extend_deadline(
            context.session,
            context.services,
            str(case_id),
            CaseDeadline(deadline),
            reason,
            collective,
            actor=caller_of(info).subject,
        )
        return _case(row)

    @mutation(
        "Record a period a clock does not count (testing, appraisal, hearing).",
        target=CASE_OF,
        action="enforcement.exclude_period",
    )
    async def exclude_case_period(
        self, info: Info, case_id: strawberry.ID, deadline: CaseDeadline, start: dt.date, end: dt.date, reason: str
    ) -> CasePayload:
        context = info.context
        row = await cases.exclude_period(
            context.session,
            context.services,
            str(case_id),
            CaseDeadline(deadline),
            start,
            end,
            reason,
            actor=caller_of(info).subject,
        )
        return _case(row)

    @mutation("Add an item of evidence to the case's hash chain.", target=CASE_OF, action="enforcement.add_evidence")
    async def add_evidence(self, info: Info, case_id: strawberry.ID, input: EvidenceInput) -> Evidence:
        context = info.context
        row = await evidence.add_evidence(
            context.session, context.services, str(case_id), input.to_item(), actor=caller_of(info).subject
        )
        return Evidence.from_row(row)

    @mutation("Record a custody step of an item (moved, examined, returned).", action="enforcement.add_evidence")
    async def record_custody(
        self, info: Info, evidence_id: strawberry.ID, action: str, holder: str, note: str | None = None
    ) -> Evidence:
        context = info.context
        row = await evidence.record_custody(
            context.session, context.services, str(evidence_id), action, holder, note, actor=caller_of(info).subject
        )
        return Evidence.from_row(row)

    @mutation(
        "Order preservation (先行登记保存, 查封, 扣押), approved by the head.",
        target=CASE_OF,
        action="enforcement.order_preservation",
    )
    async def order_preservation(
        self, info: Info, case_id: strawberry.ID, kind: PreservationKind, items: str
    ) -> PreservationOrder:
        context = info.context
        row = await evidence.order_preservation(
            context.session,
            context.services,
            str(case_id),
            PreservationKind(kind),
            items,
            actor=caller_of(info).subject,
        )
        return PreservationOrder.from_row(row)

    @mutation("Extend a seal or seizure once by 30 days.", action="enforcement.order_preservation")
    async def extend_preservation(self, info: Info, id: strawberry.ID) -> PreservationOrder:
        context = info.context
        return PreservationOrder.from_row(
            await evidence.extend_preservation(context.session, context.services, str(id))
        )

    @mutation("Decide on preserved items and release the order.", action="enforcement.release_preservation")
    async def release_preservation(self, info: Info, id: strawberry.ID, outcome: str) -> PreservationOrder:
        context = info.context
        row = await evidence.release_preservation(context.session, context.services, str(id), outcome)
        return PreservationOrder.from_row(row)

    @mutation(
        "Publish the penalty (within 20 working days of the decision).",
        target=CASE_OF,
        action="enforcement.publish_penalty",
    )
    async def publish_penalty(self, info: Info, case_id: strawberry.ID) -> PenaltyPublicity:
        context = info.context
        return PenaltyPublicity.from_row(await publicity.publish(context.session, context.services, str(case_id)))

    @mutation(
        "Withdraw the publicity of a changed or revoked decision (within 3 working days).",
        target=CASE_OF,
        action="enforcement.withdraw_publicity",
    )
    async def withdraw_penalty_publicity(
        self, info: Info, case_id: strawberry.ID, changed_on: dt.date, reason: str
    ) -> PenaltyPublicity:
        context = info.context
        row = await publicity.withdraw(context.session, context.services, str(case_id), changed_on, reason)
        return PenaltyPublicity.from_row(row)

    @mutation("Stop publicity early where 45号令 allows it.", target=CASE_OF, action="enforcement.withdraw_publicity")
    async def stop_penalty_publicity_early(
        self, info: Info, case_id: strawberry.ID, input: EarlyStopInput
    ) -> PenaltyPublicity:
        context = info.context
        row = await publicity.stop_early(
            context.session,
            context.services,
            str(case_id),
            input.reason,
            performed=input.obligations_performed,
            harm_remedied=input.harm_remedied,
            no_repeat=input.no_repeat_violation,
            not_listed=input.not_on_abnormal_or_serious_list,
        )
        return PenaltyPublicity.from_row(row)

    @mutation(
        "案件移送: let another district's bureau see and work this one case (an audited grant).",
        target=CASE,
        action="enforcement.transfer_case",
    )
    async def transfer_case(self, info: Info, id: strawberry.ID, to_district: str, reason: str) -> CasePayload:
        context = info.context
        row = await cases.transfer_case(
            context.session, context.services, str(id), to_district, reason, caller=caller_of(info)
        )
        return _case(row)

"""GraphQL types of the enforcement subgraph: ``Case @key(id)``, its file, evidence and publicity; ``MarketEntity``
extended with its cases and penalty publicity."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import strawberry

from subgraphs.common.context import RequestContext
from subgraphs.common.fields import field
from subgraphs.enforcement import law, publicity
from subgraphs.enforcement.deadlines import STAGE_CLOCK_BASIS
from subgraphs.enforcement.loaders import EnforcementLoaders
from subgraphs.enforcement.models import (
    CaseDocumentRow,
    CaseGrantRow,
    CaseRow,
    CaseTransitionRow,
    CustodyEntryRow,
    DeadlineChangeRow,
    EvidenceRow,
    PenaltyPublicityRow,
    PreservationOrderRow,
)
from subgraphs.enforcement.services import EnforcementServices
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
    PreservationStatus,
    Procedure,
    PublicityStatus,
)
from subgraphs.enforcement.workflow import OPEN_STAGES, StepAction, allowed_next, next_steps

Info = strawberry.Info[RequestContext[EnforcementLoaders, EnforcementServices], None]

for _enum, _name in (
    (CaseStage, "CaseStage"),
    (Procedure, "CaseProcedure"),
    (PartyKind, "CasePartyKind"),
    (DecisionOutcome, "CaseOutcome"),
    (PenaltyKind, "PenaltyKind"),
    (DocumentKind, "CaseDocumentKind"),
    (EvidenceType, "EvidenceType"),
    (HashAlgorithm, "EvidenceHashAlgorithm"),
    (PreservationKind, "PreservationKind"),
    (PreservationStatus, "PreservationStatus"),
    (CaseDeadline, "CaseDeadline"),
    (PublicityStatus, "PenaltyPublicityStatus"),
    (StepAction, "CaseStepAction"),
):
    strawberry.enum(_enum, name=_name)  # the domain enum as a GraphQL enum, named apart from other subgraphs


@strawberry.type(description="One recorded move of a case: who, as which role, when, from, to, why.")
class CaseTransition:
    from_stage: CaseStage | None
    to_stage: CaseStage
    actor: str
    role: str
    at: dt.datetime
    reason: str | None

    @classmethod
    def from_row(cls, row: CaseTransitionRow) -> CaseTransition:
        return cls(
            from_stage=CaseStage(row.from_stage) if row.from_stage else None,
            to_stage=CaseStage(row.to_stage),
            actor=row.actor,
            role=row.role,
            at=row.at,
            reason=row.reason,
        )


@strawberry.type(description="A document on the case file.")
class CaseDocument:
    kind: DocumentKind
    number: str | None
    note: str | None
    filed_by: str
    filed_at: dt.datetime

    @classmethod
    def from_row(cls, row: CaseDocumentRow) -> CaseDocument:
        return cls(
            kind=DocumentKind(row.kind), number=row.number, note=row.note, filed_by=row.filed_by, filed_at=row.filed_at
        )


@strawberry.type(description="An approved extension, or a period the clock does not count (testing, hearing).")
class DeadlineChange:
    deadline: CaseDeadline
    kind: str
    excluded_from: dt.date | None
    excluded_to: dt.date | None
    collective: bool
    due_before: dt.date
    due_after: dt.date
    reason: str
    actor: str
    at: dt.datetime

    @classmethod
    def from_row(cls, row: DeadlineChangeRow) -> DeadlineChange:
        return cls(
            deadline=CaseDeadline(row.deadline),
            kind=row.kind,
            excluded_from=row.excluded_from,
            excluded_to=row.excluded_to,
            collective=row.collective,
            due_before=row.due_before,
            due_after=row.due_after,
            reason=row.reason,
            actor=row.actor,
            at=row.at,
        )


@strawberry.type(description="One entry of an item's chain of custody.")
class CustodyEntry:
    action: str
    holder: str
    note: str | None
    actor: str
    at: dt.datetime

    @classmethod
    def from_row(cls, row: CustodyEntryRow) -> CustodyEntry:
        return cls(action=row.action, holder=row.holder, note=row.note, actor=row.actor, at=row.at)


@strawberry.type(description="An item of evidence (行政处罚法 Art. 46), hash-chained to the case's previous item.")
class Evidence:
    id: strawberry.ID
    seq: int
    type: EvidenceType
    title: str
    captured_at: dt.datetime
    captured_by: list[str]
    device_id: str | None
    location: str | None
    algorithm: HashAlgorithm
    content_hash: str
    previous_hash: str
    record_hash: str

    @classmethod
    def from_row(cls, row: EvidenceRow) -> Evidence:
        return cls(
            id=strawberry.ID(row.id),
            seq=row.seq,
            type=EvidenceType(row.type),
            title=row.title,
            captured_at=row.captured_at,
            captured_by=list(row.captured_by),
            device_id=row.device_id,
            location=row.location,
            algorithm=HashAlgorithm(row.algorithm),
            content_hash=row.content_hash,
            previous_hash=row.previous_hash,
            record_hash=row.record_hash,
        )

    @field(description="Chain of custody, oldest first.")
    async def custody(self, info: Info) -> list[CustodyEntry]:
        return [CustodyEntry.from_row(row) for row in await info.context.loaders.custody.load(str(self.id))]


@strawberry.type(description="A preservation order (先行登记保存, 查封, 扣押) with its own deadline.")
class PreservationOrder:
    id: strawberry.ID
    kind: PreservationKind
    items: str
    approved_by: str
    started_on: dt.date
    due_on: dt.date
    status: PreservationStatus
    released_on: dt.date | None
    outcome: str | None

    @classmethod
    def from_row(cls, row: PreservationOrderRow) -> PreservationOrder:
        return cls(
            id=strawberry.ID(row.id),
            kind=PreservationKind(row.kind),
            items=row.items,
            approved_by=row.approved_by,
            started_on=row.started_on,
            due_on=row.due_on,
            status=PreservationStatus(row.status),
            released_on=row.released_on,
            outcome=row.outcome,
        )

    @field(description="Still open past its deadline.")
    def overdue(self, info: Info) -> bool:
        return self.status is not PreservationStatus.RELEASED and info.context.services.today() > self.due_on


@strawberry.type(description="The publicity of a penalty decision (45号令).")
class PenaltyPublicity:
    case_id: strawberry.ID
    party_uscc: str
    food_safety: bool
    penalties: list[PenaltyKind]
    fine: Decimal | None
    decided_on: dt.date
    publish_due_on: dt.date = strawberry.field(description="20 working days after the decision.")
    status: PublicityStatus
    published_on: dt.date | None
    display_until: dt.date | None
    withdraw_due_on: dt.date | None
    ended_on: dt.date | None
    end_reason: str | None
    row: strawberry.Private[PenaltyPublicityRow]

    @classmethod
    def from_row(cls, row: PenaltyPublicityRow) -> PenaltyPublicity:
        return cls(
            case_id=strawberry.ID(row.case_id),
            party_uscc=row.party_uscc,
            food_safety=row.food_safety,
            penalties=[PenaltyKind(kind) for kind in row.penalties],
            fine=row.fine,
            decided_on=row.decided_on,
            publish_due_on=row.publish_due_on,
            status=PublicityStatus(row.status),
            published_on=row.published_on,
            display_until=row.display_until,
            withdraw_due_on=row.withdraw_due_on,
            ended_on=row.ended_on,
            end_reason=row.end_reason,
            row=row,
        )

    @field(description="Shown today on the entity's credit record.")
    def active(self, info: Info) -> bool:
        return publicity.is_active(self.row, info.context.services.today())

    @field(description="Published after its 20 working days, or still pending past them.")
    def late(self, info: Info) -> bool:
        return publicity.is_late(self.row, info.context.services.today())


@strawberry.type(description="案件移送: a grant of the case to another unit or officer, audited.")
class CaseTransfer:
    grantee_unit: str | None
    grantee_subject: str | None
    granted_by: str
    granted_at: dt.datetime
    reason: str
    revoked_at: dt.datetime | None

    @classmethod
    def from_row(cls, row: CaseGrantRow) -> CaseTransfer:
        return cls(
            grantee_unit=row.grantee_unit,
            grantee_subject=row.grantee_subject,
            granted_by=row.granted_by,
            granted_at=row.granted_at,
            reason=row.reason,
            revoked_at=row.revoked_at,
        )


@strawberry.type(description="What verifyEvidenceChain found: intact, or the first item that no longer matches.")
class EvidenceChainVerdict:
    intact: bool
    items: int
    first_broken: Evidence | None
    problem: str | None


@strawberry.type(description="A step a case may take next: who takes it, what it needs, by when, under which law.")
class CaseStep:
    action: StepAction
    stage: CaseStage = strawberry.field(description="The stage the step leads to (a legal review: the current one).")
    role: str = strawberry.field(description="The role that takes it (case_officer, legal_reviewer, agency_head).")
    mine: bool = strawberry.field(description="The signed-in officer holds that role.")
    documents_missing: list[DocumentKind] = strawberry.field(description="Documents it needs, not yet on file.")
    due_on: dt.date | None = strawberry.field(description="The deadline the current stage runs against.")
    overdue: bool
    basis: str | None = strawberry.field(description="The law behind that deadline.")


@strawberry.federation.type(keys=["id"], description="An enforcement case (案件), DOMAIN.md §5.1.", authenticated=True)
class Case:
    id: strawberry.ID
    row: strawberry.Private[CaseRow]

    @classmethod
    def from_row(cls, row: CaseRow) -> Case:
        return cls(id=strawberry.ID(row.id), row=row)

    @field(description="The stage (受理 … 归档).")
    def stage(self) -> CaseStage:
        return CaseStage(self.row.stage)

    @field(description="Ordinary (普通程序) or summary (简易程序).")
    def procedure(self) -> Procedure:
        return Procedure(self.row.procedure)

    @field(description="The party, resolved by the entities subgraph.")
    def party(self) -> MarketEntity | None:
        return MarketEntity(uscc=self.row.party_uscc)

    @field(description="The party's USCC.")
    def party_uscc(self) -> str:
        return self.row.party_uscc

    @field(description="Natural person or organisation (hearing thresholds and summary limits differ).")
    def party_kind(self) -> PartyKind:
        return PartyKind(self.row.party_kind)

    @field(description="Supervising district bureau.")
    def district_code(self) -> str | None:
        return self.row.district_code

    @field(description="Supervising station.")
    def station_code(self) -> str | None:
        return self.row.station_code

    @field(description="Where the lead came from (INSPECTION for 一键转办, COMPLAINT, AI_ALERT …).")
    def source(self) -> str:
        return self.row.source

    @field(description="一键转办: the inspection whose 不符合 item opened this lead.")
    def source_inspection_id(self) -> str | None:
        return self.row.source_inspection_id

    @field(description="一键转办: the checklist item found 不符合.")
    def source_item_code(self) -> str | None:
        return self.row.source_item_code

    @field(description="What the lead is about.")
    def summary(self) -> str:
        return self.row.summary

    @field(description="When the violation happened (or ended), for the limitation period.")
    def violation_on(self) -> dt.date | None:
        return self.row.violation_on

    @field(description="When the lead was discovered; the filing clock starts the next day.")
    def discovered_on(self) -> dt.date:
        return self.row.discovered_on

    @field(description="Officers assigned at 立案 (two or more).")
    def officers(self) -> list[str]:
        return list(self.row.officers)

    @field(description="Complex or major: legal review and collective decision required.")
    def major(self) -> bool:
        return self.row.major

    @field(description="Digest of the evidence chain.")
    def hash_algorithm(self) -> HashAlgorithm:
        return HashAlgorithm(self.row.hash_algorithm)

    @field(description="Decide whether to open the case by (15 working days, as extended or excluded).")
    def filing_due_on(self) -> dt.date | None:
        return self.row.filing_due_on

    @field(description="Day the case was opened (立案).")
    def filed_on(self) -> dt.date | None:
        return self.row.filed_on

    @field(description="Decide by (90 days after 立案, as extended or excluded).")
    def decision_due_on(self) -> dt.date | None:
        return self.row.decision_due_on

    @field(description="Legal review due by (10 working days after entering review).")
    def review_due_on(self) -> dt.date | None:
        return self.row.review_due_on

    @field(description="Passed (true), failed (false) or not yet recorded (null).")
    def legal_review_passed(self) -> bool | None:
        return self.row.legal_review_passed

    @field(description="Day of the prior notice (告知).")
    def notified_on(self) -> dt.date | None:
        return self.row.notified_on

    @field(description="The party may state a case or ask for a hearing until (5 working days).")
    def statement_due_on(self) -> dt.date | None:
        return self.row.statement_due_on

    @field(description="The intended penalty carries hearing rights (thresholds of the district).")
    def hearing_rights(self) -> bool:
        return self.row.hearing_rights

    @field(description="Decided after a hearing.")
    def hearing_held(self) -> bool:
        return self.row.hearing_held

    @field(description="Day of the decision.")
    def decided_on(self) -> dt.date | None:
        return self.row.decided_on

    @field(description="Penalty, no penalty, or transfer to judicial organs.")
    def outcome(self) -> DecisionOutcome | None:
        return DecisionOutcome(self.row.outcome) if self.row.outcome else None

    @field(description="The penalties decided.")
    def penalties(self) -> list[PenaltyKind]:
        return [PenaltyKind(kind) for kind in self.row.penalties]

    @field(description="The fine decided, in yuan.")
    def fine(self) -> Decimal | None:
        return self.row.fine

    @field(description="Decided collectively by the agency's leaders.")
    def collective(self) -> bool:
        return self.row.collective

    @field(description="Deliver the decision by (7 working days).")
    def service_due_on(self) -> dt.date | None:
        return self.row.service_due_on

    @field(description="Pay the fine by (15 days after service).")
    def payment_due_on(self) -> dt.date | None:
        return self.row.payment_due_on

    @field(description="Day the case was closed (结案).")
    def closed_on(self) -> dt.date | None:
        return self.row.closed_on

    @field(description="The deadline the current stage runs against.")
    def stage_due_on(self) -> dt.date | None:
        return self.row.stage_due_on

    @field(description="The current stage's deadline passed while the case is open.")
    def overdue(self, info: Info) -> bool:
        due, today = self.row.stage_due_on, info.context.services.today()
        return due is not None and CaseStage(self.row.stage) in OPEN_STAGES and today > due

    @field(description="Late-payment surcharge today (3 % of the fine a day after the deadline, capped at the fine).")
    def late_surcharge(self, info: Info) -> Decimal | None:
        row = self.row
        if row.fine is None or row.payment_due_on is None:
            return None
        until = row.executed_on or info.context.services.today()
        return law.late_surcharge(row.fine, row.payment_due_on, until)

    @field(description="The stages this case may move to next.")
    def allowed_next(self) -> list[CaseStage]:
        return list(allowed_next(CaseStage(self.row.stage), Procedure(self.row.procedure)))

    @field(description="The steps the case may take next, with who takes each, its deadline and legal basis.")
    async def next_steps(self, info: Info) -> list[CaseStep]:
        row, stage = self.row, CaseStage(self.row.stage)
        steps = next_steps(stage, Procedure(row.procedure), review_pending=row.review_pending)
        if not steps:
            return []
        on_file = {document.kind for document in await info.context.loaders.documents.load(row.id)}
        caller = info.context.caller
        roles = caller.roles if caller is not None else frozenset()
        due, today = row.stage_due_on, info.context.services.today()
        return [
            CaseStep(
                action=step.action,
                stage=step.target,
                role=step.role.value,
                mine=step.role.value in roles,
                documents_missing=[kind for kind in step.documents if kind.value not in on_file],
                due_on=due,
                overdue=due is not None and today > due,
                basis=STAGE_CLOCK_BASIS.get(stage) if due is not None else None,
            )
            for step in steps
        ]

    @field(description="Every move, oldest first.")
    async def transitions(self, info: Info) -> list[CaseTransition]:
        return [CaseTransition.from_row(row) for row in await info.context.loaders.transitions.load(self.row.id)]

    @field(description="The case file.")
    async def documents(self, info: Info) -> list[CaseDocument]:
        return [CaseDocument.from_row(row) for row in await info.context.loaders.documents.load(self.row.id)]

    @field(description="Extensions and excluded periods of its clocks.")
    async def deadline_changes(self, info: Info) -> list[DeadlineChange]:
        rows = await info.context.loaders.deadline_changes.load(self.row.id)
        return [DeadlineChange.from_row(row) for row in rows]

    @field(description="The evidence, in chain order.")
    async def evidence(self, info: Info) -> list[Evidence]:
        return [Evidence.from_row(row) for row in await info.context.loaders.evidence.load(self.row.id)]

    @field(description="Preservation orders.")
    async def preservation_orders(self, info: Info) -> list[PreservationOrder]:
        return [PreservationOrder.from_row(row) for row in await info.context.loaders.orders.load(self.row.id)]

    @field(description="案件移送: the units (or officers) this case was granted to.")
    async def transfers(self, info: Info) -> list[CaseTransfer]:
        return [CaseTransfer.from_row(row) for row in await info.context.loaders.grants.load(self.row.id)]

    @field(description="The penalty's publicity, where one is owed.")
    async def publicity(self, info: Info) -> PenaltyPublicity | None:
        row = await info.context.loaders.publicity.load(self.row.id)
        return PenaltyPublicity.from_row(row) if row else None

    @classmethod
    async def resolve_reference(cls, info: Info, **key: Any) -> Case | None:
        row = await info.context.loaders.case.load(str(key["id"]))
        return cls.from_row(row) if row else None


@strawberry.federation.type(keys=["uscc"], description="A market entity (市场主体), owned by the entities subgraph.")
class MarketEntity:
    uscc: str

    @field(description="Enforcement cases against this entity in your jurisdiction, oldest first.")
    async def cases(self, info: Info) -> list[Case] | None:
        return [Case.from_row(row) for row in await info.context.loaders.cases_of.load(self.uscc)]

    @field(description="Penalty publicity (45号令) of this entity's decisions, oldest first.")
    async def penalty_publicity(self, info: Info) -> list[PenaltyPublicity] | None:
        return [PenaltyPublicity.from_row(row) for row in await info.context.loaders.publicity_of.load(self.uscc)]

    @field(description="A food-safety penalty of this entity is shown today (what 秒批's clean-credit rule reads).")
    async def under_food_penalty_publicity(self, info: Info) -> bool | None:
        today = info.context.services.today()
        rows = await info.context.loaders.publicity_of.load(self.uscc)
        return any(row.food_safety and publicity.is_active(row, today) for row in rows)

    @classmethod
    def resolve_reference(cls, uscc: str) -> MarketEntity:
        return cls(uscc=uscc)

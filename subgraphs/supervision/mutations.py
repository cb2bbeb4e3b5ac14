"""Write side of the supervision subgraph: one mutation per edge of the task's state machine, the draw, records,
一键转办, publication and the directories (targets, inspectors, conflicts)."""

from __future__ import annotations

import datetime as dt

import strawberry
from sqlalchemy import func, select

from kernel.errors import ClientError, InternalError
from subgraphs.common.fields import Target, mutation
from subgraphs.common.jurisdiction import Place
from subgraphs.supervision import draw, inspections, risk, tasks
from subgraphs.supervision.errors import SupervisionCode
from subgraphs.supervision.models import (
    InspectionPlanRow,
    InspectionTargetRow,
    InspectionTaskRow,
    InspectorConflictRow,
    InspectorRow,
)
from subgraphs.supervision.types import (
    Info,
    InspectionFinding,
    InspectionPlan,
    InspectionRecord,
    InspectionTarget,
    InspectionTask,
)
from subgraphs.supervision.vocabulary import REQUESTABLE_SOURCES, Handling, Outcome, RiskGrade, TaskSource


def actor_of(info: Info) -> str:
    caller = info.context.caller
    if caller is None:
        raise InternalError("a mutation ran without a caller; the jurisdiction guard must precede it")
    return caller.subject


@strawberry.input(description="A task an officer opens by hand (a complaint, a campaign, a risk warning).")
class OpenTaskInput:
    source: TaskSource
    uscc: str
    reason: str
    district_code: str
    station_code: str | None = None
    items: list[str] = strawberry.field(default_factory=list)
    reference: str | None = None
    inspectors: list[str] = strawberry.field(default_factory=list, description="≥ 2, or none (assign later).")


@strawberry.input(description="One checklist item's finding.")
class FindingInput:
    item_code: str
    outcome: Outcome
    handling: Handling
    affects_food_safety: bool = False
    deadline_on: dt.date | None = None
    note: str = ""
    evidence: list[str] = strawberry.field(default_factory=list)

    def to_finding(self) -> inspections.Finding:
        return inspections.Finding(
            item_code=self.item_code,
            outcome=Outcome(self.outcome),
            handling=Handling(self.handling),
            affects_food_safety=self.affects_food_safety,
            deadline_on=self.deadline_on,
            note=self.note,
            evidence=tuple(self.evidence),
        )


@strawberry.input(description="A random-inspection plan to draw (一单两库): items, target pool, inspectors, size.")
class DrawPlanInput:
    name: str
    district_code: str
    items: list[str]
    station_codes: list[str] = strawberry.field(default_factory=list)
    risk_grades: list[RiskGrade] = strawberry.field(default_factory=list)
    inspector_station_codes: list[str] = strawberry.field(default_factory=list)
    ratio: float | None = None
    count: int | None = None
    grade_weights: list[float] | None = strawberry.field(
        default=None, description="Selection weights of grades A, B, C, D (default 1, 1, 1.5, 2)."
    )
    bad_credit_weight: float = 2.0
    seed: str | None = strawberry.field(default=None, description="Fix the seed (a re-draw); default: random.")

    def to_request(self) -> draw.PlanRequest:
        weights = dict(draw.DEFAULT_WEIGHTS)
        if self.grade_weights is not None:
            if len(self.grade_weights) != 4 or any(w <= 0 for w in self.grade_weights):
                raise ClientError("gradeWeights: four positive weights, A to D", code=SupervisionCode.INVALID_DRAW_SIZE)
            weights.update(zip("ABCD", self.grade_weights, strict=True))
        if self.bad_credit_weight <= 0:
            raise ClientError("badCreditWeight must be positive", code=SupervisionCode.INVALID_DRAW_SIZE)
        weights["badCredit"] = self.bad_credit_weight
        return draw.PlanRequest(
            name=self.name,
            district_code=self.district_code,
            items=tuple(self.items),
            station_codes=tuple(self.station_codes),
            risk_grades=tuple(RiskGrade(g).value for g in self.risk_grades),
            inspector_station_codes=tuple(self.inspector_station_codes),
            ratio=self.ratio,
            count=self.count,
            weights=weights,
            seed=self.seed,
        )


@strawberry.input(description="An entry of the inspection-target directory (检查对象名录库).")
class TargetInput:
    uscc: str
    name: str
    district_code: str
    station_code: str | None = None
    risk_grade: RiskGrade | None = None
    risk_rule_version: str | None = None
    bad_credit: bool = False


@strawberry.type(description="The task after the change.")
class InspectionTaskPayload:
    task: InspectionTask


@strawberry.type(description="The record, the task it completed, follow-up tasks opened and warnings (Art. 42).")
class InspectionRecordPayload:
    record: InspectionRecord
    task: InspectionTask
    follow_ups: list[InspectionTask]
    warnings: list[str]


@strawberry.type(description="The finding handed to enforcement; transferred is False when it already had been.")
class TransferPayload:
    finding: InspectionFinding
    transferred: bool


@strawberry.type(description="The plan as drawn.")
class InspectionPlanPayload:
    plan: InspectionPlan
    drawn: int


@strawberry.type(description="What a publication did.")
class PublicationPayload:
    plan: InspectionPlan
    published: int
    complete: bool


@strawberry.type(description="The directory entry after the change.")
class InspectionTargetPayload:
    target: InspectionTarget


@strawberry.type(description="How many directory entries were written.")
class DirectoryPayload:
    written: int


TASK = Target(InspectionTaskRow, lambda arguments: str(arguments["id"]))
TARGET = Target(InspectionTargetRow, lambda arguments: str(arguments["uscc"]).strip().upper())
PLAN = Target(InspectionPlanRow, lambda arguments: str(arguments["plan_id"]))


def _task(info: Info, row: InspectionTaskRow) -> InspectionTaskPayload:
    return InspectionTaskPayload(task=InspectionTask.from_row(row, info.context.services.today()))


@strawberry.type
class Mutation:
    @mutation(
        "Open a task by hand (complaint, campaign, risk warning…), optionally with its inspectors.",
        action="supervision.open_task",
    )
    async def open_inspection_task(self, info: Info, input: OpenTaskInput) -> InspectionTaskPayload:
        source = TaskSource(input.source)
        if source not in REQUESTABLE_SOURCES:
            raise ClientError(
                f"{source.value} tasks come from a draw or a record, not by hand",
                code=SupervisionCode.SOURCE_NOT_REQUESTABLE,
            )
        row = await tasks.open_task(
            info.context.session,
            info.context.services,
            tasks.NewTask(
                source=source,
                uscc=input.uscc.strip().upper(),
                reason=input.reason,
                district_code=input.district_code,
                station_code=input.station_code,
                items=tuple(input.items),
                reference=input.reference,
            ),
            actor=actor_of(info),
            inspectors=input.inspectors,
        )
        return _task(info, row)

    @mutation(
        "Assign (or reassign) a task's ≥ 2 inspectors, none in conflict with the entity.",
        action="supervision.assign_task",
        target=TASK,
    )
    async def assign_inspectors(
        self, info: Info, id: strawberry.ID, inspectors: list[str], reason: str = ""
    ) -> InspectionTaskPayload:
        row = await tasks.assign(
            info.context.session, info.context.services, str(id), inspectors, actor=actor_of(info), reason=reason
        )
        return _task(info, row)

    @mutation(
        "Start the inspection on site (one of the task's inspectors).",
        action="supervision.start_inspection",
        target=TASK,
    )
    async def start_inspection(self, info: Info, id: strawberry.ID) -> InspectionTaskPayload:
        row = await tasks.start(info.context.session, info.context.services, str(id), actor=actor_of(info))
        return _task(info, row)

    @mutation("Cancel an open task, stating why.", action="supervision.cancel_task", target=TASK)
    async def cancel_inspection_task(self, info: Info, id: strawberry.ID, reason: str) -> InspectionTaskPayload:
        row = await tasks.cancel(
            info.context.session, info.context.services, str(id), actor=actor_of(info), reason=reason
        )
        return _task(info, row)

    @mutation("Close an inspected task.", action="supervision.close_task", target=TASK)
    async def close_inspection_task(self, info: Info, id: strawberry.ID) -> InspectionTaskPayload:
        row = await tasks.close(info.context.session, info.context.services, str(id), actor=actor_of(info))
        return _task(info, row)

    @mutation(
        "Record the inspection's result: checklist findings and their handling (49号令 Art. 31–33).",
        action="supervision.record_inspection_result",
        target=TASK,
    )
    async def record_inspection(
        self, info: Info, id: strawberry.ID, findings: list[FindingInput], notes: str = ""
    ) -> InspectionRecordPayload:
        context = info.context
        recorded = await inspections.record_inspection(
            context.session,
            context.services,
            str(id),
            tuple(finding.to_finding() for finding in findings),
            notes=notes,
            actor=actor_of(info),
        )
        task = await context.session.get(InspectionTaskRow, recorded.record.task_id)
        if task is None:
            raise InternalError("the inspected task vanished")
        today = context.services.today()
        return InspectionRecordPayload(
            record=InspectionRecord.from_row(recorded.record),
            task=InspectionTask.from_row(task, today),
            follow_ups=[InspectionTask.from_row(row, today) for row in recorded.follow_ups],
            warnings=list(recorded.warnings),
        )

    @mutation(
        "一键转办: hand a 不符合 item to enforcement as a lead (once; a repeat changes nothing).",
        action="supervision.transfer_to_enforcement",
        target=TASK,
    )
    async def transfer_to_enforcement(self, info: Info, id: strawberry.ID, item_code: str) -> TransferPayload:
        finding, transferred = await inspections.transfer(
            info.context.session, info.context.services, str(id), item_code, actor=actor_of(info)
        )
        return TransferPayload(finding=InspectionFinding.from_row(finding), transferred=transferred)

    @mutation(
        "Draw a random-inspection plan (双随机): targets and inspectors, recorded reproducibly.",
        action="supervision.draw_plan",
    )
    async def draw_inspection_plan(self, info: Info, input: DrawPlanInput) -> InspectionPlanPayload:
        context = info.context
        plan = await draw.draw(context.session, context.services, input.to_request(), actor=actor_of(info))
        count = await context.session.scalar(
            select(func.count()).select_from(InspectionTaskRow).where(InspectionTaskRow.plan_id == plan.id)
        )
        return InspectionPlanPayload(plan=InspectionPlan.from_row(plan), drawn=int(count or 0))

    @mutation(
        "一公开: publish the plan's inspected results (within 20 working days, Art. 39).",
        action="supervision.publish_results",
        target=PLAN,
    )
    async def publish_plan_results(self, info: Info, plan_id: strawberry.ID) -> PublicationPayload:
        published, complete = await inspections.publish_plan(
            info.context.session, info.context.services, str(plan_id), actor=actor_of(info)
        )
        plan = await info.context.session.get(InspectionPlanRow, str(plan_id))
        if plan is None:
            raise InternalError("the published plan vanished")
        return PublicationPayload(plan=InspectionPlan.from_row(plan), published=published, complete=complete)

    @mutation(
        "Add or update entries of the inspection-target directory (检查对象名录库), with their risk facts.",
        action="supervision.register_targets",
    )
    async def register_inspection_targets(self, info: Info, targets: list[TargetInput]) -> DirectoryPayload:
        session, now = info.context.session, info.context.services.now()
        for target in targets:
            uscc = target.uscc.strip().upper()
            row = await session.get(InspectionTargetRow, uscc) or InspectionTargetRow(uscc=uscc)
            row.name = target.name
            row.district_code = target.district_code
            row.station_code = target.station_code
            row.risk_grade = RiskGrade(target.risk_grade).value if target.risk_grade else None
            row.risk_rule_version = target.risk_rule_version
            row.bad_credit = target.bad_credit
            row.updated_at = now
            session.add(row)
        return DirectoryPayload(written=len(targets))

    @mutation(
        "Grade an entity A–D from its static and dynamic risk scores (49号令 Art. 21, the bands in force).",
        action="supervision.grade_risk",
        target=TARGET,
    )
    async def grade_risk(
        self, info: Info, uscc: str, static_score: int, dynamic_score: int, serious_listed: bool = False
    ) -> InspectionTargetPayload:
        row = await risk.grade(
            info.context.session,
            info.context.services,
            uscc,
            static_score,
            dynamic_score,
            serious_listed=serious_listed,
        )
        return InspectionTargetPayload(target=InspectionTarget.from_row(row))

    @mutation(
        "Add or update an officer of the inspector directory (执法检查人员名录库).",
        action="supervision.register_inspector",
    )
    async def register_inspector(
        self,
        info: Info,
        subject: str,
        name: str,
        district_code: str,
        station_code: str | None = None,
        active: bool = True,
    ) -> DirectoryPayload:
        info.context.jurisdiction.require_write(Place(district_code=district_code, station_code=station_code))
        session = info.context.session
        row = await session.get(InspectorRow, subject) or InspectorRow(subject=subject)
        row.name, row.district_code, row.station_code, row.active = name, district_code, station_code, active
        session.add(row)
        return DirectoryPayload(written=1)

    @mutation(
        "Record a conflict of interest: the inspector withdraws from this entity (回避, Art. 23).",
        action="supervision.record_conflict",
    )
    async def record_inspector_conflict(self, info: Info, inspector: str, uscc: str, kind: str) -> DirectoryPayload:
        info.context.session.add(InspectorConflictRow(inspector=inspector, uscc=uscc.strip().upper(), kind=kind))
        return DirectoryPayload(written=1)

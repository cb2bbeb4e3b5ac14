"""GraphQL types of the supervision subgraph: ``InspectionTask @key(id)``, plans, records, the ``MarketEntity``
extension (inspections, risk grade, open tasks)."""

from __future__ import annotations

import datetime as dt

import strawberry

from subgraphs.common.context import RequestContext
from subgraphs.common.fields import field
from subgraphs.supervision import risk
from subgraphs.supervision.loaders import SupervisionLoaders
from subgraphs.supervision.models import (
    InspectionFindingRow,
    InspectionPlanRow,
    InspectionRecordRow,
    InspectionTargetRow,
    InspectionTaskRow,
    TaskChangeRow,
)
from subgraphs.supervision.services import SupervisionServices
from subgraphs.supervision.tasks import allowed_next
from subgraphs.supervision.vocabulary import (
    Handling,
    ItemKind,
    Outcome,
    PlanStatus,
    RiskGrade,
    TaskSource,
    TaskStatus,
)

Info = strawberry.Info[RequestContext[SupervisionLoaders, SupervisionServices], None]

for _enum in (TaskSource, TaskStatus, ItemKind, Outcome, Handling, PlanStatus, RiskGrade):
    strawberry.enum(_enum)


@strawberry.type(description="One change of a task: who, when, from, to, why.")
class TaskChange:
    from_status: TaskStatus | None
    to_status: TaskStatus
    actor: str
    at: dt.datetime
    reason: str

    @classmethod
    def from_row(cls, row: TaskChangeRow) -> TaskChange:
        return cls(
            from_status=TaskStatus(row.from_status) if row.from_status else None,
            to_status=TaskStatus(row.to_status),
            actor=row.actor,
            at=row.at,
            reason=row.reason,
        )


@strawberry.type(description="One checklist item of an inspection record and what follows from it (Art. 31–33).")
class InspectionFinding:
    item_code: str
    kind: ItemKind
    outcome: Outcome
    affects_food_safety: bool
    handling: Handling
    deadline_on: dt.date | None
    follow_up_task_id: strawberry.ID | None
    note: str
    evidence: list[str]
    transfer_id: str | None = strawberry.field(description="Set once the item was handed to enforcement (一键转办).")

    @classmethod
    def from_row(cls, row: InspectionFindingRow) -> InspectionFinding:
        return cls(
            item_code=row.item_code,
            kind=ItemKind(row.kind),
            outcome=Outcome(row.outcome),
            affects_food_safety=row.affects_food_safety,
            handling=Handling(row.handling),
            deadline_on=row.deadline_on,
            follow_up_task_id=strawberry.ID(row.follow_up_task_id) if row.follow_up_task_id else None,
            note=row.note,
            evidence=list(row.evidence),
            transfer_id=row.transfer_id,
        )


@strawberry.type(description="The result of an inspection (监督检查结果记录表).")
class InspectionRecord:
    id: strawberry.ID
    task_id: strawberry.ID
    uscc: str
    inspected_on: dt.date
    outcome: Outcome
    notes: str
    recorded_by: str

    @field(description="The checklist items, in the order recorded.")
    async def findings(self, info: Info) -> list[InspectionFinding]:
        return [InspectionFinding.from_row(row) for row in await info.context.loaders.findings.load(str(self.id))]

    @classmethod
    def from_row(cls, row: InspectionRecordRow) -> InspectionRecord:
        return cls(
            id=strawberry.ID(row.id),
            task_id=strawberry.ID(row.task_id),
            uscc=row.uscc,
            inspected_on=row.inspected_on,
            outcome=Outcome(row.outcome),
            notes=row.notes,
            recorded_by=row.recorded_by,
        )


@strawberry.federation.type(keys=["id"], description="An inspection task: the task core of supervision.")
class InspectionTask:
    id: strawberry.ID
    source: TaskSource
    uscc: str
    reason: str
    reference: str | None
    plan_id: strawberry.ID | None
    items: list[str]
    status: TaskStatus
    district_code: str | None
    station_code: str | None
    due_on: dt.date
    due_rule: str = strawberry.field(description="The rule version (or record) the due date comes from.")
    inspected_on: dt.date | None
    publish_by: dt.date | None
    published_on: dt.date | None
    today: strawberry.Private[dt.date]

    @field(description="True when the task is open past its due date.")
    def overdue(self) -> bool:
        return self.status in (TaskStatus.UNASSIGNED, TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS) and (
            self.due_on < self.today
        )

    @field(description="True when the result is unpublished past its 20-working-day publication date (Art. 39).")
    def publication_overdue(self) -> bool:
        return self.publish_by is not None and self.published_on is None and self.publish_by < self.today

    @field(description="The statuses the task may move to next.")
    def allowed_next(self) -> list[TaskStatus]:
        return sorted(allowed_next(self.status), key=lambda status: status.value)

    @field(description="The assigned inspectors (subjects of the inspector directory).")
    async def inspectors(self, info: Info) -> list[str]:
        return [row.inspector for row in await info.context.loaders.inspectors.load(str(self.id))]

    @field(description="Every change, oldest first.")
    async def history(self, info: Info) -> list[TaskChange]:
        return [TaskChange.from_row(row) for row in await info.context.loaders.changes.load(str(self.id))]

    @field(description="The inspection's record, once inspected.")
    async def record(self, info: Info) -> InspectionRecord | None:
        row = await info.context.loaders.record_of_task.load(str(self.id))
        return InspectionRecord.from_row(row) if row is not None else None

    @field(description="The entity inspected.")
    def entity(self) -> MarketEntity | None:
        return MarketEntity(uscc=self.uscc)

    @classmethod
    def from_row(cls, row: InspectionTaskRow, today: dt.date) -> InspectionTask:
        return cls(
            id=strawberry.ID(row.id),
            source=TaskSource(row.source),
            uscc=row.uscc,
            reason=row.reason,
            reference=row.reference,
            plan_id=strawberry.ID(row.plan_id) if row.plan_id else None,
            items=list(row.items),
            status=TaskStatus(row.status),
            district_code=row.district_code,
            station_code=row.station_code,
            due_on=row.due_on,
            due_rule=row.due_rule,
            inspected_on=row.inspected_on,
            publish_by=row.publish_by,
            published_on=row.published_on,
            today=today,
        )

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> InspectionTask | None:
        row = await info.context.loaders.task.load(str(id))
        return cls.from_row(row, info.context.services.today()) if row is not None else None


@strawberry.type(description="A random-inspection plan (双随机) and its recorded draw.")
class InspectionPlan:
    id: strawberry.ID
    name: str
    district_code: str | None
    items: list[str]
    ratio: float | None
    count: int | None
    algorithm: str
    seed: str
    inputs_digest: str
    pool_size: int
    recusals: int
    status: PlanStatus
    due_on: dt.date
    drawn_by: str
    drawn_at: dt.datetime

    @classmethod
    def from_row(cls, row: InspectionPlanRow) -> InspectionPlan:
        return cls(
            id=strawberry.ID(row.id),
            name=row.name,
            district_code=row.district_code,
            items=list(row.items),
            ratio=row.ratio,
            count=row.count,
            algorithm=row.algorithm,
            seed=row.seed,
            inputs_digest=row.inputs_digest,
            pool_size=row.pool_size,
            recusals=row.recusals,
            status=PlanStatus(row.status),
            due_on=row.due_on,
            drawn_by=row.drawn_by,
            drawn_at=row.drawn_at,
        )


@strawberry.type(description="When an entity's next inspection is due by its risk grade (frequency matrix).")
class InspectionDue:
    due_on: dt.date
    rule: str = strawberry.field(description="The frequency rule version (ungraded entities count as A).")
    last_inspected_on: dt.date | None
    overdue: bool


@strawberry.type(description="An entry of the inspection-target directory (检查对象名录库).")
class InspectionTarget:
    uscc: str
    name: str
    district_code: str | None
    station_code: str | None
    risk_grade: RiskGrade | None
    risk_rule_version: str | None
    bad_credit: bool

    @classmethod
    def from_row(cls, row: InspectionTargetRow) -> InspectionTarget:
        return cls(
            uscc=row.uscc,
            name=row.name,
            district_code=row.district_code,
            station_code=row.station_code,
            risk_grade=RiskGrade(row.risk_grade) if row.risk_grade else None,
            risk_rule_version=row.risk_rule_version,
            bad_credit=row.bad_credit,
        )


@strawberry.federation.type(keys=["uscc"], description="A market entity (市场主体), owned by the entities subgraph.")
class MarketEntity:
    uscc: str

    @field(description="Inspection records of this entity in your jurisdiction, newest first.")
    async def inspections(self, info: Info) -> list[InspectionRecord] | None:
        rows = await info.context.loaders.records_of_entity.load(self.uscc)
        return [InspectionRecord.from_row(row) for row in rows]

    @field(description="The entity's risk grade A–D in the inspection-target directory (None: not graded).")
    async def risk_grade(self, info: Info) -> RiskGrade | None:
        row = await info.context.loaders.target.load(self.uscc)
        return RiskGrade(row.risk_grade) if row is not None and row.risk_grade else None

    @field(description="The next inspection due by the frequency matrix (None: not in your target directory).")
    async def next_inspection_due(self, info: Info) -> InspectionDue | None:
        target = await info.context.loaders.target.load(self.uscc)
        if target is None:
            return None
        last = await info.context.loaders.last_inspected.load(self.uscc)
        due_on, rule = risk.next_due(info.context.services, target.risk_grade, last)
        return InspectionDue(
            due_on=due_on, rule=rule, last_inspected_on=last, overdue=due_on < info.context.services.today()
        )

    @field(description="Tasks on this entity not yet inspected or cancelled, soonest due first.")
    async def open_tasks(self, info: Info) -> list[InspectionTask] | None:
        today = info.context.services.today()
        rows = await info.context.loaders.open_tasks_of_entity.load(self.uscc)
        return [InspectionTask.from_row(row, today) for row in rows]

    @classmethod
    def resolve_reference(cls, uscc: str) -> MarketEntity:
        return cls(uscc=uscc)

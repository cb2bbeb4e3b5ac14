"""Read side of the supervision subgraph: tasks (one, keyset-paged worklists), plans, draw verification,
indicators."""

from __future__ import annotations

import datetime as dt

import strawberry
from sqlalchemy import Select, select

from kernel.errors import NotFoundError
from subgraphs.common.fields import field, query
from subgraphs.common.pagination import Connection, Page, keyset_page
from subgraphs.supervision import draw, indicators, risk
from subgraphs.supervision.models import InspectionPlanRow, InspectionTargetRow, InspectionTaskRow
from subgraphs.supervision.tasks import OPEN_STATES
from subgraphs.supervision.types import Info, InspectionPlan, InspectionTarget, InspectionTask
from subgraphs.supervision.vocabulary import TaskSource, TaskStatus


@strawberry.input(description="Narrow a task worklist; every given field must match.")
class TaskFilter:
    statuses: list[TaskStatus] | None = None
    source: TaskSource | None = None
    uscc: str | None = None
    station_code: str | None = None
    plan_id: strawberry.ID | None = None
    overdue: bool | None = strawberry.field(default=None, description="Only open tasks past their due date.")


@strawberry.type(description="verifyDraw: the plan's draw re-run over the data as it is now.")
class DrawVerification:
    plan_id: strawberry.ID
    algorithm: str
    seed: str
    inputs_match: bool = strawberry.field(description="The inputs' digest equals the one recorded at the draw.")
    selection_match: bool = strawberry.field(description="The re-run selects the same targets and inspectors.")
    matches: bool
    drawn: int
    redrawn: int


@strawberry.type(description="How many tasks in one group.")
class TaskCount:
    key: str
    count: int


@strawberry.type(description="Command-centre indicators of supervision in your jurisdiction.")
class SupervisionIndicators:
    by_district: list[TaskCount]
    by_station: list[TaskCount]
    by_status: list[TaskCount]
    overdue_tasks: int
    random_tasks: int
    random_inspected: int
    random_published: int
    publication_overdue: int

    @field(description="Inspected random-inspection tasks / all drawn (not cancelled).")
    def random_completion_rate(self) -> float:
        return self.random_inspected / self.random_tasks if self.random_tasks else 0.0

    @field(description="Published results / inspected random-inspection tasks.")
    def random_publication_rate(self) -> float:
        return self.random_published / self.random_inspected if self.random_inspected else 0.0


def _filtered(where: TaskFilter | None, today: dt.date) -> Select[InspectionTaskRow]:
    statement = select(InspectionTaskRow)
    if where is None:
        return statement
    if where.statuses:
        statement = statement.where(InspectionTaskRow.status.in_([s.value for s in where.statuses]))
    if where.source is not None:
        statement = statement.where(InspectionTaskRow.source == where.source.value)
    if where.uscc is not None:
        statement = statement.where(InspectionTaskRow.uscc == where.uscc.strip().upper())
    if where.station_code is not None:
        statement = statement.where(InspectionTaskRow.station_code == where.station_code)
    if where.plan_id is not None:
        statement = statement.where(InspectionTaskRow.plan_id == str(where.plan_id))
    if where.overdue is not None:
        late = InspectionTaskRow.status.in_([s.value for s in OPEN_STATES]) & (InspectionTaskRow.due_on < today)
        statement = statement.where(late if where.overdue else ~late)
    return statement


@strawberry.type
class Query:
    @query(description="One inspection task in your jurisdiction.")
    async def inspection_task(self, info: Info, id: strawberry.ID) -> InspectionTask | None:
        row = await info.context.loaders.task.load(str(id))
        return InspectionTask.from_row(row, info.context.services.today()) if row is not None else None

    @query(description="Inspection tasks in your jurisdiction, by id, a page at a time.")
    async def inspection_tasks(
        self, info: Info, where: TaskFilter | None = None, first: int = 20, after: str | None = None
    ) -> Connection[InspectionTask]:
        today = info.context.services.today()
        page: Page[InspectionTaskRow] = await keyset_page(
            info.context.session,
            _filtered(where, today),
            [InspectionTaskRow.id],
            lambda row: (row.id,),
            first=first,
            after=after,
        )
        return page.to_connection(lambda row: InspectionTask.from_row(row, today))

    @query(description="One random-inspection plan in your jurisdiction.")
    async def inspection_plan(self, info: Info, id: strawberry.ID) -> InspectionPlan | None:
        row = await info.context.session.get(InspectionPlanRow, str(id))
        return InspectionPlan.from_row(row) if row is not None else None

    @query(description="Re-run a plan's draw from its seed over the data as it is now, and compare (双随机 可复现).")
    async def verify_draw(self, info: Info, plan_id: strawberry.ID) -> DrawVerification:
        plan = await info.context.session.get(InspectionPlanRow, str(plan_id))
        if plan is None:
            raise NotFoundError(f"no inspection plan {plan_id} in your jurisdiction", details={"id": str(plan_id)})
        opened = info.context.sessions() if info.context.sessions is not None else None
        try:  # in a session of its own, which begins with the re-run's snapshot (draw.SNAPSHOT)
            result = await draw.verify(opened or info.context.session, info.context.services, plan)
        finally:
            if opened is not None:
                await opened.close()
        return DrawVerification(
            plan_id=strawberry.ID(plan.id),
            algorithm=plan.algorithm,
            seed=plan.seed,
            inputs_match=result.inputs_match,
            selection_match=result.selection_match,
            matches=result.matches,
            drawn=result.drawn,
            redrawn=result.redrawn,
        )

    @query(description="Directory entries no inspection reached within the 2-year coverage floor (49号令 Art. 22).")
    async def coverage_gaps(
        self, info: Info, first: int = 20, after: str | None = None
    ) -> Connection[InspectionTarget]:
        statement, _since = risk.coverage_gaps(info.context.services)
        page: Page[InspectionTargetRow] = await keyset_page(
            info.context.session,
            statement,
            [InspectionTargetRow.uscc],
            lambda row: (row.uscc,),
            first=first,
            after=after,
        )
        return page.to_connection(InspectionTarget.from_row)

    @query(description="Counts by district, station and status; overdue tasks; random-inspection rates.")
    async def supervision_indicators(self, info: Info) -> SupervisionIndicators:
        context = info.context
        figures = await indicators.task_figures(context.session, context.jurisdiction.reads, context.services.today())
        by_district, by_station, by_status = (
            [TaskCount(key=key, count=n) for key, n in sorted(counter.items()) if n]
            for counter in (figures.by_district, figures.by_station, figures.by_status)
        )
        return SupervisionIndicators(
            by_district=by_district,
            by_station=by_station,
            by_status=by_status,
            overdue_tasks=figures.overdue,
            random_tasks=figures.random_tasks,
            random_inspected=figures.random_inspected,
            random_published=figures.random_published,
            publication_overdue=figures.publication_overdue,
        )

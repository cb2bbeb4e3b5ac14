"""One request's DataLoaders: tasks by id and entity, inspectors and changes by task, records and findings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader

from subgraphs.common.loaders import many_per_key, one_per_key
from subgraphs.supervision.models import (
    InspectionFindingRow,
    InspectionRecordRow,
    InspectionTargetRow,
    InspectionTaskRow,
    TaskChangeRow,
    TaskInspectorRow,
)
from subgraphs.supervision.risk import last_inspected
from subgraphs.supervision.services import SupervisionServices
from subgraphs.supervision.tasks import OPEN_STATES


@dataclass(slots=True)
class SupervisionLoaders:
    """Built per request around the request's session."""

    session: AsyncSession
    services: SupervisionServices
    task: DataLoader[str, InspectionTaskRow | None] = field(init=False)
    inspectors: DataLoader[str, list[TaskInspectorRow]] = field(init=False)
    changes: DataLoader[str, list[TaskChangeRow]] = field(init=False)
    record_of_task: DataLoader[str, InspectionRecordRow | None] = field(init=False)
    findings: DataLoader[str, list[InspectionFindingRow]] = field(init=False)
    records_of_entity: DataLoader[str, list[InspectionRecordRow]] = field(init=False)
    open_tasks_of_entity: DataLoader[str, list[InspectionTaskRow]] = field(init=False)
    target: DataLoader[str, InspectionTargetRow | None] = field(init=False)
    last_inspected: DataLoader[str, dt.date | None] = field(init=False)

    def __post_init__(self) -> None:
        self.task = DataLoader(load_fn=self._task)
        self.inspectors = DataLoader(load_fn=self._inspectors)
        self.changes = DataLoader(load_fn=self._changes)
        self.record_of_task = DataLoader(load_fn=self._record_of_task)
        self.findings = DataLoader(load_fn=self._findings)
        self.records_of_entity = DataLoader(load_fn=self._records_of_entity)
        self.open_tasks_of_entity = DataLoader(load_fn=self._open_tasks_of_entity)
        self.target = DataLoader(load_fn=self._target)
        self.last_inspected = DataLoader(load_fn=self._last_inspected)

    async def _task(self, ids: Sequence[str]) -> list[InspectionTaskRow | None]:
        rows = await self.session.scalars(select(InspectionTaskRow).where(InspectionTaskRow.id.in_(ids)))
        return one_per_key(ids, rows, lambda row: row.id)

    async def _inspectors(self, ids: Sequence[str]) -> list[list[TaskInspectorRow]]:
        statement = (
            select(TaskInspectorRow).where(TaskInspectorRow.task_id.in_(ids)).order_by(TaskInspectorRow.inspector)
        )
        return many_per_key(ids, await self.session.scalars(statement), lambda row: row.task_id)

    async def _changes(self, ids: Sequence[str]) -> list[list[TaskChangeRow]]:
        statement = select(TaskChangeRow).where(TaskChangeRow.task_id.in_(ids)).order_by(TaskChangeRow.id)
        return many_per_key(ids, await self.session.scalars(statement), lambda row: row.task_id)

    async def _record_of_task(self, ids: Sequence[str]) -> list[InspectionRecordRow | None]:
        rows = await self.session.scalars(select(InspectionRecordRow).where(InspectionRecordRow.task_id.in_(ids)))
        return one_per_key(ids, rows, lambda row: row.task_id)

    async def _findings(self, ids: Sequence[str]) -> list[list[InspectionFindingRow]]:
        statement = (
            select(InspectionFindingRow)
            .where(InspectionFindingRow.record_id.in_(ids))
            .order_by(InspectionFindingRow.id)
        )
        return many_per_key(ids, await self.session.scalars(statement), lambda row: row.record_id)

    async def _records_of_entity(self, usccs: Sequence[str]) -> list[list[InspectionRecordRow]]:
        statement = (
            select(InspectionRecordRow)
            .join(InspectionTaskRow, InspectionTaskRow.id == InspectionRecordRow.task_id)  # the task's scope
            .where(InspectionTaskRow.uscc.in_(usccs))
            .order_by(InspectionRecordRow.inspected_on.desc(), InspectionRecordRow.id)
        )
        return many_per_key(usccs, await self.session.scalars(statement), lambda row: row.uscc)

    async def _open_tasks_of_entity(self, usccs: Sequence[str]) -> list[list[InspectionTaskRow]]:
        statement = (
            select(InspectionTaskRow)
            .where(InspectionTaskRow.uscc.in_(usccs), InspectionTaskRow.status.in_([s.value for s in OPEN_STATES]))
            .order_by(InspectionTaskRow.due_on, InspectionTaskRow.id)
        )
        return many_per_key(usccs, await self.session.scalars(statement), lambda row: row.uscc)

    async def _target(self, usccs: Sequence[str]) -> list[InspectionTargetRow | None]:
        rows = await self.session.scalars(select(InspectionTargetRow).where(InspectionTargetRow.uscc.in_(usccs)))
        return one_per_key(usccs, rows, lambda row: row.uscc)

    async def _last_inspected(self, usccs: Sequence[str]) -> list[dt.date | None]:
        statement = last_inspected().where(InspectionRecordRow.uscc.in_(usccs))  # any unit's inspection counts
        rows = (await self.session.execute(statement)).all()
        found = {uscc: on for uscc, on in rows}
        return [found.get(uscc) for uscc in usccs]

"""The command centre's task figures (指挥中心): counts by district, station and status, overdue tasks, and the
random inspections' completion and publication — read from the task tallies the database keeps
(:class:`~subgraphs.supervision.models.TaskTallyRow`), a few hundred rows whatever the number of tasks.

A tally knows its unit, not each task's grants, so what a caller reaches beyond its unit — the tasks granted to it
(an inspector from another station, a case of 案件移送's kind) — is counted from the tasks themselves, and so is
everything an enterprise user reaches (its own tasks). The two add up to what counting the tasks in the caller's
read scope would give (``tests/subgraphs/supervision/test_indicators.py`` compares them).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, false, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from kernel.orgtree import OrgLevel
from subgraphs.common.jurisdiction import DataScope, granted_records
from subgraphs.supervision.models import InspectionTaskRow, TaskTallyRow
from subgraphs.supervision.tasks import OPEN_STATES
from subgraphs.supervision.vocabulary import TaskSource, TaskStatus

_OPEN = [state.value for state in OPEN_STATES]


@dataclass
class TaskFigures:
    """The figures of :func:`task_figures`; ``-`` stands for a task without that unit."""

    by_district: Counter[str] = field(default_factory=Counter)
    by_station: Counter[str] = field(default_factory=Counter)
    by_status: Counter[str] = field(default_factory=Counter)
    overdue: int = 0
    random_tasks: int = 0
    random_inspected: int = 0
    random_published: int = 0
    publication_overdue: int = 0

    def add(self, rows: Sequence[Sequence[Any]]) -> None:
        """Rows of (district, station, status, tasks, overdue, random, inspected, published, publication overdue)."""
        for district, station, status, count, overdue, random, inspected, published, late in rows:
            self.by_district[district or "-"] += int(count or 0)
            self.by_station[station or "-"] += int(count or 0)
            self.by_status[status] += int(count or 0)
            self.overdue += int(overdue or 0)
            self.random_tasks += int(random or 0)
            self.random_inspected += int(inspected or 0)
            self.random_published += int(published or 0)
            self.publication_overdue += int(late or 0)


async def task_figures(session: AsyncSession, reads: DataScope, today: dt.date) -> TaskFigures:
    """The figures of the tasks ``reads`` reaches (``session`` is scoped to it)."""
    figures = TaskFigures()
    if reads.holders or reads.unit is None:  # an enterprise's own tasks, or none: counted one by one
        figures.add(await counted(session, today))
        return figures
    figures.add(await tallied(session, today))
    granted = granted_records(InspectionTaskRow, reads)
    beyond = _beyond(reads)
    if granted is not None and beyond is not None:
        figures.add(await counted(session, today, InspectionTaskRow.id.in_(granted), beyond))
    return figures


def _beyond(reads: DataScope) -> ColumnElement[bool] | None:
    """Tasks outside the caller's unit (None for the whole city: nothing is)."""
    unit, task = reads.unit, InspectionTaskRow
    if unit is None or unit.level is OrgLevel.CITY:
        return None
    column = task.district_code if unit.level is OrgLevel.DISTRICT else task.station_code
    return or_(column.is_(None), column != unit.code)


async def tallied(session: AsyncSession, today: dt.date) -> Sequence[Sequence[Any]]:
    """The figures per (district, station, status) from the tallies within the session's scope."""
    tally = TaskTallyRow
    drawn = tally.random_inspection & (tally.status != TaskStatus.CANCELLED.value)
    groups = (tally.district_code, tally.station_code, tally.status)
    statement = select(
        *groups,
        func.sum(tally.tasks),
        func.sum(tally.tasks).filter(tally.status.in_(_OPEN), tally.due_on < today),
        func.sum(tally.tasks).filter(drawn),
        func.sum(tally.tasks).filter(drawn, tally.inspected),
        func.sum(tally.tasks).filter(drawn, tally.published),
        func.sum(tally.tasks).filter(tally.published == false(), tally.publish_by < today),
    ).group_by(*groups)
    return (await session.execute(statement)).all()


async def counted(session: AsyncSession, today: dt.date, *where: ColumnElement[bool]) -> Sequence[Sequence[Any]]:
    """The same figures counted over the tasks themselves (those of ``where`` within the session's scope)."""
    task = InspectionTaskRow
    drawn = (task.source == TaskSource.RANDOM_INSPECTION.value) & (task.status != TaskStatus.CANCELLED.value)
    groups = (task.district_code, task.station_code, task.status)
    statement = (
        select(
            *groups,
            func.count(),
            func.count().filter(task.status.in_(_OPEN), task.due_on < today),
            func.count().filter(drawn),
            func.count().filter(drawn, task.inspected_on.is_not(None)),
            func.count().filter(drawn, task.published_on.is_not(None)),
            func.count().filter(task.published_on.is_(None), task.publish_by < today),
        )
        .where(*where)
        .group_by(*groups)
    )
    return (await session.execute(statement)).all()

"""The task core (DOMAIN.md §4): an inspection task's state machine, its due date from rule data, and the record
of every change (who, when, from, to, why).

UNASSIGNED → ASSIGNED (≥ 2 inspectors, none with a conflict) → IN_PROGRESS → INSPECTED (a record, see
``inspections``) → CLOSED; CANCELLED from any open state, with a reason. Every step locks the task first
(:func:`subgraphs.common.records.lock_for_change`), so of two officers acting at once one wins and the other is
told ``ILLEGAL_TRANSITION``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from kernel.errors import ClientError, InvalidTransitionError
from subgraphs.common.records import lock_for_change
from subgraphs.supervision.errors import SupervisionCode
from subgraphs.supervision.models import (
    InspectionTaskGrantRow,
    InspectionTaskRow,
    InspectorConflictRow,
    InspectorRow,
    TaskChangeRow,
    TaskInspectorRow,
)
from subgraphs.supervision.services import SupervisionServices
from subgraphs.supervision.vocabulary import TaskSource, TaskStatus

MIN_INSPECTORS = 2
"""49号令 Art. 23: at least two inspectors."""

TRANSITIONS: dict[TaskStatus, frozenset[TaskStatus]] = {
    TaskStatus.UNASSIGNED: frozenset({TaskStatus.ASSIGNED, TaskStatus.CANCELLED}),
    TaskStatus.ASSIGNED: frozenset({TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS, TaskStatus.CANCELLED}),
    TaskStatus.IN_PROGRESS: frozenset({TaskStatus.INSPECTED, TaskStatus.CANCELLED}),
    TaskStatus.INSPECTED: frozenset({TaskStatus.CLOSED}),
    TaskStatus.CLOSED: frozenset(),
    TaskStatus.CANCELLED: frozenset(),
}
OPEN_STATES = frozenset({TaskStatus.UNASSIGNED, TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS})


def allowed_next(status: TaskStatus) -> frozenset[TaskStatus]:
    return TRANSITIONS[status]


def due_date(services: SupervisionServices, source: TaskSource, start: dt.date) -> tuple[dt.date, str]:
    """When a task of ``source`` opened on ``start`` is due, and the rule version it was computed from."""
    rule = services.rules.get(f"supervision.task_due.{source.value}", start)
    return rule.period_end(start), rule.version


@dataclass(frozen=True, slots=True)
class NewTask:
    """A task to open: what, on whom, where, why."""

    source: TaskSource
    uscc: str
    reason: str
    district_code: str | None
    station_code: str | None
    items: tuple[str, ...] = ()
    reference: str | None = None
    request_key: str | None = None
    plan_id: str | None = None
    due_on: dt.date | None = None
    """Set where the due date is the record's own (a written deadline's follow-up); else from rule data."""
    beside: InspectionTaskRow | None = None
    """The task this one follows up, already admitted for the caller: the new task is placed where it is and
    written as a statement (the session's placement check is for tasks placed by their input; a granted inspector
    from another station opens the follow-up of the task they were granted)."""


def require_step(task: InspectionTaskRow, to: TaskStatus) -> None:
    """``ILLEGAL_TRANSITION`` unless :data:`TRANSITIONS` has the edge from the task's status to ``to``."""
    current = TaskStatus(task.status)
    if to not in TRANSITIONS[current]:
        raise InvalidTransitionError(
            f"a task in {current.value} cannot become {to.value}; nothing was changed",
            details={"status": current.value, "allowed": sorted(s.value for s in TRANSITIONS[current])},
        )


def record_change(
    session: AsyncSession, task: InspectionTaskRow, to: TaskStatus, *, actor: str, at: dt.datetime, reason: str
) -> None:
    """Move ``task`` to ``to`` along an edge of :data:`TRANSITIONS` and record who, when and why."""
    current = TaskStatus(task.status) if task.status else None
    if current is not None:
        require_step(task, to)
    session.add(
        TaskChangeRow(
            task_id=task.id,
            from_status=current.value if current else None,
            to_status=to.value,
            actor=actor,
            at=at,
            reason=reason,
        )
    )
    task.status = to.value
    task.updated_at = at


async def open_task(
    session: AsyncSession,
    services: SupervisionServices,
    new: NewTask,
    *,
    actor: str,
    inspectors: Sequence[str] = (),
) -> InspectionTaskRow:
    """A new task, UNASSIGNED, or ASSIGNED when ``inspectors`` are named (checked as :func:`assign` checks them;
    an inspector of another station is granted this one task)."""
    at = services.now()
    today = services.today(at)
    if new.due_on is not None:
        due_on, due_rule = new.due_on, "the written deadline + supervision.follow_up_grace (49号令 Art. 32)"
    else:
        due_on, due_rule = due_date(services, new.source, today)
    task = InspectionTaskRow(
        id=str(uuid.uuid4()),
        source=new.source.value,
        uscc=new.uscc,
        reason=new.reason,
        reference=new.reference,
        request_key=new.request_key,
        plan_id=new.plan_id,
        items=list(new.items),
        status=TaskStatus.UNASSIGNED.value,
        district_code=new.beside.district_code if new.beside else new.district_code,
        station_code=new.beside.station_code if new.beside else new.station_code,
        due_on=due_on,
        due_rule=due_rule,
        created_at=at,
        updated_at=at,
    )
    if new.beside is not None:
        columns = {column.key: getattr(task, column.key) for column in InspectionTaskRow.__table__.columns}
        await session.execute(insert(InspectionTaskRow).values(**columns))
    else:
        session.add(task)
        await session.flush()
    session.add(
        TaskChangeRow(task_id=task.id, from_status=None, to_status=task.status, actor=actor, at=at, reason=new.reason)
    )
    if inspectors:
        await _check_inspectors(session, task.uscc, inspectors)
        await _put_inspectors(session, task, inspectors, actor=actor, at=at)
        record_change(session, task, TaskStatus.ASSIGNED, actor=actor, at=at, reason="inspectors assigned")
    return task


async def _check_inspectors(session: AsyncSession, uscc: str, inspectors: Sequence[str]) -> None:
    """≥ 2 distinct active inspectors of the directory, none in the conflict register for ``uscc``."""
    names = list(dict.fromkeys(inspectors))
    if len(names) < MIN_INSPECTORS:
        raise ClientError(
            f"a task needs at least {MIN_INSPECTORS} different inspectors (49号令 Art. 23), {len(names)} named",
            code=SupervisionCode.INSUFFICIENT_INSPECTORS,
        )
    known = set(
        await session.scalars(select(InspectorRow.subject).where(InspectorRow.subject.in_(names), InspectorRow.active))
    )
    unknown = [name for name in names if name not in known]
    if unknown:
        raise ClientError(
            f"not active inspectors of the directory: {', '.join(unknown)}",
            code=SupervisionCode.UNKNOWN_INSPECTOR,
            details={"inspectors": unknown},
        )
    conflicted = sorted(
        set(
            await session.scalars(
                select(InspectorConflictRow.inspector).where(
                    InspectorConflictRow.uscc == uscc, InspectorConflictRow.inspector.in_(names)
                )
            )
        )
    )
    if conflicted:
        raise ClientError(
            f"must withdraw from this entity (回避, 49号令 Art. 23): {', '.join(conflicted)}",
            code=SupervisionCode.INSPECTOR_CONFLICT,
            details={"inspectors": conflicted},
        )


async def _put_inspectors(
    session: AsyncSession, task: InspectionTaskRow, inspectors: Sequence[str], *, actor: str, at: dt.datetime
) -> None:
    """Assign ``inspectors``; grant the task to those of another station, revoke the grants of those removed."""
    names = list(dict.fromkeys(inspectors))
    for name in names:
        session.add(TaskInspectorRow(task_id=task.id, inspector=name))
    grants = await session.scalars(
        select(InspectionTaskGrantRow).where(
            InspectionTaskGrantRow.record_id == task.id, InspectionTaskGrantRow.revoked_at.is_(None)
        )
    )
    granted = set()
    for grant in grants:
        if grant.grantee_subject not in names:
            grant.revoked_at = at
        else:
            granted.add(grant.grantee_subject)
    homes = dict(
        (
            await session.execute(
                select(InspectorRow.subject, InspectorRow.station_code).where(InspectorRow.subject.in_(names))
            )
        ).all()
    )
    for name in names:
        if name not in granted and homes.get(name) != task.station_code:
            session.add(cross_station_grant(task.id, name, homes.get(name), actor=actor, at=at))


def cross_station_grant(
    task_id: str, inspector: str, home: str | None, *, actor: str, at: dt.datetime
) -> InspectionTaskGrantRow:
    """The audited grant of one task to an inspector whose station is not the task's (49号令 Art. 23 teams may be
    drawn across a district's stations): that officer reads and changes this task only."""
    return InspectionTaskGrantRow(**cross_station_grant_values(task_id, inspector, home, actor=actor, at=at))


def cross_station_grant_values(
    task_id: str, inspector: str, home: str | None, *, actor: str, at: dt.datetime
) -> dict[str, Any]:
    """:func:`cross_station_grant`'s columns, for a draw that inserts tens of thousands of them in bulk."""
    return {
        "record_id": task_id,
        "grantee_unit": None,
        "grantee_subject": inspector,
        "granted_by": actor,
        "granted_at": at,
        "reason": f"assigned inspector from station {home or '-'}",
    }


async def assign(
    session: AsyncSession,
    services: SupervisionServices,
    task_id: str,
    inspectors: Sequence[str],
    *,
    actor: str,
    reason: str,
) -> InspectionTaskRow:
    """Assign (or reassign) the task's inspectors: UNASSIGNED or ASSIGNED → ASSIGNED."""
    task = await lock_for_change(session, InspectionTaskRow, task_id, "inspection task")
    require_step(task, TaskStatus.ASSIGNED)
    if task.status == TaskStatus.ASSIGNED and not reason.strip():
        raise ClientError("a reassignment must state its reason", code=SupervisionCode.REASON_REQUIRED)
    await _check_inspectors(session, task.uscc, inspectors)
    at = services.now()
    await session.execute(delete(TaskInspectorRow).where(TaskInspectorRow.task_id == task.id))
    await _put_inspectors(session, task, inspectors, actor=actor, at=at)
    record_change(session, task, TaskStatus.ASSIGNED, actor=actor, at=at, reason=reason or "assigned")
    return task


async def inspectors_of(session: AsyncSession, task_id: str) -> list[str]:
    rows = await session.scalars(
        select(TaskInspectorRow.inspector)
        .where(TaskInspectorRow.task_id == task_id)
        .order_by(TaskInspectorRow.inspector)
    )
    return list(rows)


async def require_assigned(session: AsyncSession, task: InspectionTaskRow, actor: str) -> None:
    """``NOT_ASSIGNED`` unless ``actor`` is one of the task's inspectors."""
    if actor not in await inspectors_of(session, task.id):
        raise ClientError(
            "only an inspector assigned to this task may do this; nothing was changed",
            code=SupervisionCode.NOT_ASSIGNED,
        )


async def start(session: AsyncSession, services: SupervisionServices, task_id: str, *, actor: str) -> InspectionTaskRow:
    """ASSIGNED → IN_PROGRESS, by one of its inspectors (on site, credentials shown: Art. 24)."""
    task = await lock_for_change(session, InspectionTaskRow, task_id, "inspection task")
    require_step(task, TaskStatus.IN_PROGRESS)
    await require_assigned(session, task, actor)
    record_change(session, task, TaskStatus.IN_PROGRESS, actor=actor, at=services.now(), reason="inspection started")
    return task


async def cancel(
    session: AsyncSession, services: SupervisionServices, task_id: str, *, actor: str, reason: str
) -> InspectionTaskRow:
    """Any open state → CANCELLED, with a reason."""
    if not reason.strip():
        raise ClientError("a cancellation must state its reason", code=SupervisionCode.REASON_REQUIRED)
    task = await lock_for_change(session, InspectionTaskRow, task_id, "inspection task")
    record_change(session, task, TaskStatus.CANCELLED, actor=actor, at=services.now(), reason=reason)
    return task


async def close(session: AsyncSession, services: SupervisionServices, task_id: str, *, actor: str) -> InspectionTaskRow:
    """INSPECTED → CLOSED (its findings handled or handed on)."""
    task = await lock_for_change(session, InspectionTaskRow, task_id, "inspection task")
    record_change(session, task, TaskStatus.CLOSED, actor=actor, at=services.now(), reason="closed")
    return task

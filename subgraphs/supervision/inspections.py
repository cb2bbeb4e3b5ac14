"""Inspection records (监督检查结果记录表, DOMAIN.md §4.3): checklist findings, their handling per 49号令
Art. 31–33, the no-re-check warning (Art. 42), publication (Art. 39) and 一键转办 to enforcement.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kernel.errors import ClientError, NotFoundError
from kernel.jobs.events import emit
from kernel.orgtree import OrgLevel
from subgraphs.common.events import INSPECTION_ITEM_FAILED, InspectionItemFailed
from subgraphs.common.jurisdiction import UNSCOPED
from subgraphs.common.records import lock_for_change
from subgraphs.supervision import items as item_list
from subgraphs.supervision import tasks
from subgraphs.supervision.errors import SupervisionCode
from subgraphs.supervision.models import (
    InspectionFindingRow,
    InspectionPlanRow,
    InspectionRecordRow,
    InspectionTaskRow,
)
from subgraphs.supervision.services import SupervisionServices
from subgraphs.supervision.vocabulary import Handling, ItemKind, Outcome, PlanStatus, TaskSource, TaskStatus

_SEVERITY = {Outcome.COMPLIANT: 0, Outcome.BASICALLY_COMPLIANT: 1, Outcome.NON_COMPLIANT: 2}
_RANK = {OrgLevel.CITY.value: 0, OrgLevel.DISTRICT.value: 1, OrgLevel.STATION.value: 2}


@dataclass(frozen=True, slots=True)
class Finding:
    item_code: str
    outcome: Outcome
    handling: Handling
    affects_food_safety: bool = False
    deadline_on: dt.date | None = None
    note: str = ""
    evidence: tuple[str, ...] = ()


def check_handling(finding: Finding, kind: ItemKind, inspected_on: dt.date) -> None:
    """``HANDLING_NOT_ALLOWED`` / ``DEADLINE_REQUIRED`` unless the handling fits the finding (Art. 31–33):
    compliant → none; a failed key item, or anything affecting food safety → investigation; a minor general
    finding → corrected on the spot or a written deadline after the inspection day."""
    if finding.outcome is Outcome.COMPLIANT:
        allowed = {Handling.NONE}
    elif (kind is ItemKind.KEY and finding.outcome is Outcome.NON_COMPLIANT) or finding.affects_food_safety:
        allowed = {Handling.INVESTIGATION}
    else:
        allowed = {Handling.CORRECTED_ON_SPOT, Handling.WRITTEN_DEADLINE, Handling.INVESTIGATION}
    if finding.handling not in allowed:
        raise ClientError(
            f"{finding.item_code} ({kind.value}, {finding.outcome.value}"
            f"{', affects food safety' if finding.affects_food_safety else ''}) is handled by "
            f"{' or '.join(sorted(h.value for h in allowed))} (49号令 Art. 31–33), not {finding.handling.value}",
            code=SupervisionCode.HANDLING_NOT_ALLOWED,
            details={"item": finding.item_code, "allowed": sorted(h.value for h in allowed)},
        )
    if finding.handling is Handling.WRITTEN_DEADLINE and (
        finding.deadline_on is None or finding.deadline_on <= inspected_on
    ):
        raise ClientError(
            f"{finding.item_code}: a written deadline needs a date after the inspection",
            code=SupervisionCode.DEADLINE_REQUIRED,
            details={"item": finding.item_code},
        )


async def recheck_warnings(
    session: AsyncSession, services: SupervisionServices, task: InspectionTaskRow, codes: tuple[str, ...], level: str
) -> list[str]:
    """Items a higher level checked on this entity within the no-re-check period (49号令 Art. 42): a warning, not a
    refusal (a suspected violation or an obvious hazard justifies the re-check)."""
    today = services.today()
    rule = services.rules.get("supervision.no_recheck", today)
    since = _months_before(today, rule.value)
    statement = (
        select(
            InspectionRecordRow.id,
            InspectionRecordRow.unit_level,
            InspectionRecordRow.inspected_on,
            InspectionFindingRow.item_code,
        )
        .join(InspectionFindingRow, InspectionFindingRow.record_id == InspectionRecordRow.id)
        .where(
            InspectionRecordRow.uscc == task.uscc,
            InspectionRecordRow.inspected_on > since,
            InspectionFindingRow.item_code.in_(codes),
        )
    )
    warnings = []
    for _id, unit_level, on, code in (await session.execute(statement, execution_options={UNSCOPED: True})).all():
        if _RANK.get(unit_level, 2) < _RANK.get(level, 2):
            warnings.append(
                f"{code} was checked by a {unit_level.lower()}-level unit on {on.isoformat()}: within "
                f"{rule.value} months a lower level does not re-check it without a suspected violation (49号令 Art. 42)"
            )
    return sorted(set(warnings))


def _months_before(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, 28))


def unit_level(services: SupervisionServices, task: InspectionTaskRow) -> str:
    code = task.station_code or task.district_code
    unit = services.org_tree.get(code) if code is not None else None
    return unit.level.value if unit is not None else OrgLevel.CITY.value


@dataclass(frozen=True, slots=True)
class Recorded:
    record: InspectionRecordRow
    follow_ups: tuple[InspectionTaskRow, ...]
    warnings: tuple[str, ...]


async def record_inspection(
    session: AsyncSession,
    services: SupervisionServices,
    task_id: str,
    findings: tuple[Finding, ...],
    *,
    notes: str,
    actor: str,
) -> Recorded:
    """IN_PROGRESS → INSPECTED with one record of its findings, by one of the task's inspectors; a written deadline
    opens a FOLLOW_UP task due on it (plus the follow-up grace)."""
    task = await lock_for_change(session, InspectionTaskRow, task_id, "inspection task")
    tasks.require_step(task, TaskStatus.INSPECTED)
    await tasks.require_assigned(session, task, actor)
    if not findings:
        raise ClientError(
            "an inspection record needs at least one checklist item", code=SupervisionCode.EMPTY_CHECKLIST
        )
    at = services.now()
    today = services.today(at)
    kinds = {finding.item_code: item_list.item(finding.item_code).kind for finding in findings}
    for finding in findings:
        check_handling(finding, kinds[finding.item_code], today)
    level = unit_level(services, task)
    warnings = await recheck_warnings(session, services, task, tuple(kinds), level)
    worst = max((finding.outcome for finding in findings), key=_SEVERITY.__getitem__)
    record = InspectionRecordRow(
        id=str(uuid.uuid4()),
        task_id=task.id,
        uscc=task.uscc,
        district_code=task.district_code,
        station_code=task.station_code,
        unit_level=level,
        inspected_on=today,
        outcome=worst.value,
        notes=notes,
        recorded_by=actor,
        recorded_at=at,
    )
    session.add(record)
    await session.flush()
    follow_ups = []
    for finding in findings:
        row = InspectionFindingRow(
            record_id=record.id,
            item_code=finding.item_code,
            kind=kinds[finding.item_code].value,
            outcome=finding.outcome.value,
            affects_food_safety=finding.affects_food_safety,
            handling=finding.handling.value,
            deadline_on=finding.deadline_on,
            note=finding.note,
            evidence=list(finding.evidence),
        )
        if finding.handling is Handling.WRITTEN_DEADLINE and finding.deadline_on is not None:
            grace = services.rules.get("supervision.follow_up_grace", today)
            follow_up = await tasks.open_task(
                session,
                services,
                tasks.NewTask(
                    source=TaskSource.FOLLOW_UP,
                    uscc=task.uscc,
                    reason=f"复查 {finding.item_code}: 书面限期整改 by {finding.deadline_on.isoformat()}",
                    district_code=task.district_code,
                    station_code=task.station_code,
                    items=(finding.item_code,),
                    reference=f"InspectionRecord:{record.id}",
                    due_on=grace.period_end(finding.deadline_on),
                    beside=task,
                ),
                actor=actor,
            )
            row.follow_up_task_id = follow_up.id
            follow_ups.append(follow_up)
        session.add(row)
    task.inspected_on = today
    task.publish_by = services.rules.get("supervision.publication", today).period_end(today)
    tasks.record_change(session, task, TaskStatus.INSPECTED, actor=actor, at=at, reason=f"result {worst.value}")
    return Recorded(record, tuple(follow_ups), tuple(warnings))


async def transfer(
    session: AsyncSession, services: SupervisionServices, task_id: str, item_code: str, *, actor: str
) -> tuple[InspectionFindingRow, bool]:
    """一键转办: a 不符合 finding of the task's record becomes an enforcement lead through the outbox, once (the task
    is locked, so repeats queue and find it transferred). Returns the finding and whether this call transferred it
    (False: it had been, and nothing new was sent)."""
    task = await lock_for_change(session, InspectionTaskRow, task_id, "inspection task")
    record = await session.scalar(select(InspectionRecordRow).where(InspectionRecordRow.task_id == task.id))
    if record is None:
        raise ClientError(
            "the task has no inspection record yet; nothing was transferred", code=SupervisionCode.ITEM_NOT_FAILED
        )
    finding = await session.scalar(
        select(InspectionFindingRow).where(
            InspectionFindingRow.record_id == record.id, InspectionFindingRow.item_code == item_code
        )
    )
    if finding is None:
        raise NotFoundError(f"the record has no item {item_code}", details={"item": item_code})
    if finding.outcome != Outcome.NON_COMPLIANT:
        raise ClientError(
            f"{item_code} was found {finding.outcome}; only a 不符合 item is transferred",
            code=SupervisionCode.ITEM_NOT_FAILED,
        )
    if finding.transfer_id is not None:
        return finding, False
    at = services.now()
    finding.transfer_id = f"InspectionRecord:{record.id}:{item_code}"
    finding.transferred_at = at
    await emit(
        session,
        INSPECTION_ITEM_FAILED,
        f"InspectionRecord:{record.id}",
        InspectionItemFailed(
            transfer_id=finding.transfer_id,
            uscc=record.uscc,
            inspection_id=record.id,
            item_code=item_code,
            finding=finding.note or f"{item_code}: 不符合",
            inspected_on=record.inspected_on,
            district_code=record.district_code,
            station_code=record.station_code,
            transferred_by=actor,
        ),
        at,
    )
    return finding, True


async def publish_plan(
    session: AsyncSession, services: SupervisionServices, plan_id: str, *, actor: str
) -> tuple[int, bool]:
    """一公开: publish every inspected, unpublished result of the plan; the plan is PUBLISHED once no task is open.
    Returns how many results this call published and whether the plan is now fully published."""
    plan = await lock_for_change(session, InspectionPlanRow, plan_id, "inspection plan")
    today = services.today()
    rows = list(
        await session.scalars(select(InspectionTaskRow).where(InspectionTaskRow.plan_id == plan.id).with_for_update())
    )
    published = 0
    for task in rows:
        if task.inspected_on is not None and task.published_on is None:
            task.published_on = today
            task.updated_at = services.now()
            published += 1
    done = all(task.published_on is not None or task.status == TaskStatus.CANCELLED for task in rows)
    if published == 0 and not done:
        raise ClientError(
            "no inspected result of this plan is waiting for publication", code=SupervisionCode.NOT_PUBLISHABLE
        )
    if done:
        plan.status = PlanStatus.PUBLISHED.value
    return published, done

"""Official sampling (抽样检验, DOMAIN.md §6.1): tasks, samples, reports, their working-day windows, and a 不合格 result
asking supervision for a task (核查处置) through the outbox, once per sample."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kernel.errors import ClientError, Code, ConflictError, ForbiddenError, NotFoundError
from kernel.jobs.events import emit
from kernel.orgtree import path_contains
from kernel.uscc import parse_uscc
from subgraphs.common.calendar import ensure_not_future
from subgraphs.common.events import TASK_REQUESTED, TaskRequested
from subgraphs.common.jurisdiction import jurisdiction_of
from subgraphs.common.records import lock_for_change
from subgraphs.detection.errors import DetectionCode
from subgraphs.detection.limits import judge
from subgraphs.detection.models import LabReportRow, SampleRow, SamplingTaskRow, premises_codes
from subgraphs.detection.services import DetectionServices
from subgraphs.detection.vocabulary import SampleState, Verdict

TRANSPORT_WORKING_DAYS = 5
"""Samples reach the lab within 5 working days (抽样检验管理办法 Art. 20)."""
REPORT_WORKING_DAYS = 20
"""The lab reports within 20 working days of receipt (Art. 24)."""
RETEST_WORKING_DAYS = 7
"""复检 is asked within 7 working days of receiving the result (食品安全法 Art. 88)."""
OBJECTION_WORKING_DAYS = 7
"""异议 is raised within 7 working days (Art. 37) [U: figure]."""
FAILED_SAMPLE_SOURCE = "FAILED_SAMPLE"


@dataclass(frozen=True, slots=True)
class SampleRequest:
    task_id: str
    uscc: str
    premises_address: str
    premises_region: str
    food_name: str
    category_code: str
    sampled_on: dt.date
    lab: str


@dataclass(frozen=True, slots=True)
class Measurement:
    analyte: str
    value: float
    unit: str


async def create_task(
    session: AsyncSession, services: DetectionServices, title: str, unit_code: str, *, actor: str
) -> SamplingTaskRow:
    unit = services.org_tree.get(unit_code)
    if unit is None:
        raise ClientError(
            f"{unit_code!r} is not a unit of the org tree", code=Code.UNKNOWN_ORG_UNIT, details={"field": "unitCode"}
        )
    district, station = services.org_tree.codes_of(unit)
    jurisdiction = jurisdiction_of(session)
    mine = None if jurisdiction is None else jurisdiction.writes.unit
    if jurisdiction is not None and (mine is None or not path_contains(mine.path, unit.path)):
        raise ForbiddenError(f"a sampling task of {unit.name} is opened by that unit or one above it, not by you")
    row = SamplingTaskRow(
        id=str(uuid.uuid4()),
        title=title,
        district_code=district,
        station_code=station,
        created_by=actor,
        created_at=services.now(),
    )
    session.add(row)
    await session.flush()
    return row


async def record_sample(session: AsyncSession, services: DetectionServices, request: SampleRequest) -> SampleRow:
    task = await session.get(SamplingTaskRow, request.task_id)
    if task is None:
        raise NotFoundError(f"no sampling task {request.task_id} in your jurisdiction")
    ensure_not_future(request.sampled_on, "sampled on", services.today())
    district, station = premises_codes(services.org_tree, request.premises_address, request.premises_region)
    if district is None:
        raise ClientError(
            f"no supervising unit claims the premises {request.premises_address!r}", code=DetectionCode.UNKNOWN_PREMISES
        )
    sample_id = str(uuid.uuid4())
    row = SampleRow(
        id=sample_id,
        task_id=task.id,
        sampling_no=f"CY{request.sampled_on:%Y%m%d}{sample_id[:8].upper()}",
        uscc=parse_uscc(request.uscc).code,
        district_code=district,
        station_code=station,
        food_name=request.food_name,
        category_code=request.category_code,
        sampled_on=request.sampled_on,
        lab=request.lab,
        deliver_by=services.calendar.add_working_days(request.sampled_on, TRANSPORT_WORKING_DAYS),
        state=SampleState.SAMPLED.value,
        created_at=services.now(),
    )
    session.add(row)
    await session.flush()
    return row


async def receive_sample(
    session: AsyncSession, services: DetectionServices, sample_id: str, received_on: dt.date
) -> SampleRow:
    row = await lock_for_change(session, SampleRow, sample_id, "sample")
    if row.state != SampleState.SAMPLED.value:
        raise ConflictError(f"the sample is {row.state}; the lab received it before")
    ensure_not_future(received_on, "received on", services.today())
    if received_on < row.sampled_on or received_on > row.deliver_by:
        raise ClientError(
            f"received on {received_on.isoformat()}: a sample taken on {row.sampled_on.isoformat()} must reach the "
            f"lab by {row.deliver_by.isoformat()} (5 working days, Art. 20)",
            code=DetectionCode.LATE_DELIVERY,
        )
    row.received_by_lab_on = received_on
    row.report_due_on = services.calendar.add_working_days(received_on, REPORT_WORKING_DAYS)
    row.state = SampleState.AT_LAB.value
    return row


async def record_report(
    session: AsyncSession,
    services: DetectionServices,
    sample_id: str,
    report_no: str,
    concluded_on: dt.date,
    measurements: list[Measurement],
    *,
    actor: str,
) -> tuple[LabReportRow, SampleRow]:
    """Each item judged by the limit in force on the sampling date; a 不合格 conclusion asks supervision for a task."""
    sample = await lock_for_change(session, SampleRow, sample_id, "sample")
    if sample.state != SampleState.AT_LAB.value:
        code = (
            DetectionCode.REPORT_ALREADY_RECORDED
            if sample.state in (SampleState.PASSED.value, SampleState.FAILED.value)
            else DetectionCode.SAMPLE_NOT_AT_LAB
        )
        raise ConflictError(f"the sample is {sample.state}; no report can be recorded", code=code)
    if not measurements:
        raise ClientError("a report needs at least one tested item", details={"field": "items"})
    ensure_not_future(concluded_on, "concluded on", services.today())
    judged = [
        await judge(session, m.analyte, m.value, m.unit, sample.category_code, sample.sampled_on) for m in measurements
    ]
    conclusion = Verdict.FAIL if any(j.verdict is Verdict.FAIL for j in judged) else Verdict.PASS
    now = services.now()
    report = LabReportRow(
        id=str(uuid.uuid4()),
        sample_id=sample.id,
        report_no=report_no,
        concluded_on=concluded_on,
        conclusion=conclusion.value,
        items=[j.stored() for j in judged],
        recorded_by=actor,
        recorded_at=now,
    )
    session.add(report)
    sample.state = (SampleState.FAILED if conclusion is Verdict.FAIL else SampleState.PASSED).value
    if conclusion is Verdict.FAIL:
        failed = ", ".join(
            f"{j.analyte} {j.value_in_limit_unit:g} > {j.limit:g} {j.limit_unit} ({j.edition})"
            for j in judged
            if j.verdict is Verdict.FAIL
        )
        await emit(
            session,
            TASK_REQUESTED,
            f"Sample:{sample.id}",
            TaskRequested(
                idempotency_key=f"detection:sample:{sample.id}",
                source=FAILED_SAMPLE_SOURCE,
                uscc=sample.uscc,
                reason=f"抽检不合格 {sample.food_name}: {failed}",
                reference=f"Sample:{sample.id}",
                district_code=sample.district_code,
                station_code=sample.station_code,
                requested_by=actor,
                requested_on=services.today(now),
            ),
            now,
        )
    await session.flush()
    return report, sample


async def serve_report(
    session: AsyncSession, services: DetectionServices, sample_id: str, served_on: dt.date
) -> tuple[LabReportRow, SampleRow]:
    """Served on the operator: the 复检 and 异议 windows count from this day."""
    sample = await lock_for_change(session, SampleRow, sample_id, "sample")
    report = await session.scalar(select(LabReportRow).where(LabReportRow.sample_id == sample.id))
    if report is None:
        raise ConflictError("the sample has no report to serve", code=DetectionCode.SAMPLE_NOT_AT_LAB)
    if report.served_on is not None:
        raise ConflictError(f"the report was served on {report.served_on.isoformat()}")
    ensure_not_future(served_on, "served on", services.today())
    report.served_on = served_on
    report.retest_by = services.calendar.add_working_days(served_on, RETEST_WORKING_DAYS)
    report.objection_by = services.calendar.add_working_days(served_on, OBJECTION_WORKING_DAYS)
    return report, sample

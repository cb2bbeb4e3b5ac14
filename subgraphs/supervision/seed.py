"""Synthetic supervision data: the target directory over the seeded entities, an inspector directory, and
inspection tasks with their records at scale (bulk COPY on PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import random
import time
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from tqdm import tqdm

from kernel.db import Database
from subgraphs.common.component import Holder, SeedOutcome, SeedRequest
from subgraphs.supervision.bulk import bulk_insert
from subgraphs.supervision.items import ITEMS
from subgraphs.supervision.models import (
    InspectionFindingRow,
    InspectionRecordRow,
    InspectionTargetRow,
    InspectionTaskRow,
    InspectorRow,
)
from subgraphs.supervision.services import SupervisionServices
from subgraphs.supervision.vocabulary import Handling, Outcome, TaskSource, TaskStatus

CHUNK = 5_000
INSPECTORS_PER_STATION = 6
_GRADES = ("A", "A", "A", "B", "B", "C", "D")
_OUTCOMES = (
    Outcome.COMPLIANT,
    Outcome.COMPLIANT,
    Outcome.COMPLIANT,
    Outcome.BASICALLY_COMPLIANT,
    Outcome.NON_COMPLIANT,
)


def inspector_subject(station_code: str, index: int) -> str:
    return f"inspector-{station_code}-{index}"


async def seed_directories(
    database: Database, services: SupervisionServices, holders: Sequence[Holder], *, seed: int = 2026
) -> tuple[int, int]:
    """One target per holder (graded, some with bad credit) and six inspectors per station; existing kept."""
    rng = random.Random(seed)
    tree, at = services.org_tree, services.now()
    copy = not database.is_sqlite
    async with database.transaction() as session:
        known = set(await session.scalars(select(InspectionTargetRow.uscc)))
        targets = []
        for holder in holders:
            if holder.uscc in known:
                continue
            district, station = tree.codes_of(tree.premises_unit(holder.premises, holder.region_code))
            targets.append(
                {
                    "uscc": holder.uscc,
                    "name": holder.name,
                    "district_code": district,
                    "station_code": station,
                    "risk_grade": rng.choice(_GRADES),
                    "risk_rule_version": "食品生产经营风险分级管理办法（试行）2016",
                    "bad_credit": rng.random() < 0.03,
                    "updated_at": at,
                }
            )
        for start in range(0, len(targets), CHUNK):
            await bulk_insert(session, InspectionTargetRow, targets[start : start + CHUNK], copy=copy)
        inspectors: list[dict[str, Any]] = []
        if not await session.scalar(select(func.count()).select_from(InspectorRow)):
            for unit in tree.stations():
                bureau = tree.district_of(unit)
                inspectors.extend(
                    {
                        "subject": inspector_subject(unit.code, i),
                        "name": f"{unit.name}检查员{i}",
                        "district_code": bureau.code,
                        "station_code": unit.code,
                        "active": True,
                    }
                    for i in range(1, INSPECTORS_PER_STATION + 1)
                )
            await bulk_insert(session, InspectorRow, inspectors, copy=copy)
    return len(targets), len(inspectors)


async def seed_inspections(
    database: Database,
    services: SupervisionServices,
    count: int,
    holders: Sequence[Holder],
    *,
    progress: bool = True,
    seed: int = 2026,
) -> int:
    """``count`` inspected tasks, each with its record and two findings, over ``holders``, in the last two years."""
    if not holders or count <= 0:
        return 0
    rng = random.Random(seed)
    tree, at = services.org_tree, services.now()
    today = services.today(at)
    copy = not database.is_sqlite
    places: dict[str, tuple[str | None, str | None]] = {}
    async with database.transaction() as session:
        bar = tqdm(total=count, desc="inspections", unit="row", disable=not progress)
        for start in range(0, count, CHUNK):
            size = min(CHUNK, count - start)
            tasks: list[dict[str, Any]] = []
            records: list[dict[str, Any]] = []
            findings: list[dict[str, Any]] = []
            for i in range(size):
                holder = holders[(start + i) % len(holders)]
                place = places.get(holder.uscc)
                if place is None:
                    place = tree.codes_of(tree.premises_unit(holder.premises, holder.region_code))
                    places[holder.uscc] = place
                district, station = place
                inspected_on = today - dt.timedelta(days=rng.randrange(1, 730))
                source = rng.choice((TaskSource.RANDOM_INSPECTION, TaskSource.COMPLAINT, TaskSource.RISK_WARNING))
                task_id, record_id = str(uuid.uuid4()), str(uuid.uuid4())
                chosen = rng.sample(ITEMS, 2)
                outcomes = [rng.choice(_OUTCOMES) for _ in chosen]
                worst = max(outcomes, key=list(Outcome).index)
                tasks.append(
                    {
                        "id": task_id,
                        "source": source.value,
                        "uscc": holder.uscc,
                        "reason": "seeded",
                        "reference": None,
                        "request_key": None,
                        "plan_id": None,
                        "items": [item.code for item in chosen],
                        "status": TaskStatus.CLOSED.value,
                        "district_code": district,
                        "station_code": station,
                        "due_on": inspected_on + dt.timedelta(days=20),
                        "due_rule": "seed",
                        "inspected_on": inspected_on,
                        "publish_by": inspected_on + dt.timedelta(days=28),
                        "published_on": inspected_on + dt.timedelta(days=rng.randrange(1, 28)),
                        "created_at": at,
                        "updated_at": at,
                    }
                )
                records.append(
                    {
                        "id": record_id,
                        "task_id": task_id,
                        "uscc": holder.uscc,
                        "district_code": district,
                        "station_code": station,
                        "unit_level": "STATION",
                        "inspected_on": inspected_on,
                        "outcome": worst.value,
                        "notes": "",
                        "recorded_by": "seed",
                        "recorded_at": at,
                    }
                )
                for item, outcome in zip(chosen, outcomes, strict=True):
                    handling = Handling.NONE if outcome is Outcome.COMPLIANT else Handling.CORRECTED_ON_SPOT
                    if outcome is Outcome.NON_COMPLIANT and item.kind.value == "KEY":
                        handling = Handling.INVESTIGATION
                    findings.append(
                        {
                            "record_id": record_id,
                            "item_code": item.code,
                            "kind": item.kind.value,
                            "outcome": outcome.value,
                            "affects_food_safety": False,
                            "handling": handling.value,
                            "deadline_on": None,
                            "follow_up_task_id": None,
                            "note": "",
                            "evidence": [],
                            "transfer_id": None,
                            "transferred_at": None,
                        }
                    )
            await bulk_insert(session, InspectionTaskRow, tasks, copy=copy)
            await bulk_insert(session, InspectionRecordRow, records, copy=copy)
            await bulk_insert(session, InspectionFindingRow, findings, copy=copy)
            bar.update(size)
        bar.close()
    return count


async def seed(database: Database, services: SupervisionServices, request: SeedRequest) -> SeedOutcome:
    """``zhijian seed --supervision N``: the directories over the entities seeded before, and N inspections."""
    if not request.count:
        return SeedOutcome("")
    if not request.holders:
        return SeedOutcome("", refusal="inspections need entities to inspect; seed --entities first")
    began = time.perf_counter()
    targets, inspectors = await seed_directories(database, services, request.holders)
    written = await seed_inspections(database, services, request.count, request.holders, progress=request.progress)
    return SeedOutcome(
        f"supervision: {targets:,} targets, {inspectors:,} inspectors, {written:,} inspections "
        f"in {time.perf_counter() - began:.1f} s"
    )


async def seed_demo(database: Database, services: SupervisionServices, request: SeedRequest) -> SeedOutcome:
    """The directories over the demo entities, and one inspection of each; nothing if any inspection exists."""
    async with database.transaction() as session:
        if await session.scalar(select(func.count()).select_from(InspectionRecordRow)) or not request.holders:
            return SeedOutcome("")
    targets, inspectors = await seed_directories(database, services, request.holders)
    written = await seed_inspections(database, services, len(request.holders), request.holders, progress=False)
    return SeedOutcome(f"supervision: {targets} targets, {inspectors} inspectors, {written} demo inspections")

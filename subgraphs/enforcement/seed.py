"""Synthetic cases for load tests and the demo: cases at every stage with chained evidence, bulk COPY on
PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession
from tqdm import tqdm

from kernel.db import Database, copy_records
from subgraphs.common.component import Holder, SeedOutcome, SeedRequest
from subgraphs.common.ids import time_ordered_id
from subgraphs.enforcement.evidence import GENESIS, chain_digest
from subgraphs.enforcement.hashing import digest
from subgraphs.enforcement.models import CaseRow, EvidenceRow
from subgraphs.enforcement.services import EnforcementServices
from subgraphs.enforcement.vocabulary import CaseStage, EvidenceType, HashAlgorithm

CHUNK = 2_000
EVIDENCE_PER_CASE = 3
_CASE: Table = CaseRow.__table__  # type: ignore[assignment]
_EVIDENCE: Table = EvidenceRow.__table__  # type: ignore[assignment]
_JSON_COLUMNS = {"officers", "penalties", "captured_by", "intended_penalty"}
_STAGES = [stage for stage in CaseStage if stage is not CaseStage.NOT_FILED]
_TYPES = [evidence_type.value for evidence_type in EvidenceType]


def _case(
    rng: random.Random, services: EnforcementServices, holder: Holder, place: tuple[str | None, str | None],
    at: dt.datetime,
) -> dict[str, Any]:
    today = services.today(at)
    district, station = place
    discovered = today - dt.timedelta(days=rng.randint(0, 400))
    stage = rng.choice(_STAGES)
    index = _STAGES.index(stage)
    filed = discovered + dt.timedelta(days=rng.randint(3, 20)) if index >= 2 else None
    filing_due = services.periods.filing_due(discovered)
    decision_due = services.periods.decision_due(filed) if filed else None
    due = filing_due if index < 2 else decision_due if index < _STAGES.index(CaseStage.DECIDED) else None
    return {
        "id": time_ordered_id(at - dt.timedelta(seconds=rng.randint(0, 10**7))),
        "stage": stage.value,
        "procedure": "ORDINARY",
        "party_uscc": holder.uscc,
        "party_name": holder.name,
        "party_kind": "ORGANISATION",
        "district_code": district,
        "station_code": station,
        "source": "INSPECTION",
        "source_transfer_id": None,
        "source_inspection_id": None,
        "source_item_code": None,
        "summary": "食品经营者未按规定查验进货凭证",
        "violation_on": discovered - dt.timedelta(days=30),
        "discovered_on": discovered,
        "harm_to_life_or_health": False,
        "food_safety": True,
        "major": False,
        "officers": ["officer-1", "officer-2"] if filed else [],
        "hash_algorithm": "SHA256",
        "filing_due_on": filing_due,
        "filed_on": filed,
        "decision_due_on": decision_due,
        "legal_review_passed": None,
        "legal_reviewed_by": None,
        "review_due_on": None,
        "notified_on": None,
        "statement_due_on": None,
        "intended_penalty": None,
        "hearing_rights": False,
        "hearing_held": False,
        "decided_on": None,
        "outcome": None,
        "penalties": [],
        "fine": None,
        "collective": False,
        "service_due_on": None,
        "served_on": None,
        "payment_due_on": None,
        "executed_on": None,
        "closed_on": None,
        "stage_due_on": due,
        "stage_entered_on": filed or discovered,
        "created_at": at,
        "updated_at": at,
    }


def _evidence(services: EnforcementServices, case: dict[str, Any], at: dt.datetime) -> list[dict[str, Any]]:
    """The case's chain of :data:`EVIDENCE_PER_CASE` items (rows as plain values: no ORM objects at this scale)."""
    rows, previous = [], GENESIS
    for seq in range(1, EVIDENCE_PER_CASE + 1):
        content = f"{case['id']}#{seq}".encode()
        evidence_id = time_ordered_id(at)
        row: dict[str, Any] = {
            "id": evidence_id, "case_id": case["id"], "seq": seq, "type": _TYPES[seq % len(_TYPES)],
            "title": f"证据 {seq}", "captured_at": at, "captured_by": ["officer-1", "officer-2"], "device_id": None,
            "location": None, "storage_uri": services.evidence.put(f"{case['id']}/{evidence_id}", content),
            "algorithm": HashAlgorithm.SHA256.value, "content_hash": digest(HashAlgorithm.SHA256, content),
            "previous_hash": previous, "added_by": "seed", "added_at": at,
        }  # fmt: skip
        row["record_hash"] = previous = chain_digest(HashAlgorithm.SHA256, row)
        rows.append(row)
    return rows


async def _write(session: AsyncSession, table: Table, rows: list[dict[str, Any]], *, copy: bool) -> None:
    if not copy:
        await session.execute(insert(table), rows)
        return
    columns = tuple(column.name for column in table.columns)
    records = (
        tuple(json.dumps(row[name], ensure_ascii=False) if name in _JSON_COLUMNS else row[name] for name in columns)
        for row in rows
    )
    await copy_records(await session.connection(), table, columns, records)


async def seed_cases(
    database: Database,
    services: EnforcementServices,
    count: int,
    holders: Sequence[Holder],
    *,
    progress: bool = True,
    seed: int = 2026,
) -> int:
    """Insert ``count`` cases over ``holders``, each with a chain of :data:`EVIDENCE_PER_CASE` items."""
    if not holders or count <= 0:
        return 0
    rng, at = random.Random(seed), services.now()
    tree, places = services.org_tree, {}

    def place_of(holder: Holder) -> tuple[str | None, str | None]:
        if holder.uscc not in places:
            places[holder.uscc] = tree.codes_of(tree.premises_unit(holder.premises, holder.region_code))
        return places[holder.uscc]

    async with database.transaction() as session:
        bar = tqdm(total=count, desc="cases", unit="case", disable=not progress)
        for start in range(0, count, CHUNK):
            size = min(CHUNK, count - start)
            chosen = [holders[(start + i) % len(holders)] for i in range(size)]
            cases = [_case(rng, services, holder, place_of(holder), at) for holder in chosen]
            await _write(session, _CASE, cases, copy=not database.is_sqlite)
            items = [item for case in cases for item in _evidence(services, case, at)]
            await _write(session, _EVIDENCE, items, copy=not database.is_sqlite)
            bar.update(size)
        bar.close()
    return count


async def seed(database: Database, services: EnforcementServices, request: SeedRequest) -> SeedOutcome:
    """``zhijian seed --enforcement N``: N cases (with evidence) against the entities seeded before."""
    if not request.count:
        return SeedOutcome("")
    if not request.holders:
        return SeedOutcome("", refusal="cases need entities as parties; seed --entities first")
    began = time.perf_counter()
    written = await seed_cases(database, services, request.count, request.holders, progress=request.progress)
    return SeedOutcome(
        f"enforcement: {written:,} cases, {written * EVIDENCE_PER_CASE:,} evidence items in "
        f"{time.perf_counter() - began:.1f} s"
    )


async def seed_demo(database: Database, services: EnforcementServices, request: SeedRequest) -> SeedOutcome:
    """A few cases against the demo entities; none if any case exists."""
    async with database.transaction() as session:
        if await session.scalar(select(func.count()).select_from(CaseRow)):
            return SeedOutcome("")
    written = await seed_cases(database, services, min(len(request.holders), 20), request.holders, progress=False)
    return SeedOutcome(f"enforcement: {written:,} demo cases" if written else "")

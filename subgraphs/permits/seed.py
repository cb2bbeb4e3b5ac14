"""Synthetic permits for load tests and the demo: well-formed numbers, real code lists, bulk COPY on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random
import time
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession
from tqdm import tqdm

from kernel.db import Database, copy_records
from subgraphs.common.component import Holder, SeedOutcome, SeedRequest
from subgraphs.common.seeding import drawn_ahead
from subgraphs.permits import catalog
from subgraphs.permits.deadlines import full_validity
from subgraphs.permits.issuance import ISSUING_ORG, number_head
from subgraphs.permits.jobs import EXPIRY_REASON
from subgraphs.permits.models import PermitNumberSequenceRow, PermitRow, premises_codes
from subgraphs.permits.numbers import format_number
from subgraphs.permits.services import PermitServices
from subgraphs.permits.vocabulary import PermitKind, PermitStatus

CHUNK = 5_000
_KIND_WEIGHTS: tuple[tuple[PermitKind, int], ...] = (
    (PermitKind.JY, 70),
    (PermitKind.SC, 15),
    (PermitKind.PREPACK_FILING, 10),
    (PermitKind.WORKSHOP_REG, 3),
    (PermitKind.STALL_REG, 2),
)
_KINDS = tuple(kind for kind, _ in _KIND_WEIGHTS)
_KIND_CUMULATIVE = tuple(itertools.accumulate(weight for _, weight in _KIND_WEIGHTS))
"""``rng.choices(_KINDS, cum_weights=…)`` draws exactly what ``weights=`` would, without summing them per row."""
_PERMIT_TABLE: Table = PermitRow.__table__  # type: ignore[assignment]
_COLUMNS: tuple[str, ...] = tuple(column.name for column in _PERMIT_TABLE.columns)


def _items(kind: PermitKind, rng: random.Random, on: dt.date) -> tuple[list[str], int | None]:
    listing = catalog.code_list(kind, on)
    if kind is PermitKind.JY:
        form = rng.choice((1, 2, 2, 2, 3))
        prefix = {1: "SALES_", 2: "CATERING_", 3: "CANTEEN_"}[form]
        pool = [item.code for item in listing.items if item.code.startswith(prefix)]
        chosen = rng.sample(pool, k=min(len(pool), rng.randint(1, 3)))
        return [f"{code}@{listing.version}" for code in chosen], form
    if kind is PermitKind.SC:
        return [f"{rng.choice(listing.items).code}@{listing.version}"], None
    code = {
        PermitKind.PREPACK_FILING: "SALES_PREPACK",
        PermitKind.WORKSHOP_REG: "WORKSHOP_PRODUCTION",
        PermitKind.STALL_REG: "STALL_SALES",
    }[kind]
    return [f"{code}@{listing.version}"], None


async def _sequences(session: AsyncSession) -> dict[str, int]:
    rows = (await session.execute(select(PermitNumberSequenceRow.head, PermitNumberSequenceRow.last))).all()
    return {head: last for head, last in rows}


def _row(
    rng: random.Random,
    services: PermitServices,
    holder: Holder,
    sequences: dict[str, int],
    today: dt.date,
    at: dt.datetime,
    places: dict[str, tuple[str | None, str | None]],
) -> dict[str, Any]:
    """One permit of ``holder``, at the holder's premises, in the holder's name; ``places`` keeps each holder's
    (district, station) once found (a holder has several permits, and finding them scans the org tree)."""
    kind = rng.choices(_KINDS, cum_weights=_KIND_CUMULATIVE)[0]
    valid_from = today - dt.timedelta(days=rng.randint(0, 6 * 365))
    items, form = _items(kind, rng, valid_from)
    head = number_head(kind, region=holder.region_code, business_form=form, items=tuple(items))
    sequences[head] = sequences.get(head, 0) + 1
    validity = full_validity(services.periods, kind, valid_from)
    lapsed = validity.valid_to is not None and validity.valid_to < today
    status = PermitStatus.EXPIRED if lapsed else PermitStatus.VALID
    place = places.get(holder.uscc)
    if place is None:
        place = places[holder.uscc] = premises_codes(services.org_tree, holder.premises, holder.region_code)
    district_code, station_code = place
    return {
        "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "kind": kind.value,
        "number": format_number(kind, head, sequences[head]),
        "holder_uscc": holder.uscc,
        "holder_name": holder.name,
        "business_form": form,
        "items": items,
        "premises_address": holder.premises,
        "premises_region": holder.region_code,
        "district_code": district_code,
        "station_code": station_code,
        "issuing_org": ISSUING_ORG,
        "valid_from": validity.valid_from,
        "valid_to": validity.valid_to,
        "validity_rule": validity.rule.version,
        "status": status.value,
        "status_reason": None if status is PermitStatus.VALID else EXPIRY_REASON,
        "renewals": 0,
        "previous_valid_to": None,
        "issued_at": at,
        "updated_at": at,
    }


async def _write(session: AsyncSession, rows: list[dict[str, Any]], *, copy: bool) -> None:
    if not copy:
        await session.execute(insert(PermitRow), rows)
        return
    records = (
        tuple(json.dumps(row[name], ensure_ascii=False) if name == "items" else row[name] for name in _COLUMNS)
        for row in rows
    )
    await copy_records(await session.connection(), _PERMIT_TABLE, _COLUMNS, records)


async def _save_sequences(session: AsyncSession, before: dict[str, int], after: dict[str, int]) -> None:
    for head, last in after.items():
        if head in before:
            if last != before[head]:
                row = await session.get(PermitNumberSequenceRow, head)
                assert row is not None
                row.last = last
        else:
            session.add(PermitNumberSequenceRow(head=head, last=last))


async def seed_permits(
    database: Database,
    services: PermitServices,
    count: int,
    holders: Sequence[Holder],
    *,
    progress: bool = True,
    seed: int = 2026,
) -> int:
    """Insert ``count`` permits spread over ``holders``, numbered after any already issued."""
    if not holders or count <= 0:
        return 0
    rng = random.Random(seed)
    at = services.now()
    today = services.today(at)
    async with database.transaction() as session:
        before = await _sequences(session)
        sequences = dict(before)
        bar = tqdm(total=count, desc="permits", unit="row", disable=not progress)
        places: dict[str, tuple[str | None, str | None]] = {}
        chunks = (
            [_row(rng, services, holders[(start + i) % len(holders)], sequences, today, at, places)
             for i in range(min(CHUNK, count - start))]
            for start in range(0, count, CHUNK)
        )  # fmt: skip
        async for rows in drawn_ahead(chunks):
            await _write(session, rows, copy=not database.is_sqlite)
            bar.update(len(rows))
        bar.close()
        await _save_sequences(session, before, sequences)
    return count


async def _permit_count(database: Database) -> int:
    async with database.transaction() as session:
        return int(await session.scalar(select(func.count()).select_from(PermitRow)) or 0)


async def seed(database: Database, services: PermitServices, request: SeedRequest) -> SeedOutcome:
    """``zhijian seed --permits N``: N permits held by the entities seeded before (registry order)."""
    if not request.count:
        return SeedOutcome("")
    if not request.holders:
        return SeedOutcome("", refusal="permits need entities to hold them; seed --entities first")
    began = time.perf_counter()
    written = await seed_permits(database, services, request.count, request.holders, progress=request.progress)
    return SeedOutcome(f"permits: {written:,} rows in {time.perf_counter() - began:.1f} s")


async def seed_demo(database: Database, services: PermitServices, request: SeedRequest) -> SeedOutcome:
    """One permit for each demo entity, in its name at its premises (some expired, some due for renewal);
    none if any permit exists."""
    if await _permit_count(database) or not request.holders:
        return SeedOutcome("")
    written = await seed_permits(database, services, len(request.holders), request.holders, progress=False)
    return SeedOutcome(f"permits: {written:,} demo permits")

"""Synthetic permits for load tests and the demo: well-formed numbers, real code lists, bulk COPY on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
import random
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, insert, select
from sqlalchemy.ext.asyncio import AsyncSession
from tqdm import tqdm

from subgraphs.common.calendar import beijing_today
from subgraphs.common.db import Database, copy_records
from subgraphs.common.jurisdiction import default_org_tree
from subgraphs.permits import catalog
from subgraphs.permits.deadlines import PermitClock, full_validity
from subgraphs.permits.issuance import ISSUING_ORG, ExistingPermit, number_head, record_existing_permit
from subgraphs.permits.jobs import EXPIRY_REASON
from subgraphs.permits.models import PermitNumberSequenceRow, PermitRow, premises_codes
from subgraphs.permits.numbers import format_number
from subgraphs.permits.registry import InMemoryEntityRegistry
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
_PERMIT_TABLE: Table = PermitRow.__table__  # type: ignore[assignment]
_COLUMNS: tuple[str, ...] = tuple(column.name for column in _PERMIT_TABLE.columns)


def _regions() -> tuple[str, ...]:
    return tuple(dict.fromkeys(code for unit in default_org_tree().districts() for code in unit.region_codes))


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
    clock: PermitClock,
    holder: str,
    sequences: dict[str, int],
    regions: tuple[str, ...],
    today: dt.date,
    at: dt.datetime,
) -> dict[str, Any]:
    kind = rng.choices([k for k, _ in _KIND_WEIGHTS], weights=[w for _, w in _KIND_WEIGHTS])[0]
    valid_from = today - dt.timedelta(days=rng.randint(0, 6 * 365))
    items, form = _items(kind, rng, valid_from)
    region = rng.choice(regions)
    head = number_head(kind, region=region, business_form=form, items=tuple(items))
    sequences[head] = sequences.get(head, 0) + 1
    validity = full_validity(clock, kind, valid_from)
    status = PermitStatus.VALID if validity.valid_to >= today else PermitStatus.EXPIRED
    address = f"广东省深圳市{region}示例路{rng.randint(1, 999)}号"
    district_code, station_code = premises_codes(address, region)  # a bulk insert runs no ORM events
    return {
        "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "kind": kind.value,
        "number": format_number(kind, head, sequences[head]),
        "holder_uscc": holder,
        "holder_name": f"深圳市示例食品经营者{holder[-6:]}",
        "business_form": form,
        "items": items,
        "premises_address": address,
        "premises_region": region,
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
    database: Database, count: int, holders: Sequence[str], *, progress: bool = True, seed: int = 2026
) -> int:
    """Insert ``count`` permits spread over ``holders`` (USCCs), numbered after any already issued."""
    if not holders or count <= 0:
        return 0
    rng = random.Random(seed)
    clock = PermitClock.default()
    regions = _regions()
    today = beijing_today()
    at = dt.datetime.now(dt.UTC)
    async with database.transaction() as session:
        before = await _sequences(session)
        sequences = dict(before)
        bar = tqdm(total=count, desc="permits", unit="row", disable=not progress)
        for start in range(0, count, CHUNK):
            size = min(CHUNK, count - start)
            rows = [
                _row(rng, clock, holders[(start + i) % len(holders)], sequences, regions, today, at)
                for i in range(size)
            ]
            await _write(session, rows, copy=not database.is_sqlite)
            bar.update(size)
        bar.close()
        await _save_sequences(session, before, sequences)
    return count


DEMO_SEQUENCE = {PermitKind.SC: 9001}
"""Demo numbers sit high in their range so numbers issued later from sequence 1 never collide with them."""


def _demo_records(holders: Sequence[str], today: dt.date) -> list[ExistingPermit]:
    """Four permits a demo can show: a catering permit, one due for renewal, a production permit, a filing."""
    clock = PermitClock.default()
    recent = today - dt.timedelta(days=400)
    due_soon = today - dt.timedelta(days=5 * 365 - 80)
    specs: list[tuple[PermitKind, str, tuple[str, ...], dt.date, int | None]] = [
        (PermitKind.JY, "440304", ("CATERING_HOT", "CATERING_COLD"), recent, 2),
        (PermitKind.JY, "440305", ("SALES_PREPACK_CHILLED",), due_soon, 1),
        (PermitKind.SC, "440306", ("106",), recent, None),
        (PermitKind.PREPACK_FILING, "440307", ("SALES_PREPACK",), recent, None),
    ]
    records = []
    for (kind, region, items, valid_from, form), holder in zip(specs, holders, strict=False):
        head = number_head(kind, region=region, business_form=form, items=items)
        records.append(
            ExistingPermit(
                kind=kind,
                number=format_number(kind, head, DEMO_SEQUENCE.get(kind, 900001)),
                holder_uscc=holder,
                holder_name=f"深圳市示例食品经营者{holder[-6:]}",
                premises_address=f"广东省深圳市{region}示例路8号",
                premises_region=region,
                items=items,
                valid_from=valid_from,
                valid_to=full_validity(clock, kind, valid_from).valid_to,
                business_form=form,
            )
        )
    return records


async def seed_demo_permits(database: Database, holders: Sequence[str]) -> tuple[str, ...]:
    """Record the demo permits for the first four ``holders``; numbers already present are left alone."""
    services = PermitServices(registry=InMemoryEntityRegistry())
    written: list[str] = []
    async with database.transaction() as session:
        for record in _demo_records(holders, services.today()):
            exists = await session.scalar(select(PermitRow.id).where(PermitRow.number == record.number))
            if exists is None:
                await record_existing_permit(session, services, record)
                written.append(record.number)
    return tuple(written)

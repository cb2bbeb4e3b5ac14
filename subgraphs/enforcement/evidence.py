"""Evidence (DOMAIN.md §5.2–5.3): items of the eight statutory types, hash-chained per case; custody; preservation.

Each item's ``record_hash`` digests the previous item's ``record_hash`` and the item's own record (its content
digest included), so changing a stored file, a row, or the order breaks the chain from that item on;
:func:`verify_chain` names the first item that no longer matches.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from kernel.errors import ClientError, NotFoundError
from subgraphs.common.records import lock_for_change
from subgraphs.enforcement.errors import EnforcementCode
from subgraphs.enforcement.hashing import digest
from subgraphs.enforcement.models import CaseRow, CustodyEntryRow, EvidenceRow, PreservationOrderRow
from subgraphs.enforcement.services import EnforcementServices
from subgraphs.enforcement.vocabulary import EvidenceType, HashAlgorithm, PreservationKind, PreservationStatus

GENESIS = "0" * 64
"""The ``previous_hash`` of a case's first item."""


@dataclass(frozen=True, slots=True)
class NewEvidence:
    type: EvidenceType
    title: str
    content: bytes
    captured_at: dt.datetime
    captured_by: tuple[str, ...]
    device_id: str | None = None
    location: str | None = None


CHAINED_COLUMNS = (
    "case_id", "seq", "id", "type", "title", "captured_at", "captured_by", "device_id", "location", "storage_uri",
    "content_hash", "previous_hash",
)  # fmt: skip
"""Every column that describes an item; the chain digests them all."""


def chain_digest(algorithm: HashAlgorithm, values: Mapping[Any, Any]) -> str:
    """The digest chaining an item: its predecessor's digest and every field that describes it, canonically."""
    record = {name: values[name] for name in CHAINED_COLUMNS}
    record["captured_at"] = values["captured_at"].astimezone(dt.UTC).isoformat()
    record["captured_by"] = list(values["captured_by"])
    canonical = json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    return digest(algorithm, canonical)


def record_digest(row: EvidenceRow) -> str:
    """:func:`chain_digest` of a stored row."""
    return chain_digest(HashAlgorithm(row.algorithm), {name: getattr(row, name) for name in CHAINED_COLUMNS})


async def add_evidence(
    session: AsyncSession, services: EnforcementServices, case_id: str, item: NewEvidence, *, actor: str
) -> EvidenceRow:
    """Append an item to the case's chain (the case is locked, so two items never take one place)."""
    case = await lock_for_change(session, CaseRow, case_id, "case")
    if not item.content:
        raise ClientError("evidence needs its content (the file as captured)", code=EnforcementCode.INVALID_EVIDENCE)
    if len(item.captured_by) < 1:
        raise ClientError("evidence names who captured it", code=EnforcementCode.INVALID_EVIDENCE)
    last = (
        await session.execute(
            select(EvidenceRow.seq, EvidenceRow.record_hash)
            .where(EvidenceRow.case_id == case.id)
            .order_by(EvidenceRow.seq.desc())
            .limit(1)
        )
    ).first()
    seq, previous = (last[0] + 1, last[1]) if last else (1, GENESIS)
    algorithm = HashAlgorithm(case.hash_algorithm)
    evidence_id = str(uuid.uuid4())
    uri = services.evidence.put(f"{case.id}/{evidence_id}", item.content)
    row = EvidenceRow(
        id=evidence_id,
        case_id=case.id,
        seq=seq,
        type=item.type.value,
        title=item.title,
        captured_at=item.captured_at,
        captured_by=list(item.captured_by),
        device_id=item.device_id,
        location=item.location,
        storage_uri=uri,
        algorithm=algorithm.value,
        content_hash=digest(algorithm, item.content),
        previous_hash=previous,
        added_by=actor,
        added_at=services.now(),
    )
    row.record_hash = record_digest(row)
    session.add(row)
    await session.flush()  # the item before its custody entry
    session.add(
        CustodyEntryRow(evidence_id=evidence_id, action="COLLECTED", holder=actor, actor=actor, at=row.added_at)
    )
    case.updated_at = row.added_at
    await session.flush()
    return row


@dataclass(frozen=True, slots=True)
class ChainVerdict:
    intact: bool
    items: int
    first_broken: EvidenceRow | None = None
    problem: str | None = None


async def verify_chain(session: AsyncSession, services: EnforcementServices, case_id: str) -> ChainVerdict:
    """Walk the case's items in order: each stored file must match its content digest, each row its record digest,
    each link its predecessor. The first item that fails is named with what failed."""
    case = await session.get(CaseRow, case_id)
    if case is None:
        raise NotFoundError(f"no case {case_id} in your jurisdiction", details={"id": case_id})
    # plain column rows, not ORM objects: a chain may hold tens of thousands of items
    table = EvidenceRow.__table__
    columns = (*CHAINED_COLUMNS, "algorithm", "record_hash")
    statement = select(*(table.c[name] for name in columns)).where(table.c.case_id == case_id).order_by(table.c.seq)
    rows = (await session.execute(statement)).mappings().all()
    previous, expected_seq = GENESIS, 1
    files = services.evidence.get_many(row["storage_uri"] for row in rows)  # read one by one, as the walk goes
    for row, content in zip(rows, files, strict=True):
        problem = None
        algorithm = HashAlgorithm(row["algorithm"])
        if row["seq"] != expected_seq or row["previous_hash"] != previous:
            problem = "the item is out of order or its link to the previous item is broken"
        elif chain_digest(algorithm, row) != row["record_hash"]:
            problem = "the item's record was changed after it was chained"
        elif content is None:
            problem = "the item's stored file is missing"
        elif digest(algorithm, content) != row["content_hash"]:
            problem = "the item's stored file no longer matches its digest"
        if problem is not None:
            return ChainVerdict(False, len(rows), await session.get(EvidenceRow, row["id"]), problem)
        previous, expected_seq = row["record_hash"], expected_seq + 1
    return ChainVerdict(True, len(rows))


async def record_custody(
    session: AsyncSession,
    services: EnforcementServices,
    evidence_id: str,
    action: str,
    holder: str,
    note: str | None,
    *,
    actor: str,
) -> EvidenceRow:
    row = await session.get(EvidenceRow, evidence_id)
    if row is None or not await _case_locked(session, row.case_id):
        raise NotFoundError(f"no evidence {evidence_id} in your jurisdiction", details={"id": evidence_id})
    session.add(
        CustodyEntryRow(evidence_id=row.id, action=action, holder=holder, note=note, actor=actor, at=services.now())
    )
    return row


async def _case_locked(session: AsyncSession, case_id: str) -> bool:
    """Lock the case an item or order belongs to; False when it lies outside the caller's jurisdiction (the caller
    is then told the item does not exist, never which case it belongs to)."""
    try:
        await lock_for_change(session, CaseRow, case_id, "case")
    except NotFoundError:
        return False
    return True


async def count_items(session: AsyncSession, case_id: str) -> int:
    return int(await session.scalar(select(func.count()).where(EvidenceRow.case_id == case_id)) or 0)


# ---------------------------------------------------------------- preservation orders


async def order_preservation(
    session: AsyncSession,
    services: EnforcementServices,
    case_id: str,
    kind: PreservationKind,
    items: str,
    *,
    actor: str,
) -> PreservationOrderRow:
    """An approved preservation order; its deadline: a decision within 7 working days, or 30 days of sealing."""
    case = await lock_for_change(session, CaseRow, case_id, "case")
    today = services.today()
    row = PreservationOrderRow(
        id=str(uuid.uuid4()),
        case_id=case.id,
        kind=kind.value,
        items=items,
        approved_by=actor,
        started_on=today,
        due_on=services.periods.preservation_due(kind, today),
        status=PreservationStatus.OPEN.value,
    )
    session.add(row)
    await session.flush()
    return row


async def _open_order(session: AsyncSession, order_id: str) -> PreservationOrderRow:
    row = await session.get(PreservationOrderRow, order_id)
    if row is not None and await _case_locked(session, row.case_id):
        await session.refresh(row)
    else:
        raise NotFoundError(f"no preservation order {order_id} in your jurisdiction", details={"id": order_id})
    if row.status == PreservationStatus.RELEASED.value:
        raise ClientError(
            f"preservation order {order_id} was already released; nothing was changed",
            code=EnforcementCode.PRESERVATION_NOT_OPEN,
        )
    return row


async def extend_preservation(
    session: AsyncSession, services: EnforcementServices, order_id: str
) -> PreservationOrderRow:
    """A seal or seizure may be extended once by 30 days (行政强制法 Art. 25); registered preservation never."""
    row = await _open_order(session, order_id)
    if row.kind == PreservationKind.REGISTERED_PRESERVATION.value or row.status == PreservationStatus.EXTENDED.value:
        raise ClientError(
            "only a seal or seizure may be extended, and only once (行政强制法 Art. 25); nothing was changed",
            code=EnforcementCode.EXTENSION_NOT_ALLOWED,
        )
    if services.today() > row.due_on:
        raise ClientError(
            f"the order lapsed on {row.due_on.isoformat()}; it can no longer be extended",
            code=EnforcementCode.DEADLINE_EXPIRED,
        )
    row.due_on = services.periods.preservation_extended(row.due_on)
    row.status = PreservationStatus.EXTENDED.value
    return row


async def release_preservation(
    session: AsyncSession, services: EnforcementServices, order_id: str, outcome: str
) -> PreservationOrderRow:
    row = await _open_order(session, order_id)
    row.status, row.released_on, row.outcome = PreservationStatus.RELEASED.value, services.today(), outcome
    return row

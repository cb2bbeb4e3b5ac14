"""The adapters' bookkeeping as functions of the database: checkpoints, runs, quarantined records, circuits.

The adapters (a layer above the subgraphs) call these directly, each in a short transaction of its own, never
while a legacy system or the gateway is being asked something; the GraphQL side reads the same tables.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from kernel.db import Database
from kernel.errors import InvalidTransitionError, NotFoundError
from subgraphs.integration.errors import IntegrationCode
from subgraphs.integration.models import AdapterRunRow, AdapterStateRow, RejectionRow
from subgraphs.integration.vocabulary import CircuitState, RejectionState, RunStatus


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a record (or one of its fields) was refused."""

    field: str | None
    code: str
    message: str

    def as_json(self) -> dict[str, Any]:
        return {"field": self.field, "code": self.code, "message": self.message}


@dataclass(frozen=True, slots=True)
class Quarantined:
    """A record to keep until someone corrects it."""

    source: str
    source_ref: str
    record: Mapping[str, str]
    reasons: tuple[Reason, ...]
    encoding: str | None = None


@dataclass(frozen=True, slots=True)
class Counts:
    read: int = 0
    applied: int = 0
    rejected: int = 0
    duplicate: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.read + other.read,
            self.applied + other.applied,
            self.rejected + other.rejected,
            self.duplicate + other.duplicate,
        )


async def _state(session: AsyncSession, adapter: str, at: dt.datetime) -> AdapterStateRow:
    """The adapter's state row, created if need be, locked: two workers of one adapter take turns here."""
    postgres = session.bind is not None and session.bind.dialect.name == "postgresql"
    insert = postgresql.insert if postgres else sqlite.insert
    first = {"adapter": adapter, "circuit": CircuitState.CLOSED.value, "circuit_failures": 0, "updated_at": at}
    await session.execute(insert(AdapterStateRow).values(**first).on_conflict_do_nothing(index_elements=["adapter"]))
    state = await session.get(AdapterStateRow, adapter, with_for_update=True, populate_existing=True)
    assert state is not None
    return state


async def state_of(database: Database, adapter: str) -> AdapterStateRow | None:
    async with database.transaction() as session:
        return await session.get(AdapterStateRow, adapter)


async def start_run(database: Database, adapter: str, trigger: str, at: dt.datetime) -> tuple[int, str | None]:
    """A new run, RUNNING; returns its id and the adapter's checkpoint."""
    async with database.transaction() as session:
        state = await _state(session, adapter, at)
        run = AdapterRunRow(adapter=adapter, trigger=trigger, started_at=at, status=RunStatus.RUNNING.value)
        run.read = run.applied = run.rejected = run.duplicate = 0
        run.checkpoint_before = state.checkpoint
        session.add(run)
        await session.flush()
        return run.id, state.checkpoint


async def progress(
    database: Database,
    adapter: str,
    run_id: int,
    counts: Counts,
    checkpoint: str | None,
    rejected: Sequence[Quarantined],
    at: dt.datetime,
) -> None:
    """After a batch: its counts, its quarantined records and the new checkpoint, in one transaction."""
    async with database.transaction() as session:
        state = await _state(session, adapter, at)
        if checkpoint is not None:
            state.checkpoint = checkpoint
        state.updated_at = at
        await session.execute(
            update(AdapterRunRow)
            .where(AdapterRunRow.id == run_id)
            .values(
                read=AdapterRunRow.read + counts.read,
                applied=AdapterRunRow.applied + counts.applied,
                rejected=AdapterRunRow.rejected + counts.rejected,
                duplicate=AdapterRunRow.duplicate + counts.duplicate,
                checkpoint_after=state.checkpoint,
            )
        )
        session.add_all(
            RejectionRow(
                adapter=adapter,
                source=item.source,
                source_ref=item.source_ref,
                record=dict(item.record),
                reasons=[reason.as_json() for reason in item.reasons],
                state=RejectionState.OPEN.value,
                encoding=item.encoding,
                run_id=run_id,
                received_at=at,
            )
            for item in rejected
        )


async def finish_run(
    database: Database,
    adapter: str,
    run_id: int,
    status: RunStatus,
    error: str | None,
    caught_up: bool,
    at: dt.datetime,
) -> AdapterRunRow:
    """The run's outcome; a run that found nothing more at its source marks the adapter caught up."""
    async with database.transaction() as session:
        state = await _state(session, adapter, at)
        if caught_up:
            state.caught_up_at = at
        run = await session.get(AdapterRunRow, run_id, with_for_update=True)
        if run is None:
            raise NotFoundError(f"no run {run_id}")
        run.status, run.error, run.finished_at = status.value, error, at
        run.lag_seconds = lag_seconds(state, at)
        return run


def lag_seconds(state: AdapterStateRow | None, at: dt.datetime) -> float | None:
    """Seconds since the adapter was last level with its source (None: never)."""
    if state is None or state.caught_up_at is None:
        return None
    return max((at - state.caught_up_at).total_seconds(), 0.0)


async def record_circuit(
    database: Database,
    adapter: str,
    circuit: CircuitState,
    failures: int,
    opened_at: dt.datetime | None,
    at: dt.datetime,
) -> None:
    async with database.transaction() as session:
        state = await _state(session, adapter, at)
        state.circuit, state.circuit_failures, state.circuit_opened_at, state.updated_at = (
            circuit.value,
            failures,
            opened_at,
            at,
        )


async def resubmitted(database: Database, adapter: str, limit: int = 100) -> list[RejectionRow]:
    """Corrected records waiting to be applied, oldest first."""
    async with database.transaction() as session:
        rows = await session.scalars(
            select(RejectionRow)
            .where(RejectionRow.adapter == adapter, RejectionRow.state == RejectionState.RESUBMITTED.value)
            .order_by(RejectionRow.id)
            .limit(limit)
        )
        return list(rows)


async def resolve(
    database: Database, rejection_id: int, applied: bool, reasons: Sequence[Reason], at: dt.datetime
) -> None:
    """A re-submitted record was applied (or already there), or refused again with new reasons (OPEN again)."""
    async with database.transaction() as session:
        await session.execute(
            update(RejectionRow)
            .where(RejectionRow.id == rejection_id, RejectionRow.state == RejectionState.RESUBMITTED.value)
            .values(
                state=(RejectionState.APPLIED if applied else RejectionState.OPEN).value,
                reasons=[reason.as_json() for reason in reasons] if not applied else RejectionRow.reasons,
                resolved_at=at if applied else None,
            )
        )


async def correct(
    session: AsyncSession, rejection_id: int, corrections: Mapping[str, str], by: str, at: dt.datetime
) -> RejectionRow:
    """An operator's correction of an OPEN record: the fields replaced, the record RESUBMITTED."""
    row = await _open(session, rejection_id)
    unknown = sorted(set(corrections) - set(row.record))
    if unknown:
        raise InvalidTransitionError(
            f"the record has no field {', '.join(unknown)}; its fields are {', '.join(row.record)}",
            code=IntegrationCode.UNKNOWN_RECORD_FIELD,
            details={"field": unknown[0]},
        )
    row.record = {**row.record, **corrections}
    row.state, row.resolved_by, row.resolved_at = RejectionState.RESUBMITTED.value, by, None
    await session.flush()
    return row


async def discard(session: AsyncSession, rejection_id: int, by: str, at: dt.datetime) -> RejectionRow:
    row = await _open(session, rejection_id)
    row.state, row.resolved_by, row.resolved_at = RejectionState.DISCARDED.value, by, at
    await session.flush()
    return row


async def _open(session: AsyncSession, rejection_id: int) -> RejectionRow:
    row = await session.get(RejectionRow, rejection_id, with_for_update=True, populate_existing=True)
    if row is None:
        raise NotFoundError(f"no quarantined record {rejection_id}")
    if row.state != RejectionState.OPEN.value:
        raise InvalidTransitionError(
            f"quarantined record {rejection_id} is {row.state}, not OPEN", code=IntegrationCode.REJECTION_NOT_OPEN
        )
    return row


async def totals(database: Database) -> dict[str, Counts]:
    """Every adapter's counts over all its runs (the Prometheus counters)."""
    async with database.transaction() as session:
        rows = await session.execute(
            select(
                AdapterRunRow.adapter,
                func.sum(AdapterRunRow.read),
                func.sum(AdapterRunRow.applied),
                func.sum(AdapterRunRow.rejected),
                func.sum(AdapterRunRow.duplicate),
            ).group_by(AdapterRunRow.adapter)
        )
        return {name: Counts(int(r or 0), int(a or 0), int(j or 0), int(d or 0)) for name, r, a, j, d in rows.all()}

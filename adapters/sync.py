"""One sync of one adapter: read batches after the checkpoint, map, apply at the gateway, quarantine what was
refused, settle the batch with its source, and record counts and the new checkpoint — batch by batch, so a crash
loses at most the batch in flight, and resending it changes nothing (the subgraphs answer DUPLICATE).

A source that cannot be read (a SOAP fault or timeout after the client's retries, a gap in the change numbers, an
open circuit) ends the run FAILED or PARTIAL with the reason, and the checkpoint stays at the last record applied:
the next run starts there, so nothing is skipped.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from adapters.errors import AdapterCode
from adapters.protocol import LegacyAdapter, Outcome, RecordOutcome, RecordRejected, SourceBatch, SourceRecord
from adapters.sink import GraphSink, Item
from adapters.targets import TARGETS
from kernel.clock import Clock, system_clock
from kernel.db import Database
from kernel.errors import ZhijianError
from kernel.jobs.retry import TransientError
from subgraphs.integration import store
from subgraphs.integration.store import Counts, Quarantined, Reason
from subgraphs.integration.vocabulary import RunStatus

log = logging.getLogger("zhijian.adapters")

BATCH = 500


class SourceUnavailable(TransientError):
    """The legacy source did not answer usefully after the adapter's retries; nothing past the checkpoint is lost."""


@dataclass(slots=True)
class Timings:
    """Where a run's time went, in seconds: waiting on the source (reading, settling), mapping and validating,
    applying at the gateway, and our own bookkeeping — the slowest names the bottleneck."""

    source: float = 0.0
    mapping: float = 0.0
    applying: float = 0.0
    bookkeeping: float = 0.0

    def slowest(self) -> str:
        phases = {"source": self.source, "mapping": self.mapping, "applying": self.applying,
                  "bookkeeping": self.bookkeeping}  # fmt: skip
        return max(phases, key=lambda phase: phases[phase])


@dataclass(frozen=True, slots=True)
class RunReport:
    run_id: int
    status: RunStatus
    counts: Counts
    error: str | None = None
    timings: Timings = field(default_factory=Timings)


Progress = Callable[[Counts], None]


async def apply_records(
    adapter: LegacyAdapter, sink: GraphSink, records: Sequence[SourceRecord], timings: Timings | None = None
) -> list[RecordOutcome]:
    """Map each record (refusing what the mapping refuses) and apply the rest; outcomes in record order."""
    timings = timings or Timings()
    started = time.perf_counter()
    refused: dict[str, RecordOutcome] = {}
    items: list[Item] = []
    for record in records:
        if record.broken is not None:
            refused[record.ref] = RecordOutcome(record.ref, Outcome.REJECTED, (record.broken,))
            continue
        try:
            items.append((record.ref, adapter.map(record)))
        except RecordRejected as rejection:
            refused[record.ref] = RecordOutcome(record.ref, Outcome.REJECTED, rejection.reasons)
        except Exception as poison:  # a defect meets this record: keep it aside, let the others through
            log.exception("%s: mapping %s failed", adapter.name, record.ref)
            reason = Reason(None, AdapterCode.MAPPING_FAILED, f"{type(poison).__name__}: {poison}"[:500])
            refused[record.ref] = RecordOutcome(record.ref, Outcome.REJECTED, (reason,))
    mapped = time.perf_counter()
    timings.mapping += mapped - started
    applied = await sink.apply(TARGETS[adapter.target], items) if items else {}
    timings.applying += time.perf_counter() - mapped
    return [refused.get(record.ref) or applied[record.ref] for record in records]


def _count(outcomes: Sequence[RecordOutcome]) -> Counts:
    return Counts(
        read=len(outcomes),
        applied=sum(o.outcome is Outcome.APPLIED for o in outcomes),
        rejected=sum(o.outcome is Outcome.REJECTED for o in outcomes),
        duplicate=sum(o.outcome is Outcome.DUPLICATE for o in outcomes),
    )


def _quarantined(batch: SourceBatch, outcomes: Sequence[RecordOutcome]) -> list[Quarantined]:
    by_ref = {record.ref: record for record in batch.records}
    return [
        Quarantined(batch.source, o.ref, by_ref[o.ref].fields, o.reasons, batch.encoding)
        for o in outcomes
        if o.outcome is Outcome.REJECTED
    ]


async def sync(
    adapter: LegacyAdapter,
    database: Database,
    sink: GraphSink,
    *,
    trigger: str = "schedule",
    clock: Clock = system_clock,
    batch: int = BATCH,
    progress: Progress | None = None,
) -> RunReport:
    """Run the adapter until its source has nothing more (or cannot be read); the run's report."""
    run_id, checkpoint = await store.start_run(database, adapter.name, trigger, clock())
    log.info("sync %s (run %d) from checkpoint %s", adapter.name, run_id, checkpoint)
    total, status, error, caught_up = Counts(), RunStatus.SUCCEEDED, None, False
    timings = Timings()
    chunks = adapter.read(checkpoint, batch)
    try:
        while True:
            began = time.perf_counter()
            chunk = await anext(chunks, None)
            timings.source += time.perf_counter() - began
            if chunk is None:
                break
            outcomes = await apply_records(adapter, sink, chunk.records, timings)
            began = time.perf_counter()
            if chunk.settle is not None:
                await chunk.settle(outcomes)
            settled = time.perf_counter()
            timings.source += settled - began
            counts = _count(outcomes)
            await store.progress(
                database, adapter.name, run_id, counts, chunk.checkpoint, _quarantined(chunk, outcomes), clock()
            )
            timings.bookkeeping += time.perf_counter() - settled
            total += counts
            if progress is not None:
                progress(total)
        caught_up = True
    except ZhijianError as failure:  # the source failed us (TransientError included), or refused the call
        status = RunStatus.PARTIAL if total.read else RunStatus.FAILED
        error = failure.message
        log.warning("sync %s (run %d) stopped: %s", adapter.name, run_id, error)
    except BaseException as failure:  # a defect, or a stop: record it, then let it go on
        await store.finish_run(database, adapter.name, run_id, RunStatus.FAILED, repr(failure)[:500], False, clock())
        raise
    finally:  # close the source now: a claim it holds (the exchange's transaction) is rolled back, not left open
        close = getattr(chunks, "aclose", None)
        if close is not None:
            await close()
    await store.finish_run(database, adapter.name, run_id, status, error, caught_up, clock())
    log.info(
        "sync %s (run %d) %s: read %d, applied %d, rejected %d, duplicate %d; seconds on source %.1f, mapping %.1f, "
        "applying %.1f, bookkeeping %.1f",
        adapter.name, run_id, status.value, total.read, total.applied, total.rejected, total.duplicate,
        timings.source, timings.mapping, timings.applying, timings.bookkeeping,
    )  # fmt: skip
    return RunReport(run_id, status, total, error, timings)


async def apply_resubmitted(adapter: LegacyAdapter, database: Database, sink: GraphSink, clock: Clock) -> int:
    """Apply the records operators corrected (RESUBMITTED); those refused again are OPEN with the new reasons.
    Returns how many were applied (or found already there)."""
    rows = await store.resubmitted(database, adapter.name)
    if not rows:
        return 0
    records = [SourceRecord(f"rejection {row.id}", {k: str(v) for k, v in row.record.items()}) for row in rows]
    outcomes = await apply_records(adapter, sink, records)
    done = 0
    for row, outcome in zip(rows, outcomes, strict=True):
        ok = outcome.outcome is not Outcome.REJECTED
        done += ok
        await store.resolve(database, row.id, ok, outcome.reasons or (Reason(None, "REJECTED", "refused"),), clock())
    return done

"""GraphQL output types of the integration subgraph: the operators' view of the adapters."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

import strawberry

from subgraphs.common.context import RequestContext
from subgraphs.integration.models import AdapterRunRow, RejectionRow
from subgraphs.integration.reports import Report
from subgraphs.integration.services import IntegrationServices
from subgraphs.integration.vocabulary import CircuitState, RejectionState, RunStatus

Info = strawberry.Info[RequestContext[None, IntegrationServices], None]


@strawberry.type(description="One sync of one adapter.")
class AdapterRun:
    id: strawberry.ID
    trigger: str
    started_at: dt.datetime
    finished_at: dt.datetime | None
    status: RunStatus
    read: int
    applied: int
    rejected: int
    duplicate: int
    lag_seconds: float | None
    error: str | None

    @classmethod
    def from_row(cls, row: AdapterRunRow) -> AdapterRun:
        return cls(
            id=strawberry.ID(str(row.id)), trigger=row.trigger, started_at=row.started_at,
            finished_at=row.finished_at, status=RunStatus(row.status), read=row.read, applied=row.applied,
            rejected=row.rejected, duplicate=row.duplicate, lag_seconds=row.lag_seconds, error=row.error,
        )  # fmt: skip


@strawberry.type(description="Where one adapter stands.")
class AdapterStatus:
    name: str
    checkpoint: str | None = strawberry.field(description="The source position applied so far.")
    lag_seconds: float | None = strawberry.field(description="Seconds since it was last level with its source.")
    circuit: CircuitState
    circuit_failures: int
    last_run: AdapterRun | None
    recent_runs: list[AdapterRun]
    open_rejections: int


@strawberry.type(description="A field of a quarantined record, as received.")
class RecordField:
    name: str
    value: str


@strawberry.type(description="Why a record, or one of its fields, was refused.")
class RejectionReason:
    field: str | None
    code: str
    message: str


@strawberry.type(description="A record an adapter could not apply; correct it and re-submit it.")
class Rejection:
    id: strawberry.ID
    adapter: str
    source: str
    source_ref: str
    record: list[RecordField]
    reasons: list[RejectionReason]
    state: RejectionState
    received_at: dt.datetime
    resolved_at: dt.datetime | None

    @classmethod
    def from_row(cls, row: RejectionRow) -> Rejection:
        reasons: list[dict[str, Any]] = row.reasons
        return cls(
            id=strawberry.ID(str(row.id)), adapter=row.adapter, source=row.source, source_ref=row.source_ref,
            record=[RecordField(name=name, value=str(value)) for name, value in row.record.items()],
            reasons=[RejectionReason(field=r.get("field"), code=r["code"], message=r["message"]) for r in reasons],
            state=RejectionState(row.state), received_at=row.received_at, resolved_at=row.resolved_at,
        )  # fmt: skip


@strawberry.type(description="A rejection report to download: the refused records of one source with the reasons.")
class RejectionReport:
    filename: str
    media_type: str
    encoding: str | None = strawberry.field(description="The sender's encoding (CSV); None for .xlsx.")
    rows: int
    content_base64: str

    @classmethod
    def of(cls, report: Report, rows: int) -> RejectionReport:
        return cls(
            filename=report.filename, media_type=report.media_type, encoding=report.encoding, rows=rows,
            content_base64=base64.b64encode(report.content).decode("ascii"),
        )  # fmt: skip

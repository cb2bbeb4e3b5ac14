"""Read side of the integration subgraph: the ``integration`` view for the bureau's operators."""

from __future__ import annotations

import strawberry
from sqlalchemy import func, select

from kernel.errors import ForbiddenError
from subgraphs.common.fields import field, query
from subgraphs.common.jurisdiction import is_machine_client
from subgraphs.common.pagination import Connection, Page, keyset_page
from subgraphs.integration.errors import IntegrationCode
from subgraphs.integration.models import AdapterRunRow, AdapterStateRow, RejectionRow
from subgraphs.integration.reports import report
from subgraphs.integration.store import lag_seconds
from subgraphs.integration.types import AdapterRun, AdapterStatus, Info, Rejection, RejectionReport
from subgraphs.integration.vocabulary import CircuitState, RejectionState

OPERATOR_ROLE = "admin"
READ_SCOPE, WRITE_SCOPE = "integration:read", "integration:write"


def require_operator(info: Info, *, writes: bool = False) -> str:
    """The caller's subject, when the caller may see (or change) the adapters' state; ``NOT_AN_OPERATOR`` else."""
    caller = info.context.caller
    scope = WRITE_SCOPE if writes else READ_SCOPE
    if caller is not None:
        if is_machine_client(caller) and (scope in caller.scopes or (not writes and WRITE_SCOPE in caller.scopes)):
            return caller.subject
        if not is_machine_client(caller) and caller.has_role(OPERATOR_ROLE):
            return caller.subject
    raise ForbiddenError(
        f"the integration view is for operators: an officer with the {OPERATOR_ROLE} role, or a client holding {scope}",
        code=IntegrationCode.NOT_AN_OPERATOR,
    )


@strawberry.type(description="The legacy adapters as the bureau's operators see them (数据对接).")
class Integration:
    @field("Every adapter that has run: checkpoint, lag, circuit, last and recent runs.")
    async def adapters(self, info: Info, recent: int = 5) -> list[AdapterStatus]:
        session = info.context.session
        now = info.context.services.now()
        states = (await session.scalars(select(AdapterStateRow).order_by(AdapterStateRow.adapter))).all()
        open_counts = dict(
            (
                await session.execute(
                    select(RejectionRow.adapter, func.count())
                    .where(RejectionRow.state == RejectionState.OPEN.value)
                    .group_by(RejectionRow.adapter)
                )
            ).all()
        )
        statuses = []
        for state in states:
            runs = (
                await session.scalars(
                    select(AdapterRunRow)
                    .where(AdapterRunRow.adapter == state.adapter)
                    .order_by(AdapterRunRow.id.desc())
                    .limit(max(1, min(recent, 50)))
                )
            ).all()
            shown = [AdapterRun.from_row(run) for run in runs]
            statuses.append(
                AdapterStatus(
                    name=state.adapter,
                    checkpoint=state.checkpoint,
                    lag_seconds=lag_seconds(state, now),
                    circuit=CircuitState(state.circuit),
                    circuit_failures=state.circuit_failures,
                    last_run=shown[0] if shown else None,
                    recent_runs=shown,
                    open_rejections=int(open_counts.get(state.adapter, 0)),
                )
            )
        return statuses

    @field("Quarantined records, oldest first.")
    async def rejections(
        self,
        info: Info,
        adapter: str | None = None,
        state: RejectionState = RejectionState.OPEN,
        first: int = 50,
        after: str | None = None,
    ) -> Connection[Rejection]:
        statement = select(RejectionRow).where(RejectionRow.state == state.value)
        if adapter is not None:
            statement = statement.where(RejectionRow.adapter == adapter)
        page: Page[RejectionRow] = await keyset_page(
            info.context.session, statement, [RejectionRow.id], lambda row: (row.id,), first=first, after=after
        )
        return page.to_connection(Rejection.from_row)

    @field("The open rejections of one source (a dropped file) as a file for its sender.")
    async def rejection_report(self, info: Info, adapter: str, source: str) -> RejectionReport | None:
        rows = (
            await info.context.session.scalars(
                select(RejectionRow)
                .where(
                    RejectionRow.adapter == adapter,
                    RejectionRow.source == source,
                    RejectionRow.state == RejectionState.OPEN.value,
                )
                .order_by(RejectionRow.id)
            )
        ).all()
        return RejectionReport.of(report(source, rows), len(rows)) if rows else None


@strawberry.type
class Query:
    @query("The legacy adapters: runs, counts, lag, circuits and quarantined records (operators only).")
    async def integration(self, info: Info) -> Integration:
        require_operator(info)
        return Integration()

"""Read side of the enforcement subgraph: a case, keyset-paged case lists, the evidence chain's verification."""

from __future__ import annotations

import datetime as dt

import strawberry
from sqlalchemy import Select, and_, false, not_, or_, select

from subgraphs.common.fields import query
from subgraphs.common.pagination import Connection, Page, keyset_page
from subgraphs.enforcement import evidence, indicators
from subgraphs.enforcement.models import CaseRow
from subgraphs.enforcement.types import Case, Evidence, EvidenceChainVerdict, Info
from subgraphs.enforcement.vocabulary import CaseStage
from subgraphs.enforcement.workflow import OPEN_STAGES, REVIEW_STAGES, CaseRole, stages_awaiting


@strawberry.input(description="Narrow a case list; every given field must match.")
class CaseFilter:
    stages: list[CaseStage] | None = None
    party_uscc: str | None = None
    source_inspection_id: str | None = strawberry.field(
        default=None, description="一键转办: the leads opened from this inspection record."
    )
    overdue: bool | None = strawberry.field(
        default=None, description="Only open cases whose current stage's deadline passed (or only those not)."
    )
    awaiting_me: bool | None = strawberry.field(
        default=None,
        description="Only cases whose next step is for one of your roles (a legal reviewer's: those whose Art. 58 "
        "review is pending).",
    )


def _filtered(where: CaseFilter | None, today: dt.date, roles: frozenset[str]) -> Select[CaseRow]:
    statement = select(CaseRow)
    if where is None:
        return statement
    if where.awaiting_me:
        moves = [
            and_(CaseRow.procedure == procedure.value, CaseRow.stage.in_([stage.value for stage in stages]))
            for procedure, stages in stages_awaiting(roles).items()
            if stages
        ]
        if CaseRole.LEGAL_REVIEWER.value in roles:
            moves.append(and_(CaseRow.stage.in_([stage.value for stage in REVIEW_STAGES]), CaseRow.review_pending))
        statement = statement.where(or_(*moves, false()))
    if where.stages is not None:
        statement = statement.where(CaseRow.stage.in_([stage.value for stage in where.stages]))
    if where.party_uscc is not None:
        statement = statement.where(CaseRow.party_uscc == where.party_uscc.strip().upper())
    if where.source_inspection_id is not None:
        statement = statement.where(CaseRow.source_inspection_id == where.source_inspection_id)
    if where.overdue is not None:
        late = and_(CaseRow.stage.in_([stage.value for stage in OPEN_STAGES]), CaseRow.stage_due_on < today)
        statement = statement.where(late if where.overdue else not_(late))
    return statement


def _roles(info: Info) -> frozenset[str]:
    caller = info.context.caller
    return caller.roles if caller is not None else frozenset()


@strawberry.type(description="The case loop's figures for one stage, in your jurisdiction.")
class CaseStageIndicator:
    stage: CaseStage
    cases: int
    overdue: int = strawberry.field(description="Open cases in this stage past its deadline.")
    median_days: float | None = strawberry.field(description="Median days completed stays in this stage lasted.")


@strawberry.type
class Query:
    @query("A case by id; null when there is none in your jurisdiction.")
    async def case(self, info: Info, id: strawberry.ID) -> Case | None:
        row = await info.context.loaders.case.load(str(id))
        return Case.from_row(row) if row else None

    @query("Cases in your jurisdiction oldest first (ids are time-ordered), Relay keyset pages (first ≤ 100).")
    async def cases(
        self, info: Info, filter: CaseFilter | None = None, first: int = 20, after: str | None = None
    ) -> Connection[Case]:
        page: Page[CaseRow] = await keyset_page(
            info.context.session,
            _filtered(filter, info.context.services.today(), _roles(info)),
            (CaseRow.id.expression,),
            lambda row: (row.id,),
            first=first,
            after=after,
        )
        return page.to_connection(Case.from_row)

    @query("Cases by stage, overdue cases and median days per stage, in your jurisdiction (or one district of it).")
    async def case_indicators(self, info: Info, district_code: str | None = None) -> list[CaseStageIndicator]:
        figures = await indicators.stage_figures(info.context.session, info.context.services.today(), district_code)
        return [
            CaseStageIndicator(stage=f.stage, cases=f.cases, overdue=f.overdue, median_days=f.median_days)
            for f in figures
        ]

    @query("Re-hash every item of the case's evidence chain; names the first item whose file or record changed.")
    async def verify_evidence_chain(self, info: Info, case_id: strawberry.ID) -> EvidenceChainVerdict:
        verdict = await evidence.verify_chain(info.context.session, info.context.services, str(case_id))
        broken = verdict.first_broken
        return EvidenceChainVerdict(
            intact=verdict.intact,
            items=verdict.items,
            first_broken=Evidence.from_row(broken) if broken is not None else None,
            problem=verdict.problem,
        )

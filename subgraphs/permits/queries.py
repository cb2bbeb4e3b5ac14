"""Read side of the permits subgraph: one permit by id or number, keyset-paged lists, applications, number checks."""

from __future__ import annotations

import datetime as dt

import strawberry
from sqlalchemy import Select, and_, not_, select

from subgraphs.common.fields import query
from subgraphs.common.pagination import Connection, Page, keyset_page, prepared_pages
from subgraphs.permits.models import PermitApplicationRow, PermitRow
from subgraphs.permits.numbers import normalise, parse_permit_number
from subgraphs.permits.types import Info, Permit, PermitApplication
from subgraphs.permits.vocabulary import PermitKind, PermitStatus
from subgraphs.permits.workflow import DECISION_OWED, ApplicationState

ALL_PERMITS = prepared_pages(PermitRow, PermitRow.number)
"""The unfiltered list, the one officers page through most: prepared (issue 17)."""


@strawberry.input(description="Narrow a permit list; every given field must match.")
class PermitFilter:
    holder_uscc: str | None = None
    kind: PermitKind | None = None
    status: PermitStatus | None = None
    premises_region: str | None = None
    expires_on_or_before: dt.date | None = None


@strawberry.input(description="Narrow an application worklist; every given field must match.")
class ApplicationFilter:
    states: list[ApplicationState] | None = None
    applicant_uscc: str | None = None
    kind: PermitKind | None = None
    decision_overdue: bool | None = strawberry.field(
        default=None, description="Only applications whose decision is owed past its deadline (or only those not)."
    )


@strawberry.type(description="A number that passed its kind's format check, split into its parts.")
class PermitNumberCheck:
    kind: PermitKind
    number: str
    region_code: str | None
    sequence: str | None
    check_digit: str | None = strawberry.field(description="Stored, never verified: the algorithm is unpublished.")
    business_form: int | None
    category_code: str | None
    warnings: list[str]


def _filtered(where: PermitFilter | None) -> Select[PermitRow]:
    statement = select(PermitRow)
    if where is None:
        return statement
    if where.holder_uscc is not None:
        statement = statement.where(PermitRow.holder_uscc == where.holder_uscc.strip().upper())
    if where.kind is not None:
        statement = statement.where(PermitRow.kind == where.kind.value)
    if where.status is not None:
        statement = statement.where(PermitRow.status == where.status.value)
    if where.premises_region is not None:
        statement = statement.where(PermitRow.premises_region == where.premises_region)
    if where.expires_on_or_before is not None:
        statement = statement.where(PermitRow.valid_to <= where.expires_on_or_before)
    return statement


def _applications(where: ApplicationFilter | None, today: dt.date) -> Select[PermitApplicationRow]:
    statement = select(PermitApplicationRow)
    if where is None:
        return statement
    if where.states is not None:
        statement = statement.where(PermitApplicationRow.state.in_([state.value for state in where.states]))
    if where.applicant_uscc is not None:
        statement = statement.where(PermitApplicationRow.applicant_uscc == where.applicant_uscc.strip().upper())
    if where.kind is not None:
        statement = statement.where(PermitApplicationRow.kind == where.kind.value)
    if where.decision_overdue is not None:
        waiting = [state.value for state in DECISION_OWED]
        overdue = and_(PermitApplicationRow.state.in_(waiting), PermitApplicationRow.decision_due_on < today)
        statement = statement.where(overdue if where.decision_overdue else not_(overdue))
    return statement


@strawberry.type
class Query:
    @query("A permit by id; null when there is none in your jurisdiction.")
    async def permit(self, info: Info, id: strawberry.ID) -> Permit | None:
        row = await info.context.loaders.by_id.load(str(id))
        return Permit.from_row(row) if row else None

    @query("A permit by its number (JY…, SC…, YB…, registration numbers); null when none in your area.")
    async def permit_by_number(self, info: Info, number: str) -> Permit | None:
        row = await info.context.loaders.by_number.load(normalise(number))
        return Permit.from_row(row) if row else None

    @query("Permits with premises in your jurisdiction, by number, Relay keyset pages (first ≤ 100).")
    async def permits(
        self, info: Info, filter: PermitFilter | None = None, first: int = 20, after: str | None = None
    ) -> Connection[Permit]:
        page: Page[PermitRow] = await keyset_page(
            info.context.session,
            ALL_PERMITS if filter is None else _filtered(filter),
            (PermitRow.number.expression,),
            lambda row: (row.number,),
            first=first,
            after=after,
        )
        return page.to_connection(Permit.from_row)

    @query("Applications oldest first (ids are time-ordered), Relay keyset pages: an officer's worklist.")
    async def permit_applications(
        self, info: Info, filter: ApplicationFilter | None = None, first: int = 20, after: str | None = None
    ) -> Connection[PermitApplication]:
        page: Page[PermitApplicationRow] = await keyset_page(
            info.context.session,
            _applications(filter, info.context.services.today()),
            (PermitApplicationRow.id.expression,),
            lambda row: (row.id,),
            first=first,
            after=after,
        )
        return page.to_connection(PermitApplication.from_row)

    @query("A permit application by id; null when none in your jurisdiction.")
    async def permit_application(self, info: Info, id: strawberry.ID) -> PermitApplication | None:
        row = await info.context.session.get(PermitApplicationRow, str(id))
        return PermitApplication.from_row(row) if row else None

    @query("Check a number against its kind's format; an invalid one is an INVALID_PERMIT_NUMBER error.")
    def check_permit_number(self, info: Info, kind: PermitKind, number: str) -> PermitNumberCheck:
        services = info.context.services
        parsed = parse_permit_number(
            kind, number, on=services.today(), rules=services.periods.rules, is_local_region=services.is_shenzhen_region
        )
        return PermitNumberCheck(
            kind=parsed.kind,
            number=parsed.value,
            region_code=parsed.region_code,
            sequence=parsed.sequence,
            check_digit=parsed.check_digit,
            business_form=parsed.business_form,
            category_code=parsed.category_code,
            warnings=list(parsed.warnings),
        )

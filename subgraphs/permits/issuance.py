"""Putting an approved application into effect: numbering, new permits, renewal, change, cancellation (发证).

Runs inside the request's transaction when the certificate is issued (DOMAIN.md §3.5, 行政许可法 Art. 44).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from kernel.errors import ClientError, Code, ConflictError, InternalError
from kernel.orgtree import OrgTree
from kernel.uscc import parse_uscc
from subgraphs.common.jurisdiction import UNSCOPED
from subgraphs.permits import catalog
from subgraphs.permits.deadlines import ValidityPeriod, check_validity, full_validity
from subgraphs.permits.errors import PermitsCode
from subgraphs.permits.models import (
    PermitApplicationRow,
    PermitNumberSequenceRow,
    PermitRow,
    PermitVerificationTaskRow,
    premises_codes,
)
from subgraphs.permits.numbers import check_region_code, format_number, parse_permit_number
from subgraphs.permits.permit_status import record_status_change
from subgraphs.permits.services import PermitServices
from subgraphs.permits.vocabulary import ApplicationAction, PermitKind, PermitStatus

ISSUING_ORG = "深圳市市场监督管理局"
"""Shenzhen issues food permits city-wide through the online portal (深市监通告〔2022〕9号)."""


def number_head(kind: PermitKind, *, region: str, business_form: int | None, items: tuple[str, ...]) -> str:
    """Prefix + form/category digits + region: the part of a number that precedes its sequence."""
    if kind is PermitKind.JY:
        if business_form is None:
            raise ClientError(
                "an operating permit needs a business form (主体业态)", code=PermitsCode.BUSINESS_FORM_REQUIRED
            )
        return f"JY{business_form}{region}"
    if kind is PermitKind.SC:
        # The main product's category gives the code (DOMAIN.md §3.3): the first listed category.
        return f"SC{items[0].partition('@')[0]}{region}"
    prefix = {PermitKind.PREPACK_FILING: "YB1", PermitKind.WORKSHOP_REG: "XZ0", PermitKind.STALL_REG: "TF0"}[kind]
    return f"{prefix}{region}"


async def allocate_number(session: AsyncSession, kind: PermitKind, head: str) -> str:
    """The next number under ``head``: one upsert of the counter row in the same transaction, so concurrent
    issuers under one head queue on that row (a new head included) and never draw the same number."""
    upsert = (postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert)(
        PermitNumberSequenceRow
    )
    bumped = await session.execute(
        upsert.values(head=head, last=1)
        .on_conflict_do_update(
            index_elements=[PermitNumberSequenceRow.head], set_={"last": PermitNumberSequenceRow.last + 1}
        )
        .returning(PermitNumberSequenceRow.last)
    )
    return format_number(kind, head, bumped.scalar_one())


@dataclass(frozen=True, slots=True)
class ExistingPermit:
    """A permit issued elsewhere (a legacy system), as it stands."""

    kind: PermitKind
    number: str
    holder_uscc: str
    holder_name: str
    premises_address: str
    premises_region: str
    items: tuple[str, ...]
    valid_from: dt.date
    valid_to: dt.date | None
    """None for a filing (备案): no validity period."""
    business_form: int | None = None
    issuing_org: str = ISSUING_ORG
    status: PermitStatus = PermitStatus.VALID


async def _insert(
    session: AsyncSession, tree: OrgTree, record: ExistingPermit, validity: ValidityPeriod, at: dt.datetime
) -> PermitRow:
    """Write a checked, normalised permit, placed where its premises are supervised."""
    district_code, station_code = premises_codes(tree, record.premises_address, record.premises_region)
    permit = PermitRow(
        id=str(uuid.uuid4()),
        kind=record.kind.value,
        number=record.number,
        holder_uscc=record.holder_uscc,
        holder_name=record.holder_name,
        business_form=record.business_form,
        items=list(record.items),
        premises_address=record.premises_address,
        premises_region=record.premises_region,
        district_code=district_code,
        station_code=station_code,
        issuing_org=record.issuing_org,
        valid_from=validity.valid_from,
        valid_to=validity.valid_to,
        validity_rule=validity.rule.version,
        status=record.status.value,
        status_reason=None,
        renewals=0,
        previous_valid_to=None,
        issued_at=at,
        updated_at=at,
    )
    session.add(permit)
    await session.flush()
    return permit


def validity_start(
    services: PermitServices, kind: PermitKind, application: PermitApplicationRow, issued_on: dt.date
) -> dt.date:
    """The first valid day of a new permit: the decision date where the kind's rules date the certificate from the
    decision (发证日期为许可决定作出的日期, rule ``permits.<family>.validity_from_decision``), else the issue date."""
    decided_on = application.decided_on or issued_on
    rule = services.periods.rules.find(f"permits.{kind.rule_family}.validity_from_decision", decided_on)
    return decided_on if rule is not None and rule.value == 1 else issued_on


async def _new_permit(
    session: AsyncSession, services: PermitServices, application: PermitApplicationRow, today: dt.date, at: dt.datetime
) -> PermitRow:
    kind = PermitKind(application.kind)
    items = tuple(application.items)
    head = number_head(kind, region=application.premises_region, business_form=application.business_form, items=items)
    validity = full_validity(services.periods, kind, validity_start(services, kind, application, today))
    record = ExistingPermit(
        kind=kind,
        number=await allocate_number(session, kind, head),
        holder_uscc=application.applicant_uscc,
        holder_name=application.applicant_name,
        premises_address=application.premises_address,
        premises_region=application.premises_region,
        items=items,
        valid_from=validity.valid_from,
        valid_to=validity.valid_to,
        business_form=application.business_form,
    )
    permit = await _insert(session, services.org_tree, record, validity, at)
    application.permit_id = permit.id
    return permit


def _renew(
    services: PermitServices,
    session: AsyncSession,
    permit: PermitRow,
    *,
    actor: str,
    at: dt.datetime,
    renewed_as: PermitStatus,
    reason: str,
) -> None:
    """The new period continues the old one from the day after it ends; an expired permit is in force again
    (``renewed_as``: VALID, or DEEMED_RENEWED under 行政许可法 Art. 50); a suspended one stays suspended."""
    if permit.valid_to is None:
        raise InternalError(f"{permit.number} has no validity period to renew")
    validity = full_validity(services.periods, PermitKind(permit.kind), permit.valid_to + dt.timedelta(days=1))
    permit.previous_valid_to = permit.valid_to
    permit.valid_from, permit.valid_to = validity.valid_from, validity.valid_to
    permit.validity_rule = validity.rule.version
    permit.renewals += 1
    if permit.status not in (renewed_as.value, PermitStatus.SUSPENDED.value):
        record_status_change(session, permit, renewed_as, actor=actor, at=at, reason=reason)


def _change(permit: PermitRow, application: PermitApplicationRow) -> None:
    permit.holder_name = application.applicant_name
    permit.items = list(application.items)
    permit.premises_address = application.premises_address
    permit.premises_region = application.premises_region
    permit.business_form = application.business_form


async def put_into_effect(
    session: AsyncSession,
    services: PermitServices,
    application: PermitApplicationRow,
    *,
    actor: str,
    at: dt.datetime,
    renewed_as: PermitStatus = PermitStatus.VALID,
    renewal_reason: str = "renewed",
) -> PermitRow:
    """Create or update the permit an approved application grants (a renewal leaves it ``renewed_as``)."""
    today = services.today(at)
    action = ApplicationAction(application.action)
    if action is ApplicationAction.NEW:
        return await _new_permit(session, services, application, today, at)
    permit = await session.get(PermitRow, application.permit_id) if application.permit_id else None
    if permit is None:
        raise InternalError(f"application {application.id} refers to no permit")
    if action is ApplicationAction.RENEW:
        _renew(services, session, permit, actor=actor, at=at, renewed_as=renewed_as, reason=renewal_reason)
    elif action is ApplicationAction.CHANGE:
        _change(permit, application)
    elif action is ApplicationAction.CANCEL:
        reason = f"cancelled on application {application.id}"
        record_status_change(session, permit, PermitStatus.CANCELLED, actor=actor, at=at, reason=reason)
    permit.updated_at = at
    return permit


async def schedule_verification(
    session: AsyncSession,
    services: PermitServices,
    application: PermitApplicationRow,
    permit: PermitRow,
    at: dt.datetime,
) -> PermitVerificationTaskRow:
    """Record the POST_APPROVAL_VERIFY task an automatic approval owes (DOMAIN.md §3.7 item 5)."""
    today = services.today(at)
    rule = services.periods.rules.get("permits.post_approval_verification", today)
    task = PermitVerificationTaskRow(
        id=str(uuid.uuid4()),
        task_type="POST_APPROVAL_VERIFY",
        application_id=application.id,
        permit_id=permit.id,
        subject_uscc=application.applicant_uscc,
        due_on=services.periods.calendar.add_working_days(today, rule.value),
        rule_version=rule.version,
        status="OPEN",
        created_at=at,
    )
    session.add(task)
    return task


async def record_existing_permit(session: AsyncSession, services: PermitServices, record: ExistingPermit) -> PermitRow:
    """Validate a legacy permit completely (number by kind, holder, validity, items) before writing it."""
    at = services.now()
    today = services.today(at)
    validity = check_validity(services.periods, record.kind, record.valid_from, record.valid_to)
    number = parse_permit_number(
        record.kind,
        record.number,
        on=record.valid_from,
        rules=services.periods.rules,
        is_local_region=services.is_shenzhen_region,
    )
    holder = parse_uscc(record.holder_uscc).code
    region = check_region_code(record.premises_region)
    if record.status is PermitStatus.VALID and record.valid_to is not None and record.valid_to < today:
        raise ClientError(
            f"a VALID permit cannot have expired ({record.valid_to}); record it as EXPIRED",
            code=PermitsCode.INVALID_PERMIT_STATUS,
        )
    form = record.business_form if record.business_form is not None else number.business_form
    if number.business_form is not None and form != number.business_form:
        raise ClientError(
            f"business form {form} contradicts digit {number.business_form} of number {number.value}",
            code=PermitsCode.INVALID_BUSINESS_FORM,
        )
    if record.kind is not PermitKind.JY and form is not None:
        raise ClientError("only operating permits (JY) have a business form", code=PermitsCode.INVALID_BUSINESS_FORM)
    items = catalog.resolve_items(record.kind, record.items, record.valid_from)
    if not record.holder_name.strip():
        raise ClientError("holderName must not be empty", code=Code.BAD_USER_INPUT, details={"field": "holderName"})
    numbered = select(PermitRow.id).where(PermitRow.number == number.value)
    taken = await session.scalar(numbered, execution_options={UNSCOPED: True})  # numbers are unique city-wide
    if taken is not None:
        raise ConflictError(f"permit number {number.value} is already recorded", details={"number": number.value})
    normalised = replace(
        record,
        number=number.value,
        holder_uscc=holder,
        holder_name=record.holder_name.strip(),
        business_form=form,
        items=items,
        premises_address=record.premises_address.strip(),
        premises_region=region,
    )
    return await _insert(session, services.org_tree, normalised, validity, at)

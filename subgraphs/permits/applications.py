"""Permit-application intake: submission, drafts, materials requests (补正), resubmission and acceptance (受理).

行政许可法 Art. 32: acceptance on the spot or a complete list of missing materials within 5 working days, silence
meaning deemed acceptance from receipt. Every check runs before anything is written; the request's transaction
rolls back on any error.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kernel.errors import ClientError, Code, ConflictError, NotFoundError
from kernel.uscc import parse_uscc
from subgraphs.common.ids import time_ordered_id
from subgraphs.permits import autoapproval, catalog
from subgraphs.permits.bans import require_no_revocation_ban
from subgraphs.permits.changes import change_deadline
from subgraphs.permits.deadlines import RenewalTiming, renewal_window
from subgraphs.permits.errors import PermitsCode
from subgraphs.permits.models import PermitApplicationRow, PermitRow, premises_codes
from subgraphs.permits.numbers import check_region_code
from subgraphs.permits.permit_status import get_permit
from subgraphs.permits.services import PermitServices
from subgraphs.permits.transitions import get_application, move, note_rule, record_transition, require_state
from subgraphs.permits.vocabulary import (
    IN_FORCE,
    OPERATING,
    ApplicationAction,
    ApplicationRoute,
    PermitKind,
    PermitStatus,
)
from subgraphs.permits.workflow import FINAL_STATES, ApplicationState

_S = ApplicationState


@dataclass(frozen=True, slots=True)
class ApplicationRequest:
    """What an applicant declares (申请书): the facts auto-approval compares with the registry."""

    kind: PermitKind
    action: ApplicationAction
    applicant_uscc: str
    applicant_name: str
    legal_representative: str
    premises_address: str
    premises_region: str
    items: tuple[str, ...]
    route: ApplicationRoute = ApplicationRoute.ORDINARY
    business_form: int | None = None
    touches_premises: bool = False
    commitment_signed: bool = False
    permit_id: str | None = None
    changed_on: dt.date | None = None
    """CHANGE: the day the permitted matter changed."""

    @property
    def uscc(self) -> str:
        """The applicant's USCC, checked (``INVALID_USCC``) and upper-cased."""
        return parse_uscc(self.applicant_uscc).code


async def applicant_of(session: AsyncSession, application_id: str) -> str:
    """The applicant's USCC of an application in the caller's jurisdiction (``NOT_FOUND`` otherwise)."""
    return (await applicant_and_action(session, application_id))[0]


async def applicant_and_action(session: AsyncSession, application_id: str) -> tuple[str, str]:
    """The applicant's USCC and the action of an application in the caller's jurisdiction (``NOT_FOUND`` otherwise)."""
    found = (
        await session.execute(
            select(PermitApplicationRow.applicant_uscc, PermitApplicationRow.action).where(
                PermitApplicationRow.id == application_id
            )
        )
    ).first()
    if found is None:
        raise NotFoundError(
            f"no permit application {application_id} in your jurisdiction", details={"id": application_id}
        )
    return found[0], found[1]


async def holder_of(session: AsyncSession, permit_id: str) -> str:
    """The holder's USCC of a permit in the caller's jurisdiction (``NOT_FOUND`` otherwise)."""
    uscc = await session.scalar(select(PermitRow.holder_uscc).where(PermitRow.id == permit_id))
    if uscc is None:
        raise NotFoundError(f"no permit {permit_id} in your jurisdiction", details={"id": permit_id})
    return uscc


async def _previous_permit(session: AsyncSession, request: ApplicationRequest, uscc: str) -> PermitRow | None:
    if request.action is ApplicationAction.NEW:
        if request.permit_id is not None:
            raise ClientError("a NEW application must not name an existing permit", code=Code.BAD_USER_INPUT)
        return None
    if request.permit_id is None:
        raise ClientError(
            f"a {request.action.value} application must name the permit", code=PermitsCode.PERMIT_REQUIRED
        )
    permit = await get_permit(session, request.permit_id)
    if permit.holder_uscc != uscc or permit.kind != request.kind.value:
        raise ClientError(
            f"permit {permit.number} is a {permit.kind} permit of {permit.holder_uscc}, "
            f"not the applicant's {request.kind.value} permit",
            code=PermitsCode.PERMIT_MISMATCH,
        )
    if request.action is not ApplicationAction.RENEW and PermitStatus(permit.status) not in IN_FORCE:
        raise ClientError(
            f"permit {permit.number} is {permit.status}; only a permit in force can be changed, cancelled or reissued",
            code=PermitsCode.PERMIT_NOT_IN_FORCE,
        )
    open_application = await session.scalar(
        select(PermitApplicationRow.id).where(
            PermitApplicationRow.permit_id == permit.id,
            PermitApplicationRow.state.not_in([state.value for state in FINAL_STATES]),
        )
    )
    if open_application is not None:
        raise ConflictError(
            f"permit {permit.number} already has an open application ({open_application}); finish that one first",
            details={"applicationId": open_application},
        )
    return permit


def _validate(services: PermitServices, request: ApplicationRequest, today: dt.date) -> tuple[str, tuple[str, ...]]:
    uscc = request.uscc
    for label, value in (
        ("applicantName", request.applicant_name),
        ("legalRepresentative", request.legal_representative),
        ("premisesAddress", request.premises_address),
    ):
        if not value.strip():
            raise ClientError(f"{label} must not be empty", code=Code.BAD_USER_INPUT, details={"field": label})
    check_region_code(request.premises_region)
    if request.kind is PermitKind.JY:
        form_max = services.periods.rules.get("permits.number.jy_business_form_max", today).value
        if request.business_form is None or not 1 <= request.business_form <= form_max:
            raise ClientError(
                f"an operating permit needs businessForm 1–{form_max} (主体业态), not {request.business_form}",
                code=PermitsCode.INVALID_BUSINESS_FORM,
            )
    elif request.business_form is not None:
        raise ClientError("only operating permits (JY) have a business form", code=PermitsCode.INVALID_BUSINESS_FORM)
    if request.route is ApplicationRoute.COMMITMENT and request.kind is not PermitKind.JY:
        raise ClientError(
            "the commitment route (申请人承诺制) exists for operating permits only", code=PermitsCode.INVALID_ROUTE
        )
    return uscc, catalog.resolve_items(request.kind, request.items, today)


def _renewal_timing(services: PermitServices, permit: PermitRow, today: dt.date) -> RenewalTiming:
    """Where ``today`` falls in the permit's renewal window; too early, expired or not renewable is an error."""
    if PermitStatus(permit.status) not in OPERATING | {PermitStatus.EXPIRED}:
        raise ClientError(
            f"permit {permit.number} is {permit.status}; it cannot be renewed", code=PermitsCode.PERMIT_NOT_RENEWABLE
        )
    if permit.valid_to is None:
        raise ClientError(
            f"{permit.number} is a {permit.kind} without a validity period: there is nothing to renew",
            code=PermitsCode.PERMIT_NOT_RENEWABLE,
        )
    if today > permit.valid_to:
        raise ClientError(
            f"permit {permit.number} expired on {permit.valid_to}; apply for a new permit",
            code=PermitsCode.PERMIT_EXPIRED,
            details={"expiresOn": permit.valid_to.isoformat()},
        )
    window = renewal_window(services.periods, PermitKind(permit.kind), permit.valid_to)
    timing = window.timing(today)
    if timing is RenewalTiming.TOO_EARLY:
        raise ClientError(
            f"renewal of {permit.number} opens on {window.opens_on} ({window.rules[0].basis})",
            code=PermitsCode.RENEWAL_WINDOW_NOT_OPEN,
            details={
                "opensOn": window.opens_on.isoformat() if window.opens_on else None,
                "dueBy": window.due_by.isoformat(),
                "expiresOn": window.expires_on.isoformat(),
                "rules": [rule.version for rule in window.rules],
            },
        )
    return timing


def _late_note(timing: RenewalTiming | None) -> str:
    if timing is RenewalTiming.LATE:
        return " (late renewal: the holder must stop operating at expiry until renewed)"
    return ""


async def submit_application(
    session: AsyncSession, services: PermitServices, request: ApplicationRequest, *, actor: str, draft: bool = False
) -> PermitApplicationRow:
    """Create an application (DRAFT) and, unless ``draft``, submit it: the 5-wd materials clock starts."""
    at = services.now()
    today = services.today(at)
    uscc, items = _validate(services, request, today)
    if request.action in (ApplicationAction.NEW, ApplicationAction.RENEW):
        await require_no_revocation_ban(session, services, uscc, today)
    previous = await _previous_permit(session, request, uscc)
    timing = None
    if request.action is ApplicationAction.RENEW and previous is not None:
        timing = _renewal_timing(services, previous, today)
    change = None
    if request.action is ApplicationAction.CHANGE:
        change = change_deadline(services, request.kind, request.changed_on, today)
    address = request.premises_address.strip()
    district_code, station_code = premises_codes(services.org_tree, address, request.premises_region)
    row = PermitApplicationRow(
        id=time_ordered_id(at),
        kind=request.kind.value,
        action=request.action.value,
        route=request.route.value,
        state=_S.DRAFT.value,
        applicant_uscc=uscc,
        applicant_name=request.applicant_name.strip(),
        legal_representative=request.legal_representative.strip(),
        business_form=request.business_form,
        items=list(items),
        premises_address=address,
        premises_region=request.premises_region,
        district_code=district_code,
        station_code=station_code,
        touches_premises=request.touches_premises,
        commitment_signed=request.commitment_signed,
        permit_id=previous.id if previous else None,
        missing_materials=[],
        renewal_timing=timing.value if timing else None,
        changed_on=change.changed_on if change else None,
        change_due_on=change.due_by if change else None,
        change_timing=change.timing.value if change else None,
        rule_versions=[],
        created_at=at,
        updated_at=at,
    )
    session.add(row)
    await session.flush()
    record_transition(session, row, None, _S.DRAFT, actor=actor, at=at, reason="application created")
    if change is not None:
        note_rule(row, change.rule.version)
    if not draft:
        late = _late_note(timing) + (change.note if change else "")
        _submit(session, services, row, actor=actor, at=at, reason="submitted" + late)
    await session.flush()
    return row


async def renew_permit(
    session: AsyncSession,
    services: PermitServices,
    permit_id: str,
    *,
    applicant_name: str,
    legal_representative: str,
    commitment_signed: bool,
    actor: str,
) -> PermitApplicationRow:
    """Submit a RENEW application that continues ``permit_id`` unchanged, if its renewal window allows."""
    permit = await get_permit(session, permit_id)
    request = ApplicationRequest(
        kind=PermitKind(permit.kind),
        action=ApplicationAction.RENEW,
        applicant_uscc=permit.holder_uscc,
        applicant_name=applicant_name,
        legal_representative=legal_representative,
        premises_address=permit.premises_address,
        premises_region=permit.premises_region,
        items=tuple(permit.items),
        business_form=permit.business_form,
        commitment_signed=commitment_signed,
        permit_id=permit.id,
    )
    return await submit_application(session, services, request, actor=actor)


def _submit(
    session: AsyncSession,
    services: PermitServices,
    row: PermitApplicationRow,
    *,
    actor: str,
    at: dt.datetime,
    reason: str,
) -> None:
    move(session, row, _S.SUBMITTED, actor=actor, at=at, reason=reason)
    row.received_on = services.today(at)
    due = services.periods.materials_request_due(row.received_on)
    row.materials_due_on = due.due_on
    note_rule(row, due.rule.version)


async def submit_draft(
    session: AsyncSession, services: PermitServices, application_id: str, *, actor: str
) -> PermitApplicationRow:
    """DRAFT → SUBMITTED."""
    row = await get_application(session, application_id)
    require_state(row, _S.SUBMITTED, "submit")
    at = services.now()
    reason = "submitted"
    if row.action == ApplicationAction.RENEW.value and row.permit_id is not None:
        permit = await session.get(PermitRow, row.permit_id)
        assert permit is not None
        timing = _renewal_timing(services, permit, services.today(at))
        row.renewal_timing = timing.value
        reason += _late_note(timing)
    _submit(session, services, row, actor=actor, at=at, reason=reason)
    return row


async def request_materials(
    session: AsyncSession, services: PermitServices, application_id: str, missing: tuple[str, ...], *, actor: str
) -> PermitApplicationRow:
    """SUBMITTED → MATERIALS_INCOMPLETE (补正), listing everything missing at once, within 5 wd (Art. 32)."""
    row = await get_application(session, application_id)
    require_state(row, _S.MATERIALS_INCOMPLETE, "request materials")
    at = services.now()
    today = services.today(at)
    listed = tuple(item.strip() for item in missing if item.strip())
    if not listed:
        raise ClientError(
            "list every missing material (Art. 32 requires one complete list)", code=PermitsCode.MATERIALS_REQUIRED
        )
    if row.materials_due_on is not None and today > row.materials_due_on:
        raise ClientError(
            f"the materials request was due by {row.materials_due_on}; "
            "the application is deemed accepted (行政许可法 Art. 32)",
            code=PermitsCode.MATERIALS_REQUEST_OVERDUE,
            details={"materialsDueOn": row.materials_due_on.isoformat()},
        )
    row.missing_materials = list(listed)
    move(session, row, _S.MATERIALS_INCOMPLETE, actor=actor, at=at, reason="missing: " + "; ".join(listed))
    return row


async def resubmit(
    session: AsyncSession, services: PermitServices, application_id: str, *, actor: str, note: str | None = None
) -> PermitApplicationRow:
    """MATERIALS_INCOMPLETE → SUBMITTED; the materials clock restarts from the resubmission."""
    row = await get_application(session, application_id)
    require_state(row, _S.SUBMITTED, "resubmit")
    _submit(session, services, row, actor=actor, at=services.now(), reason=note or "materials supplemented")
    return row


def site_check_required(row: PermitApplicationRow) -> bool:
    """Whether substantive on-site verification must precede the decision (Art. 34; DOMAIN.md §3.7 item 1).

    The commitment route spares the site check only once the automatic check found the applicant eligible for it
    (深圳信用条例 Art. 59); until then the application is judged as on the ordinary route.
    """
    route = ApplicationRoute(row.route)
    if route is ApplicationRoute.COMMITMENT and not autoapproval.commitment_eligibility_confirmed(row.auto_check):
        route = ApplicationRoute.ORDINARY
    return autoapproval.site_inspection_required(
        PermitKind(row.kind), ApplicationAction(row.action), route, row.touches_premises
    )


def accept(
    session: AsyncSession,
    services: PermitServices,
    row: PermitApplicationRow,
    *,
    actor: str,
    at: dt.datetime,
    reason: str | None = None,
) -> None:
    """Move an already loaded application to ACCEPTED and start the decision clock (deemed: from receipt)."""
    today = services.today(at)
    deemed = row.materials_due_on is not None and row.received_on is not None and today > row.materials_due_on
    row.accepted_on = row.received_on if deemed else today
    row.deemed_accepted = deemed
    if deemed:
        reason = f"deemed accepted from {row.received_on}: no materials request by {row.materials_due_on} (Art. 32)"
    move(session, row, _S.ACCEPTED, actor=actor, at=at, reason=reason or "accepted")
    assert row.accepted_on is not None
    kind = PermitKind(row.kind)
    due = services.periods.decision_due(kind, row.accepted_on)
    row.decision_due_on = due.due_on
    note_rule(row, due.rule.version)
    site_check = services.periods.site_check_due(kind, row.accepted_on)
    if site_check is not None and site_check_required(row):
        row.site_check_due_on = site_check.due_on
        note_rule(row, site_check.rule.version)


async def accept_application(
    session: AsyncSession, services: PermitServices, application_id: str, *, actor: str
) -> PermitApplicationRow:
    """SUBMITTED → ACCEPTED (受理); the decision clock starts (Art. 42)."""
    row = await get_application(session, application_id)
    require_state(row, _S.ACCEPTED, "accept")
    accept(session, services, row, actor=actor, at=services.now())
    return row

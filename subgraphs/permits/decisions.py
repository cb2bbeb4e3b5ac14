"""Permit-application review and decision: site check, extension, decision, certificate, automatic approval.

行政许可法 Art. 34 (site check by two officials; on-the-spot decision), Art. 38 (reasons for a refusal), Art. 42
(decision period and one extension), Art. 44 (certificate); DOMAIN.md §3.7 for 秒批.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from kernel.errors import ClientError, InternalError, InvalidTransitionError
from subgraphs.common.records import between_transactions
from subgraphs.permits import autoapproval
from subgraphs.permits.applications import accept, site_check_required
from subgraphs.permits.bans import require_no_ban, revocation_ban
from subgraphs.permits.deadlines import RenewalTiming
from subgraphs.permits.errors import PermitsCode
from subgraphs.permits.excluded_time import redate_decision
from subgraphs.permits.issuance import put_into_effect, schedule_verification
from subgraphs.permits.models import PermitApplicationRow, PermitRow
from subgraphs.permits.permit_status import get_permit
from subgraphs.permits.registry import RegistryFacts
from subgraphs.permits.services import SYSTEM_ACTOR, PermitServices
from subgraphs.permits.transitions import get_application, move, note_rule, record_transition, require_state
from subgraphs.permits.vocabulary import IN_FORCE, ApplicationAction, ApplicationRoute, PermitKind, PermitStatus
from subgraphs.permits.workflow import AWAITING_DECISION, DECISION_OWED, ApplicationState, allowed_next

_S = ApplicationState
COMMITMENT_RULE = "permits.commitment.bad_credit_excluded"


async def record_site_check(
    session: AsyncSession,
    services: PermitServices,
    application_id: str,
    *,
    inspectors: tuple[str, ...],
    passed: bool,
    findings: str,
    actor: str,
) -> PermitApplicationRow:
    """ACCEPTED → SITE_CHECK with the result; at least two officials verify (行政许可法 Art. 34)."""
    row = await get_application(session, application_id)
    require_state(row, _S.SITE_CHECK, "record a site check")
    officials = tuple(dict.fromkeys(name.strip() for name in inspectors if name.strip()))
    if len(officials) < 2:
        raise ClientError(
            f"a site check needs at least 2 officials (行政许可法 Art. 34), not {len(officials)}",
            code=PermitsCode.INSUFFICIENT_INSPECTORS,
        )
    at = services.now()
    row.site_check = {
        "inspectors": list(officials),
        "passed": passed,
        "findings": findings,
        "on": services.today(at).isoformat(),
    }
    move(
        session,
        row,
        _S.SITE_CHECK,
        actor=actor,
        at=at,
        reason=f"site check {'passed' if passed else 'failed'}: {findings}",
    )
    return row


async def extend_decision_deadline(
    session: AsyncSession, services: PermitServices, application_id: str, *, reason: str, actor: str
) -> PermitApplicationRow:
    """Add the one extension the rules allow, approved by the agency head (Art. 42)."""
    row = await get_application(session, application_id)
    state = ApplicationState(row.state)
    if state not in AWAITING_DECISION:
        raise InvalidTransitionError(
            f"cannot extend the decision deadline: the application is {state.value}; only ACCEPTED or SITE_CHECK",
            details={"currentState": state.value, "allowedNextStates": [s.value for s in allowed_next(state)]},
        )
    if row.decision_extended:
        raise ClientError("the decision deadline was already extended once", code=PermitsCode.DEADLINE_ALREADY_EXTENDED)
    if not reason.strip():
        raise ClientError("an extension needs a reason", code=PermitsCode.REASON_REQUIRED)
    assert row.accepted_on is not None
    row.decision_extended = True
    redate_decision(services, row)
    due = row.decision_due_on
    record_transition(
        session, row, state, state, actor=actor, at=services.now(), reason=f"decision due {due}: {reason}"
    )
    return row


def _decide(
    session: AsyncSession,
    services: PermitServices,
    row: PermitApplicationRow,
    target: ApplicationState,
    *,
    reason: str,
    actor: str,
    at: dt.datetime,
) -> None:
    move(session, row, target, actor=actor, at=at, reason=reason)
    row.decision, row.decided_on, row.decided_by, row.decision_reason = target.value, services.today(at), actor, reason
    if target is _S.APPROVED:
        assert row.decided_on is not None
        due = services.periods.certificate_due(PermitKind(row.kind), row.decided_on)
        row.certificate_due_on = due.due_on
        note_rule(row, due.rule.version)


BANNED_ACTIONS: frozenset[str] = frozenset({ApplicationAction.NEW.value, ApplicationAction.RENEW.value})
"""Applications for a food permit that a 食品安全法 Art. 135 ban bars (a new permit, a renewal)."""


async def decide_application(
    session: AsyncSession,
    services: PermitServices,
    application_id: str,
    *,
    approve: bool,
    reason: str,
    actor: str,
    facts: RegistryFacts | None = None,
) -> PermitApplicationRow:
    """ACCEPTED | SITE_CHECK → APPROVED | REJECTED; a rejection states its reasons (Art. 38). Approving a new permit
    or a renewal needs the registry ``facts`` asked just before (:func:`registry_facts`): the Art. 135 bans are read
    then, on the ordinary route as in 秒批."""
    row = await get_application(session, application_id)
    target = _S.APPROVED if approve else _S.REJECTED
    require_state(row, target, "decide")
    if row.state == _S.ACCEPTED.value and site_check_required(row):
        raise ClientError(
            "this application needs a site check before the decision (Art. 34)", code=PermitsCode.SITE_CHECK_REQUIRED
        )
    if approve and row.site_check is not None and not row.site_check.get("passed"):
        raise ClientError(
            "the site check failed; the application cannot be approved", code=PermitsCode.SITE_CHECK_FAILED
        )
    if not approve and not reason.strip():
        raise ClientError("a rejection must state its reasons (行政许可法 Art. 38)", code=PermitsCode.REASON_REQUIRED)
    if approve and row.action in BANNED_ACTIONS:
        if facts is None or facts.uscc != row.applicant_uscc:
            raise InternalError("approving a new permit or a renewal needs the applicant's registry facts")
        await require_no_ban(session, services, facts, services.today())
    _decide(session, services, row, target, reason=reason.strip() or "approved", actor=actor, at=services.now())
    return row


async def issue_certificate(
    session: AsyncSession, services: PermitServices, application_id: str, *, actor: str
) -> PermitApplicationRow:
    """APPROVED → CERT_ISSUED: the permit is created, renewed, changed or cancelled (Art. 44)."""
    row = await get_application(session, application_id)
    require_state(row, _S.CERT_ISSUED, "issue the certificate")
    await _issue(session, services, row, actor=actor, at=services.now(), wording="certificate {} issued")
    return row


async def _issue(
    session: AsyncSession,
    services: PermitServices,
    row: PermitApplicationRow,
    *,
    actor: str,
    at: dt.datetime,
    wording: str,
    **renewal: Any,
) -> PermitRow:
    """APPROVED → CERT_ISSUED: put the decision into effect; ``wording`` names the certificate for the record
    (``renewal``: how :func:`put_into_effect` marks a renewed permit)."""
    permit = await put_into_effect(session, services, row, actor=actor, at=at, **renewal)
    row.certificate_issued_on = services.today(at)
    move(session, row, _S.CERT_ISSUED, actor=actor, at=at, reason=wording.format(permit.number))
    return permit


async def registry_facts(session: AsyncSession, services: PermitServices, uscc: str) -> RegistryFacts:
    """What the registry says about ``uscc`` now, asked outside any transaction of ``session`` (the question crosses
    the gateway; no lock may be held meanwhile). Call it before the change re-reads its records."""
    await between_transactions(session)
    return await services.registry.facts(uscc, at=services.now())


async def auto_check(
    session: AsyncSession, services: PermitServices, application_id: str, facts: RegistryFacts, *, actor: str
) -> PermitApplicationRow:
    """SUBMITTED → AUTO_CHECKED, then APPROVED → CERT_ISSUED (+ verification task) or on to ordinary review, on the
    registry ``facts`` asked just before (:func:`registry_facts`) about the application's applicant."""
    row = await get_application(session, application_id)
    require_state(row, _S.AUTO_CHECKED, "run the automatic check")
    if facts.uscc != row.applicant_uscc:
        raise InternalError("registry facts of another applicant were passed to the automatic check")
    at = services.now()
    today = services.today(at)
    previous = await session.get(PermitRow, row.permit_id) if row.permit_id else None
    if await revocation_ban(session, services, row.applicant_uscc, today) is not None:
        facts = dataclasses.replace(facts, food_permit_ban=True)  # the live Art. 135 ban, whatever the registry says
    case = autoapproval.AutoApprovalCase(
        kind=PermitKind(row.kind),
        action=ApplicationAction(row.action),
        route=ApplicationRoute(row.route),
        items=tuple(row.items),
        touches_premises=row.touches_premises,
        applicant_uscc=row.applicant_uscc,
        declared_name=row.applicant_name,
        declared_legal_representative=row.legal_representative,
        premises_region=row.premises_region,
        premises_in_shenzhen=services.premises_in_shenzhen(row.premises_address, row.premises_region),
        commitment_signed=row.commitment_signed,
        previous=autoapproval.PreviousPermit(
            previous.number, previous.holder_uscc, PermitStatus(previous.status), previous.valid_to
        )
        if previous
        else None,
        registry=facts,
        checked_on=today,
    )
    outcome = autoapproval.evaluate(case, at=at)
    row.auto_check = outcome.as_record()
    verdict = "all rules passed" if outcome.approved else "failed: " + ", ".join(r.rule for r in outcome.failed)
    move(session, row, _S.AUTO_CHECKED, actor=actor, at=at, reason=f"{outcome.ruleset_version} {verdict}")
    if not outcome.approved:
        reason = "automatic approval not possible; ordinary review"
        closed = services.periods.rules.find(COMMITMENT_RULE, today)
        bars = outcome.commitment_bars
        if row.route == ApplicationRoute.COMMITMENT.value and bars and closed is not None and closed.value == 1:
            row.route = ApplicationRoute.ORDINARY.value
            note_rule(row, closed.version)
            reason = (
                "commitment route (告知承诺) closed: "
                + "; ".join(bar.reason for bar in bars)
                + f" ({closed.basis}); ordinary route, site check as the ordinary route requires"
            )
            change = {"from": ApplicationRoute.COMMITMENT.value, "to": row.route, "reason": reason}
            row.auto_check = {**outcome.as_record(), "routeChange": change}
        accept(session, services, row, actor=SYSTEM_ACTOR, at=at, reason=reason)
        return row
    _decide(
        session,
        services,
        row,
        _S.APPROVED,
        reason=f"automatic approval ({outcome.ruleset_version})",
        actor=SYSTEM_ACTOR,
        at=at,
    )
    permit = await _issue(
        session, services, row, actor=SYSTEM_ACTOR, at=at, wording="electronic certificate {} delivered"
    )
    await schedule_verification(session, services, row, permit, at)
    return row


DEEMED_RENEWAL_RULE = "permits.renewal.deemed_on_silence"
UNDECIDED_RENEWAL: frozenset[ApplicationState] = DECISION_OWED | {_S.SUBMITTED}
"""States of a renewal the bureau still owes a decision on (a SUBMITTED one is accepted on receipt unless materials
were asked for, 行政许可法 Art. 32; one returned for materials awaits the applicant, not the bureau)."""


async def settle_renewal_at_expiry(
    session: AsyncSession, services: PermitServices, application_id: str, *, today: dt.date
) -> PermitRow | None:
    """Put a timely renewal of a permit that lapsed before ``today`` into effect, or return None where none applies.

    行政许可法 Art. 50: the bureau decides on a renewal before the permit expires; with no decision by then the renewal
    is deemed granted, so the permit runs on as DEEMED_RENEWED and the application closes as approved by law. A
    renewal approved in time but not yet certified is certified now (VALID). Locks the application, then the permit,
    as officers' decisions do, so a decision and the expiry job on one renewal give one outcome.
    """
    row = await get_application(session, application_id)
    state = ApplicationState(row.state)
    if row.action != ApplicationAction.RENEW.value or row.permit_id is None:
        return None
    if row.renewal_timing != RenewalTiming.ON_TIME.value or state not in UNDECIDED_RENEWAL | {_S.APPROVED}:
        return None
    permit = await get_permit(session, row.permit_id)
    if permit.valid_to is None or permit.valid_to >= today or PermitStatus(permit.status) not in IN_FORCE:
        return None
    at = services.now()
    if state is _S.APPROVED:
        wording = "certificate {} issued at expiry"
        return await _issue(session, services, row, actor=SYSTEM_ACTOR, at=at, wording=wording)
    rule = services.periods.rules.find(DEEMED_RENEWAL_RULE, permit.valid_to)
    if rule is None or rule.value != 1:
        return None
    reason = f"no decision before expiry on {permit.valid_to}: renewal deemed granted ({rule.basis})"
    row.state = _S.APPROVED.value
    record_transition(session, row, state, _S.APPROVED, actor=SYSTEM_ACTOR, at=at, reason=reason)
    row.decision, row.decided_on, row.decided_by = _S.APPROVED.value, services.today(at), SYSTEM_ACTOR
    row.decision_reason = reason
    note_rule(row, rule.version)
    due = services.periods.certificate_due(PermitKind(row.kind), services.today(at))
    row.certificate_due_on = due.due_on
    note_rule(row, due.rule.version)
    return await _issue(
        session,
        services,
        row,
        actor=SYSTEM_ACTOR,
        at=at,
        wording="deemed renewal: certificate {} continued (行政许可法 Art. 50)",
        renewed_as=PermitStatus.DEEMED_RENEWED,
        renewal_reason=reason,
    )

"""The case loop (DOMAIN.md §5.1): leads, every move of the state machine with its guards, decisions, deadlines.

Every change locks the case first (:func:`lock_for_change`), checks the edge, the caller's role, the documents on
file and the law's guards — all before writing — then moves the case and logs the move (who, as which role,
when, why). A refusal leaves the case as it was.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kernel.errors import ClientError, Code, InvalidTransitionError
from kernel.orgtree import OrgLevel
from kernel.principal import Principal
from subgraphs.common.ids import time_ordered_id
from subgraphs.common.jurisdiction import grant_record
from subgraphs.common.records import lock_for_change
from subgraphs.enforcement import law
from subgraphs.enforcement.errors import EnforcementCode
from subgraphs.enforcement.evidence import count_items
from subgraphs.enforcement.law import Penalty
from subgraphs.enforcement.models import CaseDocumentRow, CaseGrantRow, CaseRow, CaseTransitionRow, DeadlineChangeRow
from subgraphs.enforcement.publicity import open_publicity, require_published
from subgraphs.enforcement.services import EnforcementServices
from subgraphs.enforcement.vocabulary import (
    CaseDeadline,
    CaseStage,
    DecisionOutcome,
    DocumentKind,
    HashAlgorithm,
    PartyKind,
    Procedure,
)
from subgraphs.enforcement.workflow import OPEN_STAGES, CaseRole, Edge, check_documents, check_role, edge_of

_S = CaseStage


@dataclass(frozen=True, slots=True)
class Lead:
    """A lead as registered (线索登记)."""

    party_uscc: str
    party_name: str | None
    party_kind: PartyKind
    district_code: str | None
    station_code: str | None
    source: str
    summary: str
    procedure: Procedure = Procedure.ORDINARY
    violation_on: dt.date | None = None
    harm_to_life_or_health: bool = False
    food_safety: bool = True
    major: bool = False
    hash_algorithm: HashAlgorithm = HashAlgorithm.SHA256
    transfer_id: str | None = None
    inspection_id: str | None = None
    item_code: str | None = None


@dataclass(frozen=True, slots=True)
class NewCase:
    """A case in ACCEPTED and the log of its first move, not yet added to a session."""

    row: CaseRow
    accepted: CaseTransitionRow

    async def add_to(self, session: AsyncSession) -> None:
        session.add(self.row)
        await session.flush()  # the case before its log (no ORM relationship orders them)
        session.add(self.accepted)
        await session.flush()


def new_case(services: EnforcementServices, lead: Lead, *, actor: str, role: str, discovered_on: dt.date) -> NewCase:
    """A case in ACCEPTED (受理), its filing clock started from the day the lead was discovered."""
    now = services.now()
    filing_due = services.periods.filing_due(discovered_on)
    row = CaseRow(
        id=time_ordered_id(now),
        stage=_S.ACCEPTED.value,
        procedure=lead.procedure.value,
        party_uscc=lead.party_uscc,
        party_name=lead.party_name,
        party_kind=lead.party_kind.value,
        district_code=lead.district_code,
        station_code=lead.station_code,
        source=lead.source,
        source_transfer_id=lead.transfer_id,
        source_inspection_id=lead.inspection_id,
        source_item_code=lead.item_code,
        summary=lead.summary,
        violation_on=lead.violation_on,
        discovered_on=discovered_on,
        harm_to_life_or_health=lead.harm_to_life_or_health,
        food_safety=lead.food_safety,
        major=lead.major,
        officers=[],
        hash_algorithm=lead.hash_algorithm.value,
        filing_due_on=filing_due,
        stage_due_on=filing_due,
        stage_entered_on=discovered_on,
        penalties=[],
        created_at=now,
        updated_at=now,
    )
    accepted = CaseTransitionRow(
        case_id=row.id,
        from_stage=None,
        to_stage=_S.ACCEPTED.value,
        actor=actor,
        role=role,
        at=now,
        on=discovered_on,
        reason=f"lead registered ({lead.source})",
    )
    return NewCase(row, accepted)


async def register_lead(
    session: AsyncSession, services: EnforcementServices, lead: Lead, *, actor: str, role: str
) -> CaseRow:
    today = services.today()
    if lead.violation_on is not None and lead.violation_on > today:
        raise ClientError("the violation date lies in the future", code=EnforcementCode.INVALID_PERIOD)
    case = new_case(services, lead, actor=actor, role=role, discovered_on=today)
    await case.add_to(session)
    return case.row


async def get_case(session: AsyncSession, case_id: str) -> CaseRow:
    return await lock_for_change(session, CaseRow, case_id, "case")


async def documents_on_file(session: AsyncSession, case_id: str) -> set[str]:
    return set(await session.scalars(select(CaseDocumentRow.kind).where(CaseDocumentRow.case_id == case_id)))


def _role_of(caller: Principal, edge: Edge, target: CaseStage) -> CaseRole:
    return check_role(edge, caller.roles, target)


def _stage_due(row: CaseRow, stage: CaseStage) -> dt.date | None:
    """The deadline the case runs against in ``stage``."""
    if stage in (_S.ACCEPTED, _S.VERIFYING):
        return row.filing_due_on
    if stage in (_S.FILED, _S.INVESTIGATING, _S.GATHERING_EVIDENCE, _S.PRESERVING, _S.NOTIFIED, _S.HEARING):
        return row.decision_due_on
    if stage is _S.REVIEWING:
        due = [day for day in (row.review_due_on, row.decision_due_on) if day is not None]
        return min(due) if due else None
    if stage is _S.DECIDED:
        return row.service_due_on
    if stage is _S.SERVED:
        return row.payment_due_on
    return None


def _not_expired(due: dt.date | None, today: dt.date, what: str) -> None:
    if due is not None and today > due:
        raise ClientError(
            f"the deadline to {what} was {due.isoformat()} and no approved extension covers today "
            f"({today.isoformat()}); nothing was changed",
            code=EnforcementCode.DEADLINE_EXPIRED,
            details={"dueOn": due.isoformat()},
        )


def _require_review(row: CaseRow, why: str) -> None:
    if row.legal_review_passed is not True:
        raise ClientError(
            f"{why}: a passed legal review (法制审核, 行政处罚法 Art. 58) must precede this step; nothing was changed",
            code=EnforcementCode.LEGAL_REVIEW_REQUIRED,
        )


def _enter(
    session: AsyncSession,
    services: EnforcementServices,
    row: CaseRow,
    target: CaseStage,
    *,
    actor: str,
    role: CaseRole,
    reason: str | None,
) -> None:
    """Move and log; the stage's deadline becomes the one the case runs against."""
    now, today = services.now(), services.today()
    source = row.stage
    row.stage = target.value
    row.stage_entered_on = today
    row.stage_due_on = _stage_due(row, target)
    row.updated_at = now
    session.add(
        CaseTransitionRow(
            case_id=row.id,
            from_stage=source,
            to_stage=target.value,
            actor=actor,
            role=role.value,
            at=now,
            on=today,
            reason=reason,
        )
    )


async def _checked(
    session: AsyncSession, case_id: str, target: CaseStage, caller: Principal, reason: str | None
) -> tuple[CaseRow, Edge, CaseRole]:
    """The locked case and the edge to ``target``, with edge, role, reason and documents checked in that order."""
    row = await get_case(session, case_id)
    edge = edge_of(CaseStage(row.stage), target, Procedure(row.procedure))
    role = _role_of(caller, edge, target)
    if edge.reason_required and not (reason or "").strip():
        raise ClientError(f"moving the case to {target.value} must state why", code=EnforcementCode.REASON_REQUIRED)
    check_documents(edge, await documents_on_file(session, row.id), target)
    return row, edge, role


async def move_case(
    session: AsyncSession,
    services: EnforcementServices,
    case_id: str,
    target: CaseStage,
    *,
    caller: Principal,
    reason: str | None,
) -> CaseRow:
    """A step that carries no data of its own (the others: :func:`file_case`, :func:`notify_party`,
    :func:`decide_case`)."""
    if target in (_S.FILED, _S.NOTIFIED, _S.DECIDED):
        via = {_S.FILED: "fileCase", _S.NOTIFIED: "notifyParty", _S.DECIDED: "decideCase"}[target]
        raise InvalidTransitionError(f"moving a case to {target.value} records data of its own: use {via}")
    row, _edge, role = await _checked(session, case_id, target, caller, reason)
    today = services.today()
    if target is _S.NOT_FILED:
        _not_expired(row.filing_due_on, today, "decide on the lead")
    if target is _S.PRESERVING and await count_items(session, row.id) == 0:
        raise ClientError(
            "fixing the evidence (固证) needs at least one item of evidence on the case",
            code=EnforcementCode.DOCUMENT_MISSING,
            details={"document": "EVIDENCE"},
        )
    if target is _S.REVIEWING:
        row.review_due_on = services.periods.review_due(today)
    if target is _S.HEARING:
        if not row.hearing_rights:
            raise ClientError(
                "the intended penalty carries no hearing rights (行政处罚法 Art. 63); nothing was changed",
                code=EnforcementCode.HEARING_NOT_AVAILABLE,
            )
        _not_expired(row.statement_due_on, today, "ask for a hearing")
    if target is _S.SERVED:
        row.served_on = today
        if row.fine is not None:
            row.payment_due_on = services.periods.payment_due(today)
    if target is _S.EXECUTED:
        row.executed_on = today
    if target is _S.PUBLISHED:
        await require_published(session, row)
    if target is _S.CLOSED:
        row.closed_on = today
    _enter(session, services, row, target, actor=caller.subject, role=role, reason=reason)
    return row


async def file_case(
    session: AsyncSession,
    services: EnforcementServices,
    case_id: str,
    officers: list[str],
    *,
    caller: Principal,
    reason: str | None,
) -> CaseRow:
    """立案 (程序规定 Art. 18–19): within the filing deadline and the limitation period, two or more officers."""
    row, _edge, role = await _checked(session, case_id, _S.FILED, caller, reason)
    assigned = sorted({officer.strip() for officer in officers if officer.strip()})
    if len(assigned) < 2:
        raise ClientError(
            "a case is handled by two or more qualified officers (程序规定 Art. 19); nothing was changed",
            code=EnforcementCode.INSUFFICIENT_OFFICERS,
        )
    today = services.today()
    law.check_limitation(row.violation_on, row.discovered_on, row.harm_to_life_or_health)
    _not_expired(row.filing_due_on, today, "open the case")
    row.officers = assigned
    row.filed_on = today
    row.decision_due_on = services.periods.decision_due(today)
    _enter(session, services, row, _S.FILED, actor=caller.subject, role=role, reason=reason)
    return row


async def notify_party(
    session: AsyncSession,
    services: EnforcementServices,
    case_id: str,
    intended: Penalty,
    *,
    caller: Principal,
) -> CaseRow:
    """告知: the intended penalty, and with it whether the party has hearing rights (thresholds per district)."""
    row, _edge, role = await _checked(session, case_id, _S.NOTIFIED, caller, None)
    if row.major:
        _require_review(row, "a complex or major case")
    today = services.today()
    threshold = law.hearing_threshold(row.district_code)
    row.intended_penalty = {
        "kinds": sorted(intended.kinds),
        "fine": None if intended.fine is None else str(intended.fine),
    }
    row.hearing_rights = law.has_hearing_rights(intended, PartyKind(row.party_kind), threshold)
    row.notified_on = today
    row.statement_due_on = services.periods.statement_due(today)
    why = f"intended penalty {', '.join(sorted(intended.kinds))}" + (f" ¥{intended.fine}" if intended.fine else "")
    _enter(session, services, row, _S.NOTIFIED, actor=caller.subject, role=role, reason=why)
    return row


async def record_legal_review(
    session: AsyncSession,
    services: EnforcementServices,
    case_id: str,
    passed: bool,
    opinion: str,
    *,
    caller: Principal,
) -> CaseRow:
    """法制审核 (Art. 58), while the case is under review, notified or heard; a failed review blocks the decision."""
    row = await get_case(session, case_id)
    if CaseStage(row.stage) not in (_S.REVIEWING, _S.NOTIFIED, _S.HEARING):
        raise InvalidTransitionError(
            f"a legal review is recorded while the case is REVIEWING, NOTIFIED or HEARING, not {row.stage}; "
            "nothing was changed"
        )
    if not opinion.strip():
        raise ClientError("a legal review states its opinion", code=EnforcementCode.REASON_REQUIRED)
    now = services.now()
    row.legal_review_passed, row.legal_reviewed_by, row.updated_at = passed, caller.subject, now
    session.add(
        CaseDocumentRow(
            case_id=row.id,
            kind=DocumentKind.LEGAL_REVIEW_OPINION.value,
            note=opinion,
            filed_by=caller.subject,
            filed_at=now,
        )
    )
    return row


@dataclass(frozen=True, slots=True)
class Decision:
    outcome: DecisionOutcome
    penalty: Penalty | None
    collective: bool = False
    party_waived: bool = False
    reason: str | None = None


async def decide_case(
    session: AsyncSession,
    services: EnforcementServices,
    case_id: str,
    decision: Decision,
    *,
    caller: Principal,
) -> CaseRow:
    """决定: after notice (and hearing), legal review where required, collectively for a major case, within 90
    days (as extended); the summary procedure only within Art. 51's limits."""
    row, _edge, role = await _checked(session, case_id, _S.DECIDED, caller, decision.reason)
    source, today = CaseStage(row.stage), services.today()
    penalty = decision.penalty
    if (decision.outcome is DecisionOutcome.PENALTY) != (penalty is not None):
        raise ClientError("a penalty decision names its penalty, and only it", code=EnforcementCode.INVALID_PENALTY)
    if Procedure(row.procedure) is Procedure.SUMMARY:
        if penalty is not None:
            law.check_summary(penalty, PartyKind(row.party_kind))
    else:
        if row.major or source is _S.HEARING:
            _require_review(row, "a complex or major case, or one that was heard")
        if row.legal_review_passed is False:
            _require_review(row, "the legal review failed")
        if (
            source is _S.NOTIFIED
            and row.statement_due_on
            and today <= row.statement_due_on
            and not decision.party_waived
        ):
            raise ClientError(
                f"the party may state a case or ask for a hearing until {row.statement_due_on.isoformat()} "
                "(行政处罚法 Art. 45, 63–64); nothing was changed",
                code=EnforcementCode.PARTY_PERIOD_OPEN,
                details={"dueOn": row.statement_due_on.isoformat()},
            )
        if row.major and not decision.collective:
            raise ClientError(
                "a complex or major case is decided collectively by the agency's leaders (行政处罚法 Art. 57)",
                code=EnforcementCode.COLLECTIVE_DECISION_REQUIRED,
            )
        if decision.collective and DocumentKind.COLLECTIVE_DISCUSSION_RECORD.value not in await documents_on_file(
            session, row.id
        ):
            raise ClientError(
                "a collective decision needs COLLECTIVE_DISCUSSION_RECORD on the case file; nothing was changed",
                code=EnforcementCode.DOCUMENT_MISSING,
                details={"document": DocumentKind.COLLECTIVE_DISCUSSION_RECORD.value},
            )
        intended = (
            Decimal(row.intended_penalty["fine"]) if row.intended_penalty and row.intended_penalty["fine"] else None
        )
        if penalty is not None and intended is not None and penalty.amount > intended:
            raise ClientError(
                f"the fine may not exceed the ¥{intended} the party was told (行政处罚法 Art. 45)",
                code=EnforcementCode.INVALID_PENALTY,
            )
        _not_expired(row.decision_due_on, today, "decide")
    row.hearing_held = source is _S.HEARING
    row.outcome = decision.outcome.value
    row.penalties = sorted(penalty.kinds) if penalty else []
    row.fine = penalty.fine if penalty else None
    row.collective = decision.collective
    row.decided_on = today
    row.service_due_on = services.periods.service_due(today)
    if penalty is not None and Procedure(row.procedure) is Procedure.ORDINARY and not penalty.warning_only:
        open_publicity(session, services, row)
    _enter(session, services, row, _S.DECIDED, actor=caller.subject, role=role, reason=decision.reason)
    return row


async def file_document(
    session: AsyncSession,
    services: EnforcementServices,
    case_id: str,
    kind: DocumentKind,
    number: str | None,
    note: str | None,
    *,
    actor: str,
) -> CaseRow:
    row = await get_case(session, case_id)
    now = services.now()
    session.add(
        CaseDocumentRow(case_id=row.id, kind=kind.value, number=number, note=note, filed_by=actor, filed_at=now)
    )
    row.updated_at = now
    return row


def _clock(row: CaseRow, deadline: CaseDeadline) -> dt.date:
    due = row.filing_due_on if deadline is CaseDeadline.FILING else row.decision_due_on
    if due is None or (deadline is CaseDeadline.FILING and row.filed_on is not None) or row.decided_on is not None:
        raise ClientError(
            f"the {deadline.value.lower()} clock of this case is not running",
            code=EnforcementCode.EXTENSION_NOT_ALLOWED,
        )
    return due


def _set_clock(row: CaseRow, deadline: CaseDeadline, due: dt.date) -> None:
    if deadline is CaseDeadline.FILING:
        row.filing_due_on = due
    else:
        row.decision_due_on = due
    row.stage_due_on = _stage_due(row, CaseStage(row.stage))


async def extend_deadline(
    session: AsyncSession,
    services: EnforcementServices,
    case_id: str,
    deadline: CaseDeadline,
    reason: str,
    collective: bool,
    *,
    actor: str,
) -> CaseRow:
    """An approved extension: filing +15 working days once; decision +30 days by the head, then further only by
    collective decision (Art. 60). Asked before the deadline passed."""
    row = await get_case(session, case_id)
    if not reason.strip():
        raise ClientError("an extension states its reason", code=EnforcementCode.REASON_REQUIRED)
    due = _clock(row, deadline)
    _not_expired(due, services.today(), f"extend the {deadline.value.lower()} deadline")
    earlier = await session.scalar(
        select(DeadlineChangeRow.id)
        .where(
            DeadlineChangeRow.case_id == row.id,
            DeadlineChangeRow.deadline == deadline.value,
            DeadlineChangeRow.kind == "EXTENSION",
        )
        .limit(1)
    )
    if earlier is not None and deadline is CaseDeadline.FILING:
        raise ClientError("the filing deadline may be extended once", code=EnforcementCode.EXTENSION_NOT_ALLOWED)
    if earlier is not None and not collective:
        raise ClientError(
            "a further extension of the decision deadline is for the leaders' collective decision",
            code=EnforcementCode.COLLECTIVE_DECISION_REQUIRED,
        )
    after = services.periods.extended(deadline, due)
    session.add(
        DeadlineChangeRow(
            case_id=row.id,
            deadline=deadline.value,
            kind="EXTENSION",
            collective=collective,
            due_before=due,
            due_after=after,
            reason=reason,
            actor=actor,
            at=services.now(),
        )
    )
    _set_clock(row, deadline, after)
    row.updated_at = services.now()
    return row


async def exclude_period(
    session: AsyncSession,
    services: EnforcementServices,
    case_id: str,
    deadline: CaseDeadline,
    start: dt.date,
    end: dt.date,
    reason: str,
    *,
    actor: str,
) -> CaseRow:
    """A period the clock does not count (testing, appraisal, hearing, announcement): the deadline moves back."""
    row = await get_case(session, case_id)
    if end < start or end > services.today():
        raise ClientError(
            "an excluded period ends on or after its start and not in the future", code=EnforcementCode.INVALID_PERIOD
        )
    if not reason.strip():
        raise ClientError("an excluded period states its reason", code=EnforcementCode.REASON_REQUIRED)
    due = _clock(row, deadline)
    after = services.periods.excluded(deadline, due, start, end)
    session.add(
        DeadlineChangeRow(
            case_id=row.id,
            deadline=deadline.value,
            kind="EXCLUSION",
            excluded_from=start,
            excluded_to=end,
            due_before=due,
            due_after=after,
            reason=reason,
            actor=actor,
            at=services.now(),
        )
    )
    _set_clock(row, deadline, after)
    row.updated_at = services.now()
    return row


async def transfer_case(
    session: AsyncSession, services: EnforcementServices, case_id: str, to_district: str, reason: str, *,
    caller: Principal,
) -> CaseRow:
    """案件移送: the case (and only it) becomes visible to, and workable by, another district's bureau — an audited
    grant (:func:`grant_record`); the transferring bureau keeps it too. Logged as a move within the stage."""
    row = await get_case(session, case_id)
    unit = services.org_tree.get(to_district)
    if unit is None or unit.level is not OrgLevel.DISTRICT:
        raise ClientError(f"{to_district} is not one of the city's district bureaus", code=Code.UNKNOWN_DISTRICT)
    if not reason.strip():
        raise ClientError("a transfer states why", code=EnforcementCode.REASON_REQUIRED)
    if CaseStage(row.stage) not in OPEN_STAGES:
        raise InvalidTransitionError(f"a {row.stage} case is no longer transferred; nothing was changed")
    if unit.code == row.district_code or await session.scalar(
        select(CaseGrantRow.id).where(
            CaseGrantRow.record_id == row.id, CaseGrantRow.grantee_unit == unit.code, CaseGrantRow.revoked_at.is_(None)
        )
    ):
        raise ClientError(f"{unit.name} already handles case {row.id}; nothing was changed", code=Code.CONFLICT)
    now = services.now()
    grant_record(session, CaseRow, row.id, unit=unit, by=caller, reason=reason, at=now)
    session.add(
        CaseTransitionRow(
            case_id=row.id, from_stage=row.stage, to_stage=row.stage, actor=caller.subject,
            role=CaseRole.AGENCY_HEAD.value, at=now, on=services.today(),
            reason=f"案件移送 → {unit.name} ({unit.code}): {reason}",
        )
    )
    row.updated_at = now
    return row

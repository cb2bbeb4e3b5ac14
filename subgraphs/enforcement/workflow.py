"""The case state machine as data (DOMAIN.md §5.1): every edge, the role that takes it, the documents it needs.

Ordinary procedure: ``ACCEPTED → VERIFYING → FILED | NOT_FILED; FILED → INVESTIGATING → GATHERING_EVIDENCE →
PRESERVING → REVIEWING → NOTIFIED → (HEARING) → DECIDED → SERVED → EXECUTED → PUBLISHED → CLOSED → ARCHIVED``.
A decision of no penalty or of transfer closes after service; a penalty that is not published (warning only)
closes after execution. Summary procedure (简易程序, Art. 51): ``ACCEPTED → DECIDED`` on the spot.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from kernel.errors import ClientError, InvalidTransitionError
from subgraphs.enforcement.errors import EnforcementCode
from subgraphs.enforcement.vocabulary import CaseStage, DocumentKind, Procedure


class CaseRole(enum.StrEnum):
    """Who takes a step: the roles of ``kernel/reference/roles.toml``."""

    CASE_OFFICER = "case_officer"
    LEGAL_REVIEWER = "legal_reviewer"
    AGENCY_HEAD = "agency_head"


@dataclass(frozen=True, slots=True)
class Edge:
    """One step of the machine: who takes it, which documents must be on file, which procedure allows it."""

    role: CaseRole
    documents: tuple[DocumentKind, ...] = ()
    procedures: frozenset[Procedure] = frozenset({Procedure.ORDINARY})
    reason_required: bool = False


_S, _D, _R = CaseStage, DocumentKind, CaseRole
_BOTH = frozenset(Procedure)
EDGES: Mapping[tuple[CaseStage, CaseStage], Edge] = MappingProxyType(
    {
        (_S.ACCEPTED, _S.VERIFYING): Edge(_R.CASE_OFFICER, (_D.LEAD_REGISTRATION,)),
        (_S.VERIFYING, _S.FILED): Edge(_R.AGENCY_HEAD, (_D.VERIFICATION_REPORT, _D.FILING_APPROVAL)),
        (_S.VERIFYING, _S.NOT_FILED): Edge(_R.AGENCY_HEAD, (_D.VERIFICATION_REPORT,), reason_required=True),
        (_S.FILED, _S.INVESTIGATING): Edge(_R.CASE_OFFICER),
        (_S.INVESTIGATING, _S.GATHERING_EVIDENCE): Edge(_R.CASE_OFFICER, (_D.INQUIRY_RECORD,)),
        (_S.GATHERING_EVIDENCE, _S.PRESERVING): Edge(_R.CASE_OFFICER),
        (_S.PRESERVING, _S.REVIEWING): Edge(_R.CASE_OFFICER, (_D.INVESTIGATION_REPORT,)),
        (_S.REVIEWING, _S.NOTIFIED): Edge(_R.CASE_OFFICER, (_D.PRIOR_NOTICE,)),
        (_S.NOTIFIED, _S.HEARING): Edge(_R.CASE_OFFICER),
        (_S.NOTIFIED, _S.DECIDED): Edge(_R.AGENCY_HEAD, (_D.DECISION,)),
        (_S.HEARING, _S.DECIDED): Edge(_R.AGENCY_HEAD, (_D.HEARING_RECORD, _D.DECISION)),
        (_S.ACCEPTED, _S.DECIDED): Edge(_R.CASE_OFFICER, (_D.DECISION,), frozenset({Procedure.SUMMARY})),
        (_S.DECIDED, _S.SERVED): Edge(_R.CASE_OFFICER, (_D.SERVICE_RECEIPT,), _BOTH),
        (_S.SERVED, _S.EXECUTED): Edge(_R.CASE_OFFICER, (_D.PERFORMANCE_PROOF,), _BOTH),
        (_S.SERVED, _S.CLOSED): Edge(_R.AGENCY_HEAD, (_D.CLOSING_APPROVAL,), _BOTH),
        (_S.EXECUTED, _S.PUBLISHED): Edge(_R.CASE_OFFICER),
        (_S.EXECUTED, _S.CLOSED): Edge(_R.AGENCY_HEAD, (_D.CLOSING_APPROVAL,), _BOTH),
        (_S.PUBLISHED, _S.CLOSED): Edge(_R.AGENCY_HEAD, (_D.CLOSING_APPROVAL,)),
        (_S.CLOSED, _S.ARCHIVED): Edge(_R.CASE_OFFICER, (_D.AUDIO_VIDEO_RECORD,), _BOTH),
        (_S.NOT_FILED, _S.ARCHIVED): Edge(_R.CASE_OFFICER, (), _BOTH),
    }
)
"""Every edge; anything else is ``ILLEGAL_TRANSITION``."""

FINAL_STAGES = frozenset({_S.ARCHIVED})
OPEN_STAGES = frozenset(stage for stage in CaseStage if stage not in {_S.CLOSED, _S.ARCHIVED, _S.NOT_FILED})


REVIEW_STAGES = frozenset({_S.REVIEWING, _S.NOTIFIED, _S.HEARING})
"""Where a legal review (法制审核, Art. 58) is recorded."""


class StepAction(enum.StrEnum):
    """What the next step is: a move along an edge, or the legal review a move waits for."""

    MOVE = "MOVE"
    LEGAL_REVIEW = "LEGAL_REVIEW"


@dataclass(frozen=True, slots=True)
class Step:
    """One step a case may take next: the action, the stage it leads to, who takes it, the documents it needs."""

    action: StepAction
    target: CaseStage
    role: CaseRole
    documents: tuple[DocumentKind, ...] = ()


def next_steps(stage: CaseStage, procedure: Procedure, *, review_pending: bool) -> tuple[Step, ...]:
    """The steps a case in ``stage`` may take next; ``review_pending``: Art. 58 requires a legal review not yet
    recorded (the legal reviewer's step comes first)."""
    review = (
        (Step(StepAction.LEGAL_REVIEW, stage, _R.LEGAL_REVIEWER),) if review_pending and stage in REVIEW_STAGES else ()
    )
    moves = tuple(
        Step(StepAction.MOVE, target, edge.role, edge.documents)
        for (source, target), edge in EDGES.items()
        if source is stage and procedure in edge.procedures
    )
    return review + moves


def stages_awaiting(roles: frozenset[str]) -> dict[Procedure, frozenset[CaseStage]]:
    """Per procedure, the stages from which a move is for one of ``roles`` (a legal review pending is the legal
    reviewer's step in ``REVIEW_STAGES``, decided per case: ``CaseRow.review_pending``)."""
    return {
        procedure: frozenset(
            source for (source, _), edge in EDGES.items() if procedure in edge.procedures and edge.role.value in roles
        )
        for procedure in Procedure
    }


def allowed_next(stage: CaseStage, procedure: Procedure) -> tuple[CaseStage, ...]:
    """The stages a case in ``stage`` may move to under ``procedure``."""
    return tuple(target for (source, target), edge in EDGES.items() if source is stage and procedure in edge.procedures)


def edge_of(source: CaseStage, target: CaseStage, procedure: Procedure) -> Edge:
    """The edge ``source → target``; ``ILLEGAL_TRANSITION`` naming the allowed next stages otherwise."""
    edge = EDGES.get((source, target))
    if edge is None or procedure not in edge.procedures:
        nexts = ", ".join(allowed_next(source, procedure)) or "none"
        raise InvalidTransitionError(
            f"a {procedure.value.lower()} case cannot move from {source.value} to {target.value} "
            f"(allowed next: {nexts}); nothing was changed",
            details={"from": source.value, "to": target.value},
        )
    return edge


def check_role(edge: Edge, roles: frozenset[str], target: CaseStage) -> CaseRole:
    """The role the caller takes the step as; ``ROLE_MAY_NOT_TRANSITION`` naming the one it needs otherwise."""
    if edge.role.value not in roles:
        raise ClientError(
            f"moving a case to {target.value} is for the {edge.role.value.replace('_', ' ')}; nothing was changed",
            code=EnforcementCode.ROLE_MAY_NOT_TRANSITION,
            details={"requiredRole": edge.role.value, "to": target.value},
        )
    return edge.role


def check_documents(edge: Edge, on_file: set[str], target: CaseStage) -> None:
    """``DOCUMENT_MISSING`` naming the first required document not on the case file."""
    for document in edge.documents:
        if document.value not in on_file:
            raise ClientError(
                f"moving the case to {target.value} needs {document.value} on the case file; nothing was changed",
                code=EnforcementCode.DOCUMENT_MISSING,
                details={"document": document.value, "to": target.value},
            )

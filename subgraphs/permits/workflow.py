"""The permit-application state machine as data (DOMAIN.md §10.2; 行政许可法 Art. 32–44).

Ordinary path: ``DRAFT → SUBMITTED → (MATERIALS_INCOMPLETE ⇄ SUBMITTED) → ACCEPTED → [SITE_CHECK] →
APPROVED | REJECTED → CERT_ISSUED``. Automatic path (秒批): ``SUBMITTED → AUTO_CHECKED → APPROVED →
CERT_ISSUED``; an application that fails a rule leaves ``AUTO_CHECKED`` for ordinary review (``ACCEPTED``).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType

from kernel.errors import InvalidTransitionError


class ApplicationState(enum.StrEnum):
    """Where a permit application stands."""

    DRAFT = "DRAFT"
    SUBMITTED = "SUBMITTED"
    MATERIALS_INCOMPLETE = "MATERIALS_INCOMPLETE"
    """Returned for correction (补正): missing materials listed, the applicant resubmits."""
    ACCEPTED = "ACCEPTED"
    SITE_CHECK = "SITE_CHECK"
    """On-site verification (现场核查) done by two or more officials (Art. 34)."""
    AUTO_CHECKED = "AUTO_CHECKED"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"
    CERT_ISSUED = "CERT_ISSUED"


_S = ApplicationState
TRANSITIONS: Mapping[ApplicationState, tuple[ApplicationState, ...]] = MappingProxyType(
    {
        _S.DRAFT: (_S.SUBMITTED,),
        _S.SUBMITTED: (_S.MATERIALS_INCOMPLETE, _S.ACCEPTED, _S.AUTO_CHECKED),
        _S.MATERIALS_INCOMPLETE: (_S.SUBMITTED,),
        _S.ACCEPTED: (_S.SITE_CHECK, _S.APPROVED, _S.REJECTED),
        _S.SITE_CHECK: (_S.APPROVED, _S.REJECTED),
        _S.AUTO_CHECKED: (_S.APPROVED, _S.ACCEPTED),
        _S.APPROVED: (_S.CERT_ISSUED,),
        _S.REJECTED: (),
        _S.CERT_ISSUED: (),
    }
)
"""Every edge of the machine; anything else is an illegal transition."""

FINAL_STATES: frozenset[ApplicationState] = frozenset(state for state, nexts in TRANSITIONS.items() if not nexts)
"""REJECTED and CERT_ISSUED: nothing follows them."""

AWAITING_DECISION: frozenset[ApplicationState] = frozenset({_S.ACCEPTED, _S.SITE_CHECK})
"""States in which the decision clock runs."""

DECISION_OWED: frozenset[ApplicationState] = AWAITING_DECISION | {_S.AUTO_CHECKED}
"""States in which a decision is still owed, so its deadline can be overdue (``decisionOverdue``)."""


def allowed_next(state: ApplicationState) -> tuple[ApplicationState, ...]:
    """The states an application in ``state`` may move to."""
    return TRANSITIONS[state]


def check_transition(current: ApplicationState, target: ApplicationState, *, action: str) -> None:
    """Raise ``ILLEGAL_TRANSITION`` naming the current state and the allowed next states unless the edge exists."""
    allowed = TRANSITIONS[current]
    if target in allowed:
        return
    listed = ", ".join(state.value for state in allowed) or "none (final state)"
    raise InvalidTransitionError(
        f"cannot {action}: the application is {current.value}; from {current.value} it may move to {listed}",
        details={
            "currentState": current.value,
            "requestedState": target.value,
            "allowedNextStates": [state.value for state in allowed],
        },
    )

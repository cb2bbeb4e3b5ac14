"""The detection subgraph's vocabularies: device kinds, the kitchen-alert state machine (DOMAIN.md §7.2), quick-test
outcomes and sample verdicts."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

from kernel.errors import InvalidTransitionError


class DeviceKind(StrEnum):
    EDGE_BOX = "EDGE_BOX"
    """A kitchen-camera edge box: sends detections (or frames) from the cameras behind it."""
    QUICK_TEST_KIT = "QUICK_TEST_KIT"
    """A quick-test kit (快检设备): sends batches of readings."""


class AlertState(StrEnum):
    DETECTED = "DETECTED"
    CANDIDATE = "CANDIDATE"
    IN_REVIEW = "IN_REVIEW"
    CONFIRMED = "CONFIRMED"
    REJECTED = "REJECTED"
    NOTICE_ISSUED = "NOTICE_ISSUED"
    RECTIFICATION_SUBMITTED = "RECTIFICATION_SUBMITTED"
    CLOSED = "CLOSED"
    ESCALATED = "ESCALATED"


_A = AlertState
ALERT_TRANSITIONS: Mapping[AlertState, tuple[AlertState, ...]] = MappingProxyType(
    {
        _A.DETECTED: (_A.CANDIDATE,),
        _A.CANDIDATE: (_A.IN_REVIEW,),
        _A.IN_REVIEW: (_A.CONFIRMED, _A.REJECTED),
        _A.CONFIRMED: (_A.NOTICE_ISSUED,),
        _A.REJECTED: (),
        _A.NOTICE_ISSUED: (_A.RECTIFICATION_SUBMITTED, _A.ESCALATED),
        _A.RECTIFICATION_SUBMITTED: (_A.CLOSED, _A.ESCALATED),
        _A.CLOSED: (),
        _A.ESCALATED: (),
    }
)
"""Every edge of the §7.2 loop; ESCALATED follows a missed deadline or a failed verification."""


def check_alert_transition(current: AlertState, target: AlertState, *, action: str) -> None:
    """``ILLEGAL_TRANSITION`` naming the current state and the allowed next ones unless the edge exists."""
    allowed = ALERT_TRANSITIONS[current]
    if target in allowed:
        return
    listed = ", ".join(state.value for state in allowed) or "none (final state)"
    raise InvalidTransitionError(
        f"cannot {action}: the alert is {current.value}; from {current.value} it may move to {listed}",
        details={
            "currentState": current.value,
            "requestedState": target.value,
            "allowedNextStates": [state.value for state in allowed],
        },
    )


class QuickTestOutcome(StrEnum):
    NEGATIVE = "NEGATIVE"
    POSITIVE = "POSITIVE"
    """A lead for a laboratory test (食品安全法 Art. 112), not a verdict."""


class Verdict(StrEnum):
    PASS = "PASS"
    """合格"""
    FAIL = "FAIL"
    """不合格"""


class SampleState(StrEnum):
    SAMPLED = "SAMPLED"
    AT_LAB = "AT_LAB"
    PASSED = "PASSED"
    FAILED = "FAILED"

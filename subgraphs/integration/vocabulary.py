"""The integration subgraph's enums."""

from __future__ import annotations

from enum import StrEnum

import strawberry


@strawberry.enum(description="How a sync ended.")
class RunStatus(StrEnum):
    RUNNING = "RUNNING"
    SUCCEEDED = "SUCCEEDED"
    PARTIAL = "PARTIAL"
    """It stopped before the source was exhausted (an error, a gap, an open circuit); what it applied is kept."""
    FAILED = "FAILED"


@strawberry.enum(description="Where a quarantined record stands.")
class RejectionState(StrEnum):
    OPEN = "OPEN"
    RESUBMITTED = "RESUBMITTED"
    """Corrected by an operator; the adapter applies it on its next round."""
    APPLIED = "APPLIED"
    DISCARDED = "DISCARDED"


@strawberry.enum(description="A circuit breaker's state: OPEN means the adapter stopped calling its source for now.")
class CircuitState(StrEnum):
    CLOSED = "CLOSED"
    OPEN = "OPEN"
    HALF_OPEN = "HALF_OPEN"

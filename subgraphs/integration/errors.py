"""The integration subgraph's error codes (besides :class:`kernel.errors.Code` and :class:`CommonCode`)."""

from __future__ import annotations

from kernel.errors import ErrorCode


class IntegrationCode(ErrorCode):
    """Why the integration subgraph refused a request."""

    NOT_AN_OPERATOR = (
        "NOT_AN_OPERATOR",
        "The integration view is for the bureau's operators: an officer with the admin role, or a client with "
        "integration:read.",
    )
    UNKNOWN_RECORD_FIELD = "UNKNOWN_RECORD_FIELD", "A correction names a field the quarantined record does not have."
    REJECTION_NOT_OPEN = "REJECTION_NOT_OPEN", "The quarantined record was already re-submitted, applied or discarded."

"""Why an adapter refused a record or stopped a run (reason codes in the integration view and reports)."""

from __future__ import annotations

from kernel.errors import ErrorCode


class AdapterCode(ErrorCode):
    MISSING_FIELD = "MISSING_FIELD", "A field the target needs is empty or absent in the legacy record."
    UNKNOWN_CODE = "UNKNOWN_CODE", "A legacy code (a change type, an entity type, a reason) this adapter does not know."
    TOO_LONG = "TOO_LONG", "A text longer than the target field allows."
    INVALID_ENCODING = "INVALID_ENCODING", "Bytes that are not text in the file's encoding (a broken GBK sequence)."
    INVALID_NUMBER = "INVALID_NUMBER", "A number field that is not a whole number."
    MAPPING_FAILED = (
        "MAPPING_FAILED",
        "The adapter failed on this record (a defect, not the record's fault); replay it once fixed.",
    )
    SOURCE_GAP = "SOURCE_GAP", "The source skipped change numbers; the run stops before the gap instead of losing it."
    SOURCE_UNAVAILABLE = "SOURCE_UNAVAILABLE", "The legacy source failed or timed out on every try."
    CIRCUIT_OPEN = "CIRCUIT_OPEN", "The adapter stopped calling a failing endpoint for a while (circuit open)."
    NOT_CONFIGURED = "NOT_CONFIGURED", "The adapter's source is not configured in this deployment."

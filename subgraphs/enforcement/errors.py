"""The enforcement subgraph's error codes (besides :class:`kernel.errors.Code` and :class:`CommonCode`)."""

from __future__ import annotations

from kernel.errors import ErrorCode


class EnforcementCode(ErrorCode):
    """Why the enforcement subgraph refused a request."""

    ROLE_MAY_NOT_TRANSITION = (
        "ROLE_MAY_NOT_TRANSITION",
        "This step of the case is taken by another role (case officer, legal reviewer, agency head).",
    )
    DOCUMENT_MISSING = (
        "DOCUMENT_MISSING",
        "A document the step requires is not on the case file (the message names it).",
    )
    LEGAL_REVIEW_REQUIRED = (
        "LEGAL_REVIEW_REQUIRED",
        "The case needs a passed legal review (法制审核) before this step (行政处罚法 Art. 58).",
    )
    PARTY_PERIOD_OPEN = (
        "PARTY_PERIOD_OPEN",
        "The party's 5 working days to state a case or ask for a hearing have not run out (Art. 44–45, 63–64).",
    )
    HEARING_NOT_AVAILABLE = (
        "HEARING_NOT_AVAILABLE",
        "The intended penalty carries no hearing rights (Art. 63, §5.1 7b).",
    )
    COLLECTIVE_DECISION_REQUIRED = (
        "COLLECTIVE_DECISION_REQUIRED",
        "A complex or major case, or a second extension, needs the leaders' collective decision (Art. 57, 60).",
    )
    SUMMARY_LIMIT_EXCEEDED = (
        "SUMMARY_LIMIT_EXCEEDED",
        "The summary procedure allows only a warning or a fine up to ¥200 / ¥3,000 (Art. 51).",
    )
    LIMITATION_EXPIRED = (
        "LIMITATION_EXPIRED",
        "The violation was discovered after the limitation period (2 or 5 years, Art. 36).",
    )
    DEADLINE_EXPIRED = (
        "DEADLINE_EXPIRED",
        "The statutory deadline for this step passed and no approved extension covers it.",
    )
    EXTENSION_NOT_ALLOWED = "EXTENSION_NOT_ALLOWED", "This deadline cannot be extended (again) this way."
    INVALID_PERIOD = "INVALID_PERIOD", "An excluded period that ends before it starts or lies in the future."
    REASON_REQUIRED = "REASON_REQUIRED", "The step must state its reason."
    INVALID_PENALTY = (
        "INVALID_PENALTY",
        "A penalty that contradicts itself (a fine without an amount, a negative fine).",
    )
    INVALID_EVIDENCE = "INVALID_EVIDENCE", "Evidence without content, or content that is not base64."
    PRESERVATION_NOT_OPEN = "PRESERVATION_NOT_OPEN", "The preservation order was already decided or released."
    PUBLICITY_NOT_ALLOWED = (
        "PUBLICITY_NOT_ALLOWED",
        "The publicity step is not allowed here (already published, withdrawn, or early stop barred, 45号令).",
    )
    INSUFFICIENT_OFFICERS = "INSUFFICIENT_OFFICERS", "A case is assigned to two or more officers (程序规定 Art. 19)."

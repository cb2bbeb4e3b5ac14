"""The permits subgraph's error codes (besides :class:`kernel.errors.Code` and :class:`CommonCode`)."""

from __future__ import annotations

from kernel.errors import ErrorCode


class PermitsCode(ErrorCode):
    """Why the permits subgraph refused a request."""

    INVALID_PERMIT_NUMBER = "INVALID_PERMIT_NUMBER", "A permit number that does not fit its kind's format."
    INVALID_REGION_CODE = "INVALID_REGION_CODE", "Not a 6-digit GB/T 2260 region code."
    INVALID_ITEM_CODE = "INVALID_ITEM_CODE", "An operating item or food category the code list in force does not have."
    NO_CODE_LIST = "NO_CODE_LIST", "No code list of this permit kind is in force on the date asked."
    INVALID_BUSINESS_FORM = (
        "INVALID_BUSINESS_FORM",
        "A business form (主体业态) missing, out of range or contradicting.",
    )
    BUSINESS_FORM_REQUIRED = "BUSINESS_FORM_REQUIRED", "An operating permit needs a business form."
    INVALID_ROUTE = "INVALID_ROUTE", "The commitment route (告知承诺) is not available for this application."
    INVALID_VALIDITY_PERIOD = "INVALID_VALIDITY_PERIOD", "A validity period that the rule in force does not allow."
    INVALID_PERMIT_STATUS = "INVALID_PERMIT_STATUS", "A status that contradicts the permit's dates."
    PERMIT_REQUIRED = "PERMIT_REQUIRED", "A change, renewal or cancellation must name the permit."
    PERMIT_MISMATCH = "PERMIT_MISMATCH", "The permit named is not the applicant's permit of this kind."
    PERMIT_NOT_IN_FORCE = "PERMIT_NOT_IN_FORCE", "Only a permit in force can be changed, cancelled or reissued."
    PERMIT_NOT_RENEWABLE = "PERMIT_NOT_RENEWABLE", "The permit's status does not allow a renewal."
    APPLICANT_BANNED = (
        "APPLICANT_BANNED",
        "A 食品安全法 Art. 135 ban holds: the applicant's permit was revoked within 5 years (¶1), or the person "
        "running it is barred (¶1: 5 years; ¶2: for life).",
    )
    PERMIT_EXPIRED = "PERMIT_EXPIRED", "The permit expired; apply for a new one."
    RENEWAL_WINDOW_NOT_OPEN = "RENEWAL_WINDOW_NOT_OPEN", "Renewal opens later (the message gives the date and basis)."
    MATERIALS_REQUIRED = "MATERIALS_REQUIRED", "A materials request must list every missing material (Art. 32)."
    MATERIALS_REQUEST_OVERDUE = "MATERIALS_REQUEST_OVERDUE", "Too late to ask for materials: deemed accepted (Art. 32)."
    INSUFFICIENT_INSPECTORS = "INSUFFICIENT_INSPECTORS", "A site check needs at least two officials (Art. 34)."
    SITE_CHECK_REQUIRED = "SITE_CHECK_REQUIRED", "This application needs a site check before the decision."
    SITE_CHECK_FAILED = "SITE_CHECK_FAILED", "The site check failed; the application cannot be approved."
    INVALID_EXCLUDED_TIME = (
        "INVALID_EXCLUDED_TIME",
        "Time excluded from the decision period (行政许可法 Art. 45) must lie after acceptance, not overlap another "
        "period, and have been notified to the applicant in writing; the message says which.",
    )
    CHANGE_DATE_REQUIRED = (
        "CHANGE_DATE_REQUIRED",
        "A permit change application must give the day the permitted matter changed: it is due within 10 working "
        "days of it.",
    )
    INVALID_CHANGE_DATE = "INVALID_CHANGE_DATE", "The day of the change lies in the future."
    DEADLINE_ALREADY_EXTENDED = (
        "DEADLINE_ALREADY_EXTENDED",
        "The decision deadline may be extended once only (Art. 42).",
    )
    REASON_REQUIRED = "REASON_REQUIRED", "A rejection, extension or status change must state its reason."
    NUMBER_RANGE_EXHAUSTED = "NUMBER_RANGE_EXHAUSTED", "No permit numbers are left under this number head."
    REGISTRY_UNAVAILABLE = (
        "REGISTRY_UNAVAILABLE",
        "The registry of market entities could not be asked; nothing was decided.",
    )

"""The entities subgraph's error codes (besides :class:`kernel.errors.Code` and :class:`CommonCode`)."""

from __future__ import annotations

from kernel.errors import ErrorCode


class EntitiesCode(ErrorCode):
    """Why the entities subgraph refused a request."""

    DUPLICATE_USCC = "DUPLICATE_USCC", "An entity with this USCC is already registered."
    ENTITY_TYPE_MISMATCH = "ENTITY_TYPE_MISMATCH", "The USCC's authority or category does not fit the entity type."
    INVALID_LEGACY_REG_NO = "INVALID_LEGACY_REG_NO", "A legacy registration number (注册号) does not have 15 digits."
    INVALID_ID_NUMBER = (
        "INVALID_ID_NUMBER",
        "An identity document number not of its document's form (GB 11643 length, birth date or check character; "
        "a permit's or passport's pattern); details.idType names the document.",
    )
    ID_DOCUMENT_NOT_ACCEPTED = (
        "ID_DOCUMENT_NOT_ACCEPTED",
        "The entity type does not accept this identity document for its legal representative (e.g. a foreign "
        "passport for an individual business, 促进个体工商户发展条例 Art. 2, 37).",
    )
    REGISTRATION_BARRED = (
        "REGISTRATION_BARRED",
        "A person named on the application is barred from applying for registration for 3 years after a registration "
        "revoked as false (实施细则 Art. 71 ¶3; 条例 Art. 40 ¶3); details name the role and the last barred day.",
    )
    KEY_PERSON_ROLE_NOT_APPLICABLE = (
        "KEY_PERSON_ROLE_NOT_APPLICABLE",
        "A key-person role the entity type does not file (directors, supervisors and senior managers: companies "
        "only, 实施细则 Art. 7).",
    )
    CHANGE_AFTER_FILING = (
        "CHANGE_AFTER_FILING",
        "A registry change filed before the change it records (changedOn after effectiveOn).",
    )
    INVALID_PHONE = "INVALID_PHONE", "Not a mobile (1xxxxxxxxxx) or landline (0755-xxxxxxxx) number."
    INVALID_NAME = "INVALID_NAME", "A name that is empty or longer than allowed."
    INVALID_ADDRESS = "INVALID_ADDRESS", "A domicile or premises address that is empty or longer than allowed."
    INVALID_LEGAL_REPRESENTATIVE = (
        "INVALID_LEGAL_REPRESENTATIVE",
        "A legal representative's name that is empty or too long.",
    )
    INVALID_BUSINESS_SCOPE = "INVALID_BUSINESS_SCOPE", "A business scope that is empty or longer than allowed."
    INVALID_FILTER = "INVALID_FILTER", "A list filter outside its allowed form (e.g. a name search of 1–50 characters)."
    STATION_NOT_IN_DISTRICT = "STATION_NOT_IN_DISTRICT", "The station named belongs to another district bureau."
    PREMISES_NOT_IN_DISTRICT = (
        "PREMISES_NOT_IN_DISTRICT",
        "The premises address lies outside the area of the district bureau named (深汕: its four towns).",
    )
    ENTITY_NOT_ACTIVE = "ENTITY_NOT_ACTIVE", "Only existing or suspended entities can be listed."
    DATE_BEFORE_ESTABLISHMENT = "DATE_BEFORE_ESTABLISHMENT", "A listing dated before the entity was established."
    NOT_A_DECIDING_AUTHORITY = (
        "NOT_A_DECIDING_AUTHORITY",
        "An abnormal-list decision named a station; only a district bureau or the city bureau decides.",
    )
    ALREADY_DEREGISTERED = "ALREADY_DEREGISTERED", "The entity is already deregistered (注销) at the registry."
    ANNUAL_REPORT_NOT_YET_DUE = (
        "ANNUAL_REPORT_NOT_YET_DUE",
        "A missing annual report listed before the first report was due (30 June of the year after establishment).",
    )
    GROUND_NOT_APPLICABLE = (
        "GROUND_NOT_APPLICABLE",
        "The abnormal-list ground does not apply to this entity type (ad-hoc publication: enterprises only).",
    )
    ALREADY_LISTED = "ALREADY_LISTED", "The entity is already on the abnormal list for this ground."
    NOT_LISTED = "NOT_LISTED", "The entity is not on the abnormal list for this ground."
    REMOVAL_BEFORE_LISTING = "REMOVAL_BEFORE_LISTING", "A removal dated before the listing."
    LISTING_BEFORE_ITS_GROUND = (
        "LISTING_BEFORE_ITS_GROUND",
        "An abnormal listing dated before the day its ground was established (triggeredOn).",
    )
    CURE_OUTSIDE_LISTING = (
        "CURE_OUTSIDE_LISTING",
        "The cure of an abnormal-list ground is dated before the listing or after the removal.",
    )
    DATE_BEFORE_LISTING = "DATE_BEFORE_LISTING", "An objection dated before the listing it objects to."
    OBJECTION_OUT_OF_TIME = (
        "OBJECTION_OUT_OF_TIME",
        "An objection to an abnormal listing after its window (30 days of the listing, 2014 办法 Art. 16); "
        "details.dueBy is the last day.",
    )
    OBJECTION_ALREADY_FILED = "OBJECTION_ALREADY_FILED", "The party has already objected to this listing."
    NO_OBJECTION = "NO_OBJECTION", "The party has not objected to this listing; there is nothing to decide."
    OBJECTION_ALREADY_DECIDED = "OBJECTION_ALREADY_DECIDED", "The objection to this listing has already been decided."
    DECISION_BEFORE_OBJECTION = "DECISION_BEFORE_OBJECTION", "An objection decided before the day it was filed."
    DECISION_REASON_REQUIRED = "DECISION_REASON_REQUIRED", "An objection decision states its reason."
    REMOVAL_REASON_MISMATCH = "REMOVAL_REASON_MISMATCH", "The removal reason does not cure the listing ground."
    SUSPENSION_NOT_FILED_IN_ADVANCE = (
        "SUSPENSION_NOT_FILED_IN_ADVANCE",
        "A suspension (歇业) is filed before it starts (实施细则 Art. 41); its start lies before the filing.",
    )
    SUSPENSION_TOO_LONG = (
        "SUSPENSION_TOO_LONG",
        "Suspensions (歇业) beyond 3 years in total (登记条例 Art. 30, 实施细则 Art. 42).",
    )

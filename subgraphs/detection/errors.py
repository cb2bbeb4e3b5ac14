"""The detection subgraph's error codes (besides :class:`kernel.errors.Code` and :class:`CommonCode`)."""

from __future__ import annotations

from kernel.errors import ErrorCode


class DetectionCode(ErrorCode):
    """Why the detection subgraph refused a request (or one reading of a batch)."""

    UNKNOWN_DEVICE = "UNKNOWN_DEVICE", "No active device is registered under this id."
    WRONG_DEVICE_KIND = "WRONG_DEVICE_KIND", "The device is of another kind (an edge box sends no quick tests)."
    UNKNOWN_CAMERA = "UNKNOWN_CAMERA", "No camera of this id is registered behind the sending device."
    PREMISES_MISMATCH = (
        "PREMISES_MISMATCH",
        "A device spoke for premises (an entity) other than those it is registered to.",
    )
    UNKNOWN_PREMISES = "UNKNOWN_PREMISES", "No supervising unit claims the premises' address and region."
    SEQUENCE_REUSED = (
        "SEQUENCE_REUSED",
        "A sequence number the device already used, with other content: a resend must repeat the message.",
    )
    UNKNOWN_CATEGORY = "UNKNOWN_CATEGORY", "A detection category outside the 明厨亮灶 taxonomy."
    INVALID_DETECTION = "INVALID_DETECTION", "A confidence outside 0–1 or a box outside the frame."
    INVALID_FRAME_HASH = "INVALID_FRAME_HASH", "A frame hash that is not 64 lower-case hex digits (sha256)."
    UNKNOWN_QUICK_TEST_ITEM = "UNKNOWN_QUICK_TEST_ITEM", "A quick-test item the catalogue does not have."
    INVALID_UNIT = "INVALID_UNIT", "A unit the item or analyte cannot be measured in, or one we cannot convert."
    IMPOSSIBLE_VALUE = "IMPOSSIBLE_VALUE", "A reading that cannot be (negative, not a number, beyond the scale)."
    READING_IN_FUTURE = "READING_IN_FUTURE", "A reading or frame dated after its receipt."
    DEADLINE_IN_PAST = "DEADLINE_IN_PAST", "A rectification deadline that is not after today."
    PHOTOS_REQUIRED = "PHOTOS_REQUIRED", "A rectification must carry at least one photo (ref and sha256)."
    NO_LIMIT_IN_FORCE = "NO_LIMIT_IN_FORCE", "No limit of any standard is in force for this analyte, food and date."
    LATE_DELIVERY = "LATE_DELIVERY", "The sample reached the lab after its 5-working-day window (Art. 20)."
    REPORT_ALREADY_RECORDED = "REPORT_ALREADY_RECORDED", "The sample already has its test report."
    SAMPLE_NOT_AT_LAB = "SAMPLE_NOT_AT_LAB", "A report on a sample the lab has not received."

"""The supervision subgraph's error codes (besides :class:`kernel.errors.Code` and :class:`CommonCode`)."""

from __future__ import annotations

from kernel.errors import ErrorCode


class SupervisionCode(ErrorCode):
    """Why the supervision subgraph refused a request."""

    INSUFFICIENT_INSPECTORS = (
        "INSUFFICIENT_INSPECTORS",
        "A task needs at least two inspectors (49号令 Art. 23), after recusal where a draw assigns them.",
    )
    INSPECTOR_CONFLICT = (
        "INSPECTOR_CONFLICT",
        "An inspector named has a recorded conflict with the entity and must withdraw (回避, Art. 23).",
    )
    UNKNOWN_INSPECTOR = "UNKNOWN_INSPECTOR", "Not an active inspector of the inspector directory (检查人员名录库)."
    NOT_ASSIGNED = "NOT_ASSIGNED", "Only an inspector assigned to the task may start it or record its result."
    SOURCE_NOT_REQUESTABLE = (
        "SOURCE_NOT_REQUESTABLE",
        "Random inspections come from a draw and follow-ups from a record; they cannot be opened by hand.",
    )
    REASON_REQUIRED = "REASON_REQUIRED", "A cancellation or reassignment must state its reason."
    EMPTY_TARGET_POOL = "EMPTY_TARGET_POOL", "The plan's filter selects no inspection target; nothing was drawn."
    INVALID_DRAW_SIZE = "INVALID_DRAW_SIZE", "Give either a ratio in (0, 1] or a count ≥ 1, not both."
    RATIO_ABOVE_CAP = (
        "RATIO_ABOVE_CAP",
        "A plan with general items only may not exceed the capped sampling ratio (key items have no cap).",
    )
    UNKNOWN_ITEM = "UNKNOWN_ITEM", "Not an item of the random-inspection item list (随机抽查事项清单)."
    EMPTY_CHECKLIST = "EMPTY_CHECKLIST", "An inspection record or a plan needs at least one item."
    HANDLING_NOT_ALLOWED = (
        "HANDLING_NOT_ALLOWED",
        "The handling does not fit the finding (49号令 Art. 31–33): e.g. a failed key item must be investigated.",
    )
    DEADLINE_REQUIRED = "DEADLINE_REQUIRED", "A written deadline (书面限期整改) needs a date after the inspection."
    ITEM_NOT_FAILED = "ITEM_NOT_FAILED", "Only an item found 不符合 can be transferred to enforcement."
    NOT_PUBLISHABLE = "NOT_PUBLISHABLE", "Only an inspected random-inspection result can be published."

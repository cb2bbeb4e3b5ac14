"""The supervision subgraph's enums (DOMAIN.md §4): task sources and states, checklist outcomes and handling."""

from __future__ import annotations

from enum import StrEnum


class TaskSource(StrEnum):
    """Why an inspection task exists."""

    RANDOM_INSPECTION = "RANDOM_INSPECTION"
    """双随机 draw of a plan (§4.1)."""
    SPECIAL_CAMPAIGN = "SPECIAL_CAMPAIGN"
    """专项检查."""
    COMPLAINT = "COMPLAINT"
    """投诉举报."""
    KITCHEN_AI_ALERT = "KITCHEN_AI_ALERT"
    """An escalated 明厨亮灶 alert (detection)."""
    FAILED_SAMPLE = "FAILED_SAMPLE"
    """A sample that failed its test (detection)."""
    RISK_WARNING = "RISK_WARNING"
    """风险预警."""
    FOLLOW_UP = "FOLLOW_UP"
    """The follow-up of a written deadline (书面限期整改, 49号令 Art. 32)."""


REQUESTABLE_SOURCES = frozenset(
    {
        TaskSource.SPECIAL_CAMPAIGN,
        TaskSource.COMPLAINT,
        TaskSource.KITCHEN_AI_ALERT,
        TaskSource.FAILED_SAMPLE,
        TaskSource.RISK_WARNING,
    }
)
"""Sources an officer or another domain (``task.requested``) may open a task for; random inspections come from a
draw, follow-ups from an inspection record."""


class TaskStatus(StrEnum):
    """The task's state machine (``tasks.TRANSITIONS``)."""

    UNASSIGNED = "UNASSIGNED"
    ASSIGNED = "ASSIGNED"
    IN_PROGRESS = "IN_PROGRESS"
    INSPECTED = "INSPECTED"
    CLOSED = "CLOSED"
    CANCELLED = "CANCELLED"


class ItemKind(StrEnum):
    """A checklist item (监督检查要点): general (一般项目) or key (重点项目), 49号令 Art. 13–14."""

    GENERAL = "GENERAL"
    KEY = "KEY"


class Outcome(StrEnum):
    """The result of one item, and of an inspection (its worst item)."""

    COMPLIANT = "COMPLIANT"
    """符合."""
    BASICALLY_COMPLIANT = "BASICALLY_COMPLIANT"
    """基本符合."""
    NON_COMPLIANT = "NON_COMPLIANT"
    """不符合."""


class Handling(StrEnum):
    """What follows a finding (49号令 Art. 31–33)."""

    NONE = "NONE"
    """通过: nothing to correct."""
    CORRECTED_ON_SPOT = "CORRECTED_ON_SPOT"
    """当场整改: a minor general item, fixed there and then."""
    WRITTEN_DEADLINE = "WRITTEN_DEADLINE"
    """书面限期整改: a minor general item, a deadline, and a follow-up task."""
    INVESTIGATION = "INVESTIGATION"
    """调查处理: a key item, or anything that affects food safety."""


class PlanStatus(StrEnum):
    """A random-inspection plan: drawn once, then its results published."""

    DRAWN = "DRAWN"
    PUBLISHED = "PUBLISHED"


class RiskGrade(StrEnum):
    """食品生产经营风险分级 A (lowest) – D (highest), 49号令 Art. 21."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"

"""食品安全法 Art. 135 bans on the person who runs an entity, read live from the restrictions on record today.

¶1: the operator whose permit was revoked and its legal representative, directly responsible managers and other
directly responsible persons may not, for 5 years from the penalty decision, apply for a food permit, do food
production or operation management work, or be a food-safety manager. ¶2: a person sentenced to fixed-term
imprisonment or more for a food-safety crime may never do food production or operation management work nor be a
food-safety manager. ¶3: an operator that employs such a person has its permit revoked. The entity's registration
holds are a snapshot of its registration day; these bans are computed on each read, so one recorded later counts
and one ends when its rule says.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from subgraphs.common.rules import RuleBook, default_rules
from subgraphs.entities.models import PersonRestrictionRow
from subgraphs.entities.vocabulary import KeyPersonRole, RestrictionKind

FOOD_BAN_RULES: dict[RestrictionKind, str] = {
    RestrictionKind.FOOD_PERMIT_REVOKED: "entities.food_permit_revocation_ban",
    RestrictionKind.FOOD_SAFETY_CRIME: "entities.food_safety_crime_ban",
}
"""The Art. 135 restrictions and the rule each one's length comes from (a ``flag`` rule: for life)."""

LEGAL_REPRESENTATIVE = "LEGAL_REPRESENTATIVE"
MANAGERS = frozenset({KeyPersonRole.DIRECTOR, KeyPersonRole.SENIOR_MANAGER})
"""The key persons whose bans count besides the legal representative's: a banned person may not do food production
or operation *management* work (¶1, ¶2), and an operator that employs one loses its permit (¶3); directors and
senior managers (董事、高级管理人员, 公司法 Art. 265) run the business. Supervisors, the registration liaison and the
finance officer do not manage it [S: our reading of ¶1–¶3; 直接负责的主管人员 is decided case by case]."""


@dataclass(frozen=True, slots=True)
class FoodSafetyBan:
    """One Art. 135 ban in force on a person, with its last day (None: for life) and basis."""

    kind: RestrictionKind
    person: str
    """Whose ban: ``LEGAL_REPRESENTATIVE`` or the key person's role."""
    decided_on: dt.date
    last_day: dt.date | None
    basis: str
    rule_version: str


def ban_in_force(
    restriction: PersonRestrictionRow, today: dt.date, rules: RuleBook | None = None, person: str = LEGAL_REPRESENTATIVE
) -> FoodSafetyBan | None:
    """The ban ``restriction`` puts on its person on ``today``; None when it is not an Art. 135 ban or has ended."""
    try:
        kind = RestrictionKind(restriction.kind)
    except ValueError:
        return None
    key = FOOD_BAN_RULES.get(kind)
    if key is None:
        return None
    rule = (rules or default_rules()).get(key, on=restriction.decided_on)
    last_day = None if rule.unit == "flag" else rule.period_end(restriction.decided_on)
    if last_day is not None and today > last_day:
        return None
    return FoodSafetyBan(kind, person, restriction.decided_on, last_day, rule.basis, rule.version)

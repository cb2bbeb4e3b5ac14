"""Risk grades A–D (食品生产经营风险分级, 49号令 Art. 21; DOMAIN.md §4.2) and what follows from them: the
frequency matrix (rule data) gives each entity's next due inspection; the 2-year coverage floor (Art. 22) finds
the entities no inspection reached.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from kernel.errors import ClientError, Code
from subgraphs.common.records import lock_for_change
from subgraphs.supervision.models import InspectionRecordRow, InspectionTargetRow
from subgraphs.supervision.services import SupervisionServices
from subgraphs.supervision.vocabulary import RiskGrade

STATIC_MAX, DYNAMIC_MAX, CREDIT_MAX = 40, 60, 20


@dataclass(frozen=True, slots=True)
class Grading:
    grade: RiskGrade
    score: int
    rule_version: str


def grade_of(services: SupervisionServices, on: dt.date, static: int, dynamic: int, *, serious_listed: bool) -> Grading:
    """The grade of a score (static ≤ 40 + dynamic ≤ 60) by the bands in force on ``on``; a serious-list entity is
    D whatever its score."""
    if not (0 <= static <= STATIC_MAX and 0 <= dynamic <= DYNAMIC_MAX):
        raise ClientError(
            f"scores: static 0–{STATIC_MAX}, dynamic 0–{DYNAMIC_MAX} (given {static}, {dynamic})",
            code=Code.BAD_USER_INPUT,
        )
    score = static + dynamic
    bands = [services.rules.get(f"supervision.risk_band.{grade}_max", on) for grade in "ABC"]
    version = bands[0].version
    if serious_listed:
        return Grading(RiskGrade.D, score, version)
    for grade, band in zip((RiskGrade.A, RiskGrade.B, RiskGrade.C), bands, strict=True):
        if score <= band.value:
            return Grading(grade, score, version)
    return Grading(RiskGrade.D, score, version)


async def grade(
    session: AsyncSession, services: SupervisionServices, uscc: str, static: int, dynamic: int, *, serious_listed: bool
) -> InspectionTargetRow:
    """Grade a directory entry (county-level bureaus and above, Art. 21)."""
    target = await lock_for_change(session, InspectionTargetRow, uscc, "inspection target")
    graded = grade_of(services, services.today(), static, dynamic, serious_listed=serious_listed)
    target.risk_grade, target.risk_rule_version = graded.grade.value, graded.rule_version
    target.updated_at = services.now()
    return target


def next_due(services: SupervisionServices, grade: str | None, last: dt.date | None) -> tuple[dt.date, str]:
    """When the entity's next inspection is due by the frequency matrix (ungraded: as A), and the rule; never
    inspected: due today."""
    today = services.today()
    rule = services.rules.get(f"supervision.frequency.{grade or 'A'}", today)
    return (rule.period_end(last) if last is not None else today), rule.version


def last_inspected() -> Select[str, dt.date]:
    return select(InspectionRecordRow.uscc, func.max(InspectionRecordRow.inspected_on)).group_by(
        InspectionRecordRow.uscc
    )


def coverage_gaps(services: SupervisionServices) -> tuple[Select[InspectionTargetRow], dt.date]:
    """Directory entries with no inspection since the coverage floor's start (Art. 22), and that date."""
    today = services.today()
    rule = services.rules.get("supervision.coverage_floor", today)
    since = dt.date(today.year - rule.value, today.month, min(today.day, 28))
    recent = select(InspectionRecordRow.uscc).where(
        InspectionRecordRow.uscc == InspectionTargetRow.uscc, InspectionRecordRow.inspected_on > since
    )
    return select(InspectionTargetRow).where(~recent.exists()), since

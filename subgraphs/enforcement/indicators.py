"""Command-centre indicators of the case loop, over the caller's jurisdiction: cases by stage, overdue cases, median
days per stage (from the recorded moves: how long completed stages took)."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.enforcement.models import CaseRow, CaseTransitionRow
from subgraphs.enforcement.vocabulary import CaseStage
from subgraphs.enforcement.workflow import OPEN_STAGES


@dataclass(frozen=True, slots=True)
class StageFigures:
    stage: CaseStage
    cases: int
    overdue: int
    median_days: float | None
    """Median days a completed stay in this stage lasted; None where no case has left it yet."""


async def stage_figures(session: AsyncSession, today: dt.date, district_code: str | None = None) -> list[StageFigures]:
    """One row per stage (every stage, zeros included), within the session's jurisdiction (and a district)."""
    where = [] if district_code is None else [CaseRow.district_code == district_code]
    late = and_(CaseRow.stage.in_([stage.value for stage in OPEN_STAGES]), CaseRow.stage_due_on < today)
    counts = await session.execute(
        select(CaseRow.stage, func.count(), func.count().filter(late)).where(*where).group_by(CaseRow.stage)
    )
    by_stage = {stage: (int(total), int(overdue)) for stage, total, overdue in counts}
    left = func.lead(CaseTransitionRow.on).over(partition_by=CaseTransitionRow.case_id, order_by=CaseTransitionRow.id)
    stays = (
        select(CaseTransitionRow.to_stage.label("stage"), CaseTransitionRow.on.label("entered"), left.label("left"))
        .join(CaseRow, CaseRow.id == CaseTransitionRow.case_id)
        .where(*where)
        .subquery()
    )
    durations: defaultdict[str, list[int]] = defaultdict(list)
    for stage, entered, left_on in await session.execute(select(stays).where(stays.c.left.is_not(None))):
        durations[stage].append((_date(left_on) - _date(entered)).days)
    return [
        StageFigures(
            stage=stage,
            cases=by_stage.get(stage.value, (0, 0))[0],
            overdue=by_stage.get(stage.value, (0, 0))[1],
            median_days=statistics.median(durations[stage.value]) if durations[stage.value] else None,
        )
        for stage in CaseStage
    ]


def _date(value: dt.date | str) -> dt.date:
    """A date column read through a subquery (SQLite hands back its text)."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)

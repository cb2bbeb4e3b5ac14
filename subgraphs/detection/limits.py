"""Limits as versioned reference data (DOMAIN.md §6.3): a result is judged by the limit in force on the sampling
date, in the limit's own unit.

Each rule names its standard and edition, analyte, residue definition, food category (in its standard's own
scheme: GB 2760's hierarchical codes such as ``12.04`` 酱油, GB 2762 / GB 2763 Annex A foods), limit, unit and
effective dates (``effective_to`` exclusive). The rows are loaded by the migrations (a later edition is a new
migration that closes the old rows and adds the new), never edited in place.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from kernel.errors import ClientError
from subgraphs.detection.errors import DetectionCode
from subgraphs.detection.models import LimitRuleRow
from subgraphs.detection.units import check_value, convert
from subgraphs.detection.vocabulary import Verdict


@dataclass(frozen=True, slots=True)
class Judgement:
    analyte: str
    value: float
    unit: str
    value_in_limit_unit: float
    limit: float
    limit_unit: str
    limit_rule: str
    standard: str
    edition: str
    judged_on: dt.date
    verdict: Verdict

    def stored(self) -> dict[str, object]:
        return {
            "analyte": self.analyte,
            "value": self.value,
            "unit": self.unit,
            "value_in_limit_unit": self.value_in_limit_unit,
            "limit": self.limit,
            "limit_unit": self.limit_unit,
            "limit_rule": self.limit_rule,
            "standard": self.standard,
            "edition": self.edition,
            "judged_on": self.judged_on.isoformat(),
            "verdict": self.verdict.value,
        }


async def limit_in_force(session: AsyncSession, analyte: str, category_code: str, on: dt.date) -> LimitRuleRow:
    """The rule for ``analyte`` in foods of ``category_code`` in force on ``on``; ``NO_LIMIT_IN_FORCE`` otherwise."""
    rule = await session.scalar(
        select(LimitRuleRow)
        .where(
            LimitRuleRow.analyte == analyte,
            LimitRuleRow.category_code == category_code,
            LimitRuleRow.effective_from <= on,
            or_(LimitRuleRow.effective_to.is_(None), LimitRuleRow.effective_to > on),
        )
        .order_by(LimitRuleRow.effective_from.desc())
        .limit(1)
    )
    if rule is None:
        raise ClientError(
            f"no limit for {analyte} in food category {category_code} is in force on {on.isoformat()}",
            code=DetectionCode.NO_LIMIT_IN_FORCE,
            details={"analyte": analyte, "categoryCode": category_code, "on": on.isoformat()},
        )
    return rule


async def judge(
    session: AsyncSession, analyte: str, value: float, unit: str, category_code: str, on: dt.date
) -> Judgement:
    """合格 when the value, converted to the limit's unit, does not exceed the limit in force on ``on``."""
    check_value(value, analyte)
    rule = await limit_in_force(session, analyte, category_code, on)
    converted = convert(value, unit, rule.unit)
    return Judgement(
        analyte=analyte,
        value=value,
        unit=unit,
        value_in_limit_unit=round(converted, 9),
        limit=rule.limit,
        limit_unit=rule.unit,
        limit_rule=rule.id,
        standard=rule.standard,
        edition=rule.edition,
        judged_on=on,
        verdict=Verdict.PASS if converted <= rule.limit else Verdict.FAIL,
    )

"""Risk grades A–D by the bands in force, the frequency matrix → the next due inspection, the 2-year coverage
floor as a query, and the grading decided at district level or above."""

from __future__ import annotations

import datetime as dt

from subgraphs.supervision.models import InspectionTargetRow
from tests.subgraphs.supervision.conftest import (
    HEAD,
    HUAQIANGBEI,
    Subgraph,
    add_inspectors,
    add_targets,
    inspector,
    uscc,
)
from tests.subgraphs.supervision.operations import OPEN, RECORD, START, complaint
from tests.support.identities import officer

GRADE = """mutation($u: String!, $s: Int!, $d: Int!, $listed: Boolean! = false) {
  gradeRisk(uscc: $u, staticScore: $s, dynamicScore: $d, seriousListed: $listed) {
    target { riskGrade riskRuleVersion } } }"""
DUE = """query($r: [_Any!]!) { _entities(representations: $r) { ... on MarketEntity {
  uscc riskGrade nextInspectionDue { dueOn rule lastInspectedOn overdue } } } }"""
GAPS = "{ coverageGaps(first: 100) { edges { node { uscc riskGrade } } } }"


async def test_grades_follow_the_bands_and_a_serious_listing_is_d(subgraph: Subgraph) -> None:
    await add_targets(subgraph.database, (uscc(1), HUAQIANGBEI, None, False))
    head = subgraph.as_(HEAD)
    cases = [((10, 20, False), "A"), ((20, 25, False), "B"), ((30, 30, False), "C"), ((40, 21, False), "D"),
             ((0, 0, True), "D")]  # fmt: skip
    for (static, dynamic, listed), expected in cases:
        graded = await head.data(GRADE, u=uscc(1), s=static, d=dynamic, listed=listed)
        assert graded["gradeRisk"]["target"]["riskGrade"] == expected, (static, dynamic, listed)
    assert graded["gradeRisk"]["target"]["riskRuleVersion"] == "supervision.risk_band.A_max@2016-09-05"
    error = await head.error(GRADE, u=uscc(1), s=41, d=0)
    assert error.extensions["code"] == "BAD_USER_INPUT"
    station_head = officer("440300/440304/440304009", subject="s", roles=("agency_head",))
    assert (await subgraph.as_(station_head).error(GRADE, u=uscc(1), s=1, d=1)).extensions["code"] == "FORBIDDEN"
    assert (await head.error(GRADE, u=uscc(2), s=1, d=1)).extensions["code"] == "NOT_FOUND"
    async with subgraph.database.transaction() as session:
        row = await session.get(InspectionTargetRow, uscc(1))
        assert row is not None and row.risk_grade == "D"


async def test_the_next_inspection_is_due_by_grade_and_the_coverage_floor_finds_the_uninspected(
    subgraph: Subgraph,
) -> None:
    await add_targets(subgraph.database, (uscc(1), HUAQIANGBEI, "D", False), (uscc(2), HUAQIANGBEI, "A", False))
    await add_inspectors(subgraph.database, "insp-a", "insp-b")
    task = (await subgraph.as_(HEAD).data(OPEN, input=complaint(uscc(1), "insp-a", "insp-b")))["openInspectionTask"]
    me = subgraph.as_(inspector("insp-a"))
    await me.data(START, id=task["task"]["id"])
    await me.data(RECORD, id=task["task"]["id"], findings=[{"itemCode": "FOOD-PREMISES", "outcome": "COMPLIANT",
                                                             "handling": "NONE"}])  # fmt: skip
    references = [{"__typename": "MarketEntity", "uscc": u} for u in (uscc(1), uscc(2), uscc(3))]
    found = (await subgraph.data(DUE, r=references))["_entities"]
    today = subgraph.clock.today
    assert found[0]["nextInspectionDue"] == {
        "dueOn": dt.date(today.year + (today.month + 3 > 12), (today.month + 2) % 12 + 1, today.day).isoformat(),
        "rule": "supervision.frequency.D@2016-09-05",
        "lastInspectedOn": today.isoformat(),
        "overdue": False,
    }
    assert found[1]["nextInspectionDue"]["dueOn"] == today.isoformat()  # never inspected: due now
    assert found[2]["nextInspectionDue"] is None  # not in the directory
    gaps = (await subgraph.data(GAPS))["coverageGaps"]["edges"]
    assert [edge["node"]["uscc"] for edge in gaps] == [uscc(2)]
    subgraph.clock.on(today + dt.timedelta(days=2 * 366))
    gaps = (await subgraph.data(GAPS))["coverageGaps"]["edges"]
    assert [edge["node"]["uscc"] for edge in gaps] == [uscc(1), uscc(2)]

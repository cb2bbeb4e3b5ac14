"""Command-centre indicators: cases by stage, overdue, median days per stage — within the caller's jurisdiction."""

from __future__ import annotations

import datetime as dt

from tests.subgraphs.enforcement.conftest import Subgraph
from tests.subgraphs.enforcement.operations import MOVE, file_documents, registered
from tests.support.identities import NANSHAN, officer

INDICATORS = "query($d: String) { caseIndicators(districtCode: $d) { stage cases overdue medianDays } }"


def by_stage(data: dict[str, object]) -> dict[str, tuple[int, int, float | None]]:
    rows = data["caseIndicators"]
    assert isinstance(rows, list)
    return {row["stage"]: (row["cases"], row["overdue"], row["medianDays"]) for row in rows if row["cases"]}


async def test_counts_overdue_and_median_days(subgraph: Subgraph) -> None:
    subgraph.clock.on(dt.date(2025, 9, 1))
    first, second, third = [await registered(subgraph) for _ in range(3)]
    for case_id in (first, second):
        await file_documents(subgraph, case_id, "LEAD_REGISTRATION")
    subgraph.clock.on(dt.date(2025, 9, 3))
    await subgraph.data(MOVE, id=first, to="VERIFYING")
    subgraph.clock.on(dt.date(2025, 9, 9))
    await subgraph.data(MOVE, id=second, to="VERIFYING")
    subgraph.clock.on(dt.date(2025, 9, 23))  # 15 working days after 1 Sep was 22 Sep: all three are overdue
    figures = by_stage(await subgraph.data(INDICATORS))
    # two stays in ACCEPTED ended, after 2 and 8 days: median 5; none has left VERIFYING yet
    assert figures == {"ACCEPTED": (1, 1, 5.0), "VERIFYING": (2, 2, None)}
    assert third


async def test_another_district_sees_none(subgraph: Subgraph) -> None:
    await registered(subgraph)
    nanshan = subgraph.as_(officer(NANSHAN, roles=("case_officer",)))
    assert by_stage(await nanshan.data(INDICATORS)) == {}
    assert by_stage(await subgraph.data(INDICATORS, d="440305")) == {}
    assert by_stage(await subgraph.data(INDICATORS, d="440304"))["ACCEPTED"][0] == 1

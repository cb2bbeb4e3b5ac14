"""Sampling (DOMAIN.md §6.1, §6.3): each result judged by the limit in force on the sampling date, in the limit's
unit; the working-day windows; a 不合格 result asks supervision for one task; the entity shows its results."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

from tests.subgraphs.detection.conftest import ADDRESS, INSPECTOR, LAB, USCC, Subgraph
from tests.support.identities import HUAQIANGBEI, officer

TASK = 'mutation { createSamplingTask(title: "2025 蔬菜专项抽检", unitCode: "440304") { id } }'
SAMPLE_FIELDS = """id state deliverBy receivedByLabOn reportDueOn
  report { conclusion servedOn retestBy objectionBy items { analyte value unit valueInLimitUnit limit limitUnit
    limitRule edition judgedOn verdict } }"""
SAMPLE = f"""mutation($task: ID!, $food: String!, $code: String!, $on: Date!) {{ recordSample(taskId: $task,
  uscc: "{USCC}", premisesAddress: "{ADDRESS}", premisesRegion: "440304", foodName: $food, categoryCode: $code,
  sampledOn: $on, lab: "深圳市计量质量检测研究院") {{
  sample {{ {SAMPLE_FIELDS} }} }} }}"""
RECEIVE = f"""mutation($id: ID!, $on: Date!) {{ receiveSample(id: $id, receivedOn: $on) {{
  sample {{ {SAMPLE_FIELDS} }} }} }}"""
REPORT = f"""mutation($id: ID!, $on: Date!, $items: [MeasurementInput!]!) {{ recordTestReport(id: $id, reportNo: "R-1",
  concludedOn: $on, items: $items) {{ sample {{ {SAMPLE_FIELDS} }} }} }}"""
SERVE = f"""mutation($id: ID!, $on: Date!) {{ serveTestReport(id: $id, servedOn: $on) {{
  sample {{ {SAMPLE_FIELDS} }} }} }}"""
ENTITY = """query($uscc: String!) { _entities(representations: [{__typename: "MarketEntity", uscc: $uscc}]) {
  ... on MarketEntity { samplingResults { foodName state report { conclusion } } } } }"""


async def sample_tested(
    subgraph: Subgraph, sampled_on: dt.date, items: list[dict[str, Any]], food: str = "韭菜", code: str = "韭菜"
) -> dict[str, Any]:
    subgraph.clock.on(sampled_on + dt.timedelta(days=30))
    inspector, lab = subgraph.as_(INSPECTOR), subgraph.as_(LAB)
    task = (await inspector.data(TASK))["createSamplingTask"]["id"]
    sample = await inspector.data(SAMPLE, task=task, food=food, code=code, on=sampled_on.isoformat())
    sample_id = sample["recordSample"]["sample"]["id"]
    await lab.data(RECEIVE, id=sample_id, on=(sampled_on + dt.timedelta(days=1)).isoformat())
    tested = await lab.data(REPORT, id=sample_id, on=(sampled_on + dt.timedelta(days=10)).isoformat(), items=items)
    result: dict[str, Any] = tested["recordTestReport"]["sample"]
    return result


async def test_the_limit_in_force_on_the_sampling_date_decides_across_an_edition_change(subgraph: Subgraph) -> None:
    """腐霉利 on 韭菜: 0.2 mg/kg under GB 2763-2021, 5 mg/kg from 2023-05-11 under GB 2763.1-2022."""
    items = [{"analyte": "procymidone", "value": 1.2, "unit": "mg/kg"}]
    before = await sample_tested(subgraph, dt.date(2023, 5, 10), items)
    after = await sample_tested(subgraph, dt.date(2023, 5, 11), items)
    (old,), (new,) = before["report"]["items"], after["report"]["items"]
    assert (old["edition"], old["limit"], old["verdict"], before["report"]["conclusion"]) == (
        "GB 2763-2021",
        0.2,
        "FAIL",
        "FAIL",
    )
    assert (new["edition"], new["limit"], new["verdict"], after["report"]["conclusion"]) == (
        "GB 2763.1-2022",
        5.0,
        "PASS",
        "PASS",
    )
    assert (old["judgedOn"], old["limitRule"]) == ("2023-05-10", "GB2763-2021/procymidone/韭菜")
    assert (before["state"], after["state"]) == ("FAILED", "PASSED")
    assert len(await subgraph.events()) == 1  # only the 不合格 sample asks for a task


async def test_units_are_converted_explicitly_to_the_limits_unit(subgraph: Subgraph) -> None:
    """苯甲酸 in 酱油 (GB 2760 category 12.04): limit 1.0 g/kg; 1200 mg/kg is 1.2 g/kg, 不合格."""
    tested = await sample_tested(
        subgraph, dt.date(2025, 3, 3), [{"analyte": "benzoic acid", "value": 1200, "unit": "mg/kg"}], "酱油", "12.04"
    )
    (item,) = tested["report"]["items"]
    assert (item["valueInLimitUnit"], item["limitUnit"], item["edition"], item["verdict"]) == (
        1.2,
        "g/kg",
        "GB 2760-2024",
        "FAIL",
    )


async def test_bad_results_are_refused_and_nothing_is_recorded(subgraph: Subgraph) -> None:
    subgraph.clock.on(dt.date(2025, 4, 1))
    inspector, lab = subgraph.as_(INSPECTOR), subgraph.as_(LAB)
    task = (await inspector.data(TASK))["createSamplingTask"]["id"]
    sample = (await inspector.data(SAMPLE, task=task, food="大米", code="大米", on="2025-03-03"))["recordSample"]
    sample_id = sample["sample"]["id"]
    assert sample["sample"]["deliverBy"] == "2025-03-10"  # 5 working days
    late = await lab.error(RECEIVE, id=sample_id, on="2025-03-11")
    assert late.extensions["code"] == "LATE_DELIVERY"
    early = await lab.error(
        REPORT, id=sample_id, on="2025-03-20", items=[{"analyte": "Pb", "value": 0.1, "unit": "mg/kg"}]
    )
    assert early.extensions["code"] == "SAMPLE_NOT_AT_LAB"
    await lab.data(RECEIVE, id=sample_id, on="2025-03-10")
    cases = {
        "INVALID_UNIT": {"analyte": "Pb", "value": 0.1, "unit": "%"},
        "IMPOSSIBLE_VALUE": {"analyte": "Pb", "value": -0.1, "unit": "mg/kg"},
        "NO_LIMIT_IN_FORCE": {"analyte": "procymidone", "value": 0.1, "unit": "mg/kg"},
    }
    for code, item in cases.items():
        error = await lab.error(
            REPORT, id=sample_id, on="2025-03-20", items=[{"analyte": "Cd", "value": 0.1, "unit": "mg/kg"}, item]
        )
        assert error.extensions["code"] == code
    assert await subgraph.count("test_report") == 0
    assert await subgraph.events() == []


async def test_windows_in_working_days_and_the_entity_shows_its_results(subgraph: Subgraph) -> None:
    tested = await sample_tested(
        subgraph, dt.date(2025, 9, 26), [{"analyte": "Cd", "value": 0.35, "unit": "mg/kg"}], "大米", "大米"
    )
    # received Sat 9-27; 20 working days across National Day: 10-1…10-8 off, Sun 9-28 and Sat 10-11 make-up workdays
    assert (tested["receivedByLabOn"], tested["reportDueOn"]) == ("2025-09-27", "2025-10-30")
    served = (await subgraph.as_(INSPECTOR).data(SERVE, id=tested["id"], on="2025-09-30"))["serveTestReport"]
    # 7 working days from 9-30: 10-9, 10-10, 10-11 (make-up), 10-13 … 10-16
    assert (served["sample"]["report"]["retestBy"], served["sample"]["report"]["objectionBy"]) == (
        "2025-10-16",
        "2025-10-16",
    )
    entity = (await subgraph.as_(INSPECTOR).data(ENTITY, uscc=USCC))["_entities"][0]
    assert entity["samplingResults"] == [{"foodName": "大米", "state": "FAILED", "report": {"conclusion": "FAIL"}}]
    assert [aggregate for _, aggregate in await subgraph.events()] == [f"Sample:{tested['id']}"]


async def test_two_lab_reports_at_once_one_is_recorded_and_a_station_opens_no_district_task(
    subgraph: Subgraph,
) -> None:
    subgraph.clock.on(dt.date(2025, 4, 1))
    inspector, lab = subgraph.as_(INSPECTOR), subgraph.as_(LAB)
    task = (await inspector.data(TASK))["createSamplingTask"]["id"]
    sample = (await inspector.data(SAMPLE, task=task, food="大米", code="大米", on="2025-03-03"))["recordSample"]
    sample_id = sample["sample"]["id"]
    await lab.data(RECEIVE, id=sample_id, on="2025-03-04")
    items = [{"analyte": "Cd", "value": 0.5, "unit": "mg/kg"}]
    bodies = await asyncio.gather(
        lab.execute(REPORT, id=sample_id, on="2025-03-20", items=items),
        lab.execute(REPORT, id=sample_id, on="2025-03-20", items=items),
    )
    outcomes = sorted("ok" if "errors" not in b else b["errors"][0]["extensions"]["code"] for b in bodies)
    assert outcomes == ["REPORT_ALREADY_RECORDED", "ok"]
    assert (await subgraph.count("test_report"), len(await subgraph.events())) == (1, 1)
    station = officer(HUAQIANGBEI, subject="station", roles=("inspector",))
    refused = await subgraph.as_(station).error(TASK)
    assert refused.extensions["code"] == "FORBIDDEN"

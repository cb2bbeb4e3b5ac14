"""The command centre's task figures come from tallies the database keeps on every change of a task; for every
kind of caller they equal counting the tasks the caller reaches, through draws (bulk), transitions, a grant beyond
the unit, a move, a deletion and two officers changing tasks at once."""

from __future__ import annotations

import asyncio
import datetime as dt

from sqlalchemy import delete, update

from kernel.principal import Principal
from subgraphs.common.jurisdiction import Jurisdiction, open_request_session, request_sessions
from subgraphs.supervision.component import component
from subgraphs.supervision.indicators import TaskFigures, counted, task_figures
from subgraphs.supervision.models import InspectionTaskGrantRow, InspectionTaskRow, TaskChangeRow, TaskInspectorRow
from subgraphs.supervision.services import SupervisionServices
from tests.subgraphs.supervision.conftest import (
    FUTIAN,
    HEAD,
    HUAQIANGBEI,
    YUANLING,
    Subgraph,
    add_inspectors,
    add_targets,
    inspector,
    uscc,
)
from tests.subgraphs.supervision.operations import CANCEL, DRAW, OPEN, PUBLISH, RECORD, START, TASKS, complaint
from tests.support.identities import CITY_OFFICER, enterprise_user, officer

CALLERS = (
    CITY_OFFICER,
    HEAD,
    officer(f"440300/{FUTIAN}/{YUANLING}", subject="yuanling.head", roles=("agency_head",)),
    inspector("visitor-1", station=YUANLING),  # granted one task of 华强北
    officer("440300/440305", subject="nanshan.head", roles=("agency_head",)),  # reaches none of them
)


async def figures_of(subgraph: Subgraph, caller: Principal, today: dt.date) -> tuple[TaskFigures, TaskFigures]:
    """(from the tallies, from the tasks) for ``caller``."""
    services = SupervisionServices()
    jurisdiction = Jurisdiction.of(caller, services.org_tree, component.scopes)
    session = open_request_session(request_sessions(subgraph.database.engine), jurisdiction)
    try:
        tallied = await task_figures(session, jurisdiction.reads, today)
        direct = TaskFigures()
        direct.add(await counted(session, today))
        return tallied, direct
    finally:
        await session.close()


async def assert_tallies_count(subgraph: Subgraph, *callers: Principal) -> None:
    for today in (subgraph.clock.at.date(), subgraph.clock.at.date() + dt.timedelta(days=400)):
        for caller in callers:
            tallied, direct = await figures_of(subgraph, caller, today)
            assert tallied == direct, (caller.subject, today)


async def test_the_tallies_count_what_the_caller_reaches(subgraph: Subgraph) -> None:
    await add_targets(
        subgraph.database,
        *((uscc(i), HUAQIANGBEI if i % 2 else YUANLING, "ABCD"[i % 4], i % 5 == 0) for i in range(1, 21)),
    )
    await add_inspectors(subgraph.database, "local-a", "local-b", station=HUAQIANGBEI)
    await add_inspectors(subgraph.database, "visitor-1", "visitor-2", station=YUANLING)
    head = subgraph.as_(HEAD)
    plan = {"name": "计数", "districtCode": FUTIAN, "items": ["FOOD-PROCESSING"], "count": 8}
    drawn = (await head.data(DRAW, input=plan))["drawInspectionPlan"]["plan"]
    await assert_tallies_count(subgraph, *CALLERS)
    tasks = [e["node"] for e in (await head.data(TASKS, where={"planId": drawn["id"]}))["inspectionTasks"]["edges"]]
    finding = {"itemCode": "FOOD-PROCESSING", "outcome": "COMPLIANT", "handling": "NONE"}
    for task in tasks[:3]:
        someone = subgraph.as_(inspector(task["inspectors"][0], station=task["stationCode"]))
        await someone.data(START, id=task["id"])
        await someone.data(RECORD, id=task["id"], findings=[finding])
    await head.data(CANCEL, id=tasks[3]["id"], reason="停业")
    opened = (await head.data(OPEN, input=complaint(uscc(1), "local-a", "local-b")))["openInspectionTask"]["task"]
    await assert_tallies_count(subgraph, *CALLERS)
    await head.data(PUBLISH, id=drawn["id"])
    async with subgraph.database.transaction() as session:  # a task moves to another station, another goes
        await session.execute(update(InspectionTaskRow).where(InspectionTaskRow.id == opened["id"])
                              .values(station_code=YUANLING))  # fmt: skip
        gone = tasks[7]["id"]
        for model, column in ((TaskChangeRow, TaskChangeRow.task_id), (TaskInspectorRow, TaskInspectorRow.task_id),
                              (InspectionTaskGrantRow, InspectionTaskGrantRow.record_id)):  # fmt: skip
            await session.execute(delete(model).where(column == gone))
        await session.execute(delete(InspectionTaskRow).where(InspectionTaskRow.id == gone))
    await assert_tallies_count(subgraph, *CALLERS, enterprise_user(uscc(1)))


async def test_two_officers_changing_tasks_at_once_are_both_counted(subgraph: Subgraph) -> None:
    await add_targets(subgraph.database, *((uscc(i), HUAQIANGBEI, "B", False) for i in range(1, 9)))
    await add_inspectors(subgraph.database, "local-a", "local-b", "local-c", "local-d", station=HUAQIANGBEI)
    head = subgraph.as_(HEAD)
    tasks = [
        (await head.data(OPEN, input=complaint(uscc(i), "local-a", "local-b")))["openInspectionTask"]["task"]
        for i in range(1, 9)
    ]
    officers = [subgraph.as_(inspector(name, station=HUAQIANGBEI)) for name in ("local-a", "local-b")]
    started = await asyncio.gather(
        *(officers[i % 2].execute(START, id=task["id"]) for i, task in enumerate(tasks))
    )  # the same tallies (open, 华强北) from eight transactions at once
    assert all("errors" not in body or body["errors"][0]["extensions"]["code"] == "CONCURRENT_CHANGE"
               for body in started)  # fmt: skip
    await assert_tallies_count(subgraph, HEAD, CITY_OFFICER)

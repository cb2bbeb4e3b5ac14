"""An inspector drawn from another station is granted exactly the task they were paired with: they read, start
and record it; no other task of that station becomes visible, and a reassignment revokes the grant."""

from __future__ import annotations

from sqlalchemy import select

from subgraphs.supervision.models import InspectionTaskGrantRow
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
from tests.subgraphs.supervision.operations import ASSIGN, DRAW, OPEN, READ, RECORD, START, TASKS, complaint


async def test_a_cross_station_inspector_sees_and_works_only_the_granted_task(subgraph: Subgraph) -> None:
    await add_targets(subgraph.database, *((uscc(i), HUAQIANGBEI, "B", False) for i in range(1, 7)))
    await add_inspectors(subgraph.database, "local-a", "local-b", station=HUAQIANGBEI)
    await add_inspectors(subgraph.database, "visitor-1", "visitor-2", station=YUANLING)
    head = subgraph.as_(HEAD)
    plan = {"name": "跨所", "districtCode": FUTIAN, "items": ["FOOD-PROCESSING"], "count": 1,
            "inspectorStationCodes": [YUANLING]}  # fmt: skip
    drawn = (await head.data(DRAW, input=plan))["drawInspectionPlan"]["plan"]
    (edge,) = (await head.data(TASKS, where={"planId": drawn["id"]}))["inspectionTasks"]["edges"]
    task = edge["node"]
    assert task["stationCode"] == HUAQIANGBEI and task["inspectors"] == ["visitor-1", "visitor-2"]
    others = [(await head.data(OPEN, input=complaint(uscc(i), "local-a", "local-b")))["openInspectionTask"]["task"]
              for i in (2, 3)]  # fmt: skip
    visitor = subgraph.as_(inspector("visitor-1", station=YUANLING))
    listed = (await visitor.data(TASKS))["inspectionTasks"]["edges"]
    assert [e["node"]["id"] for e in listed] == [task["id"]]
    assert (await visitor.data(READ, id=others[0]["id"]))["inspectionTask"] is None
    assert (await visitor.error(START, id=others[0]["id"])).extensions["code"] in ("FORBIDDEN", "NOT_FOUND")
    assert (await visitor.data(START, id=task["id"]))["startInspection"]["task"]["status"] == "IN_PROGRESS"
    finding = {"itemCode": "FOOD-PROCESSING", "outcome": "COMPLIANT", "handling": "NONE"}
    recorded = (await visitor.data(RECORD, id=task["id"], findings=[finding]))["recordInspection"]
    assert recorded["task"]["status"] == "INSPECTED"
    assert (await visitor.data(READ, id=task["id"]))["inspectionTask"]["record"]["outcome"] == "COMPLIANT"
    colleague = subgraph.as_(inspector("visitor-3", station=YUANLING))  # same station, not granted
    assert (await colleague.data(TASKS))["inspectionTasks"]["edges"] == []
    # a reassignment to local inspectors revokes the visitors' grants on that task
    reassigned = await head.data(ASSIGN, id=others[1]["id"], inspectors=["visitor-1", "local-b"], reason="换人")
    assert reassigned["assignInspectors"]["task"]["inspectors"] == ["local-b", "visitor-1"]
    assert len((await visitor.data(TASKS))["inspectionTasks"]["edges"]) == 2
    await head.data(ASSIGN, id=others[1]["id"], inspectors=["local-a", "local-b"], reason="回本所")
    assert [e["node"]["id"] for e in (await visitor.data(TASKS))["inspectionTasks"]["edges"]] == [task["id"]]
    async with subgraph.database.transaction() as session:
        grants = (await session.scalars(select(InspectionTaskGrantRow).order_by(InspectionTaskGrantRow.id))).all()
    assert sorted((g.grantee_subject, g.revoked_at is None) for g in grants) == [
        ("visitor-1", False),  # the reassignment's grant, revoked when the task went back to its station
        ("visitor-1", True),
        ("visitor-2", True),
    ]
    assert all(g.granted_by == "futian.head" and g.reason for g in grants)

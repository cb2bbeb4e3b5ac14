"""The task core through the subgraph: opening, assignment with recusal, the state machine with its history,
records with handling per 49号令 Art. 31–33, follow-ups, 一键转办 once; refusals coded and nothing changed."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from kernel.jobs.tables import events
from subgraphs.common.calendar import default_calendar
from subgraphs.supervision.models import InspectionTaskRow, TaskChangeRow
from tests.subgraphs.supervision.conftest import (
    HEAD,
    Subgraph,
    add_conflict,
    add_inspectors,
    inspector,
    uscc,
)
from tests.subgraphs.supervision.operations import (
    ASSIGN,
    CLOSE,
    OPEN,
    READ,
    RECORD,
    START,
    TRANSFER,
    complaint,
)

ENTITY = uscc(1)


async def opened(subgraph: Subgraph, *inspectors: str) -> dict[str, object]:
    data = await subgraph.as_(HEAD).data(OPEN, input=complaint(ENTITY, *inspectors))
    task: dict[str, object] = data["openInspectionTask"]["task"]
    return task


async def test_a_complaint_task_is_due_by_rule_across_the_spring_festival(subgraph: Subgraph) -> None:
    await add_inspectors(subgraph.database, "insp-a", "insp-b")
    subgraph.clock.on(dt.date(2026, 2, 12))  # the Thursday before the 2026 Spring Festival holiday
    task = await opened(subgraph, "insp-a", "insp-b")
    assert task["status"] == "ASSIGNED"
    assert task["dueOn"] == default_calendar().add_working_days(dt.date(2026, 2, 12), 15).isoformat()
    assert task["dueOn"] > "2026-03-05"  # the holiday week does not count
    assert "supervision.task_due.COMPLAINT" in str(task["dueRule"])
    assert task["inspectors"] == ["insp-a", "insp-b"]
    history: list[dict[str, str]] = task["history"]  # type: ignore[assignment]
    assert [(h["fromStatus"], h["toStatus"], h["actor"]) for h in history] == [
        (None, "UNASSIGNED", "futian.head"),
        ("UNASSIGNED", "ASSIGNED", "futian.head"),
    ]


async def test_one_inspector_or_a_conflicted_one_is_refused_and_nothing_is_written(subgraph: Subgraph) -> None:
    await add_inspectors(subgraph.database, "insp-a", "insp-b", "insp-c")
    await add_conflict(subgraph.database, "insp-b", ENTITY)
    head = subgraph.as_(HEAD)
    error = await head.error(OPEN, input=complaint(ENTITY, "insp-a", "insp-a"))
    assert error.extensions["code"] == "INSUFFICIENT_INSPECTORS"
    error = await head.error(OPEN, input=complaint(ENTITY, "insp-a", "insp-b"))
    assert error.extensions["code"] == "INSPECTOR_CONFLICT"
    assert error.extensions["inspectors"] == ["insp-b"]
    error = await head.error(OPEN, input=complaint(ENTITY, "insp-a", "nobody"))
    assert error.extensions["code"] == "UNKNOWN_INSPECTOR"
    error = await head.error(OPEN, input={**complaint(ENTITY), "source": "RANDOM_INSPECTION"})
    assert error.extensions["code"] == "SOURCE_NOT_REQUESTABLE"
    assert await subgraph.count(InspectionTaskRow) == 0
    assert await subgraph.count(TaskChangeRow) == 0
    task = await opened(subgraph)
    assert task["status"] == "UNASSIGNED"
    error = await head.error(ASSIGN, id=task["id"], inspectors=["insp-a", "insp-b"])
    assert error.extensions["code"] == "INSPECTOR_CONFLICT"
    assigned = await head.data(ASSIGN, id=task["id"], inspectors=["insp-a", "insp-c"])
    assert assigned["assignInspectors"]["task"]["inspectors"] == ["insp-a", "insp-c"]


async def test_the_state_machine_refuses_illegal_steps_and_wrong_people(subgraph: Subgraph) -> None:
    await add_inspectors(subgraph.database, "insp-a", "insp-b", "insp-c")
    task = await opened(subgraph, "insp-a", "insp-b")
    error = await subgraph.as_(HEAD).error(CLOSE, id=task["id"])
    assert error.extensions["code"] == "ILLEGAL_TRANSITION"
    assert error.extensions["status"] == "ASSIGNED"
    error = await subgraph.as_(inspector("insp-c")).error(START, id=task["id"])
    assert error.extensions["code"] == "NOT_ASSIGNED"
    error = await subgraph.as_(HEAD).error(START, id=task["id"])  # the head is no inspector
    assert error.extensions["code"] == "FORBIDDEN"
    error = await subgraph.as_(inspector("insp-a")).error(ASSIGN, id=task["id"], inspectors=["insp-a", "insp-c"])
    assert error.extensions["code"] == "FORBIDDEN"
    error = await subgraph.as_(inspector("insp-a", station="440304002")).error(START, id=task["id"])
    assert error.extensions["code"] in ("FORBIDDEN", "NOT_FOUND")  # another station's task
    read = await subgraph.data(READ, id=task["id"])
    assert read["inspectionTask"]["status"] == "ASSIGNED"
    assert len(read["inspectionTask"]["history"]) == 2


async def test_a_record_with_a_written_deadline_opens_a_follow_up_and_a_failed_item_transfers_once(
    subgraph: Subgraph,
) -> None:
    await add_inspectors(subgraph.database, "insp-a", "insp-b")
    task = await opened(subgraph, "insp-a", "insp-b")
    me = subgraph.as_(inspector("insp-a"))
    assert (await me.data(START, id=task["id"]))["startInspection"]["task"]["status"] == "IN_PROGRESS"
    wrong = [{"itemCode": "FOOD-PROCESSING", "outcome": "NON_COMPLIANT", "handling": "CORRECTED_ON_SPOT"}]
    error = await me.error(RECORD, id=task["id"], findings=wrong)
    assert error.extensions["code"] == "HANDLING_NOT_ALLOWED"
    assert error.extensions["allowed"] == ["INVESTIGATION"]
    no_date = [{"itemCode": "FOOD-PREMISES", "outcome": "BASICALLY_COMPLIANT", "handling": "WRITTEN_DEADLINE"}]
    assert (await me.error(RECORD, id=task["id"], findings=no_date)).extensions["code"] == "DEADLINE_REQUIRED"
    assert (await me.data(READ, id=task["id"]))["inspectionTask"]["status"] == "IN_PROGRESS"
    deadline = (subgraph.clock.today + dt.timedelta(days=10)).isoformat()
    findings = [
        {
            "itemCode": "FOOD-PREMISES",
            "outcome": "BASICALLY_COMPLIANT",
            "handling": "WRITTEN_DEADLINE",
            "deadlineOn": deadline,
        },
        {"itemCode": "FOOD-PROCESSING", "outcome": "NON_COMPLIANT", "handling": "INVESTIGATION"},
    ]
    recorded = (await me.data(RECORD, id=task["id"], findings=findings))["recordInspection"]
    assert recorded["record"]["outcome"] == "NON_COMPLIANT"
    assert recorded["task"]["status"] == "INSPECTED"
    assert recorded["task"]["publishBy"] == default_calendar().add_working_days(subgraph.clock.today, 20).isoformat()
    (follow_up,) = recorded["followUps"]
    assert follow_up["source"] == "FOLLOW_UP" and follow_up["dueOn"] > deadline
    assert follow_up["reference"] == f"InspectionRecord:{recorded['record']['id']}"
    error = await me.error(TRANSFER, id=task["id"], item="FOOD-PREMISES")
    assert error.extensions["code"] == "ITEM_NOT_FAILED"
    first = await me.data(TRANSFER, id=task["id"], item="FOOD-PROCESSING")
    again = await me.data(TRANSFER, id=task["id"], item="FOOD-PROCESSING")
    assert first["transferToEnforcement"]["transferred"] is True
    assert again["transferToEnforcement"]["transferred"] is False
    assert (
        again["transferToEnforcement"]["finding"]["transferId"]
        == first["transferToEnforcement"]["finding"]["transferId"]
    )
    async with subgraph.database.transaction() as session:
        sent = await session.scalar(
            select(func.count()).select_from(events).where(events.c.event_type == "supervision.inspection_item_failed")
        )
    assert sent == 1
    closed = await me.data(CLOSE, id=task["id"])
    assert [h["toStatus"] for h in closed["closeInspectionTask"]["task"]["history"]] == [
        "UNASSIGNED",
        "ASSIGNED",
        "IN_PROGRESS",
        "INSPECTED",
        "CLOSED",
    ]

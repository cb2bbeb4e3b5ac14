"""Escalation by timeout through the real job runner: an alert whose rectification deadline passed is escalated by
the scheduled job, asking supervision (through the outbox) for exactly one task, however often the job runs."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import text

from hub.jobs import InProcessJobQueue, JobContext
from subgraphs.detection.component import component
from subgraphs.detection.services import DetectionServices
from tests.subgraphs.detection.conftest import INSPECTOR, USCC, Subgraph, an_alert
from tests.subgraphs.detection.test_alerts import DECIDE, NOTICE, START
from tests.support.clock import Clock

JOB = "detection.escalate_overdue_alerts"
STATE = "query($id: ID!) { kitchenAlert(id: $id) { state escalationReason transitions { toState actor } } }"


async def test_an_overdue_notice_is_escalated_once_by_the_job_runner(subgraph: Subgraph) -> None:
    alert = await an_alert(subgraph)
    inspector = subgraph.as_(INSPECTOR)
    await inspector.data(START, id=alert["id"])
    await inspector.data(DECIDE, id=alert["id"], confirm=True)
    await inspector.data(NOTICE, id=alert["id"], by="2025-09-30")

    clock = Clock()
    context = JobContext.build(
        subgraph.database, (component,), services={"detection": DetectionServices(clock=clock)}, clock=clock
    )
    queue = InProcessJobQueue(context)
    assert JOB in {job.name for job in context.scheduled()}

    clock.on(dt.date(2025, 9, 30), hour=23)  # the last day of the deadline: not yet
    assert await queue.enqueue(JOB, job_id="escalate-0930")
    await queue.drain()
    assert queue.results["escalate-0930"].rows == 0
    assert (await subgraph.data(STATE, id=alert["id"]))["kitchenAlert"]["state"] == "NOTICE_ISSUED"

    clock.on(dt.date(2025, 10, 1), hour=0)
    assert await queue.enqueue(JOB, job_id="escalate-1001")
    assert not await queue.enqueue(JOB, job_id="escalate-1001")  # the same job delivered twice is taken once
    assert await queue.enqueue(JOB, job_id="escalate-1001-retry")  # and a second run changes nothing
    await queue.drain()
    assert sorted(queue.results[j].rows for j in ("escalate-1001", "escalate-1001-retry")) == [0, 1]
    escalated = (await subgraph.data(STATE, id=alert["id"]))["kitchenAlert"]
    assert escalated["state"] == "ESCALATED"
    assert escalated["escalationReason"] == "no rectification by the deadline 2025-09-30"
    assert escalated["transitions"][-1] == {"toState": "ESCALATED", "actor": "SYSTEM"}

    prefix = "" if subgraph.database.is_sqlite else "jobs."
    async with subgraph.database.engine.connect() as connection:
        rows = (await connection.execute(text(f"SELECT event_type, payload FROM {prefix}job_event"))).all()
    ((event_type, payload),) = rows
    body = payload if isinstance(payload, dict) else json.loads(payload)
    assert event_type == "task.requested"
    assert {k: body[k] for k in ("idempotency_key", "source", "uscc", "reference", "district_code")} == {
        "idempotency_key": f"detection:kitchen-alert:{alert['id']}",
        "source": "KITCHEN_AI_ALERT",
        "uscc": USCC,
        "reference": f"KitchenAlert:{alert['id']}",
        "district_code": "440304",
    }

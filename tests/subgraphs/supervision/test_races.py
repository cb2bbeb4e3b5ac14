"""Two officers acting on one task at once: exactly one effect, the others told why (SQLite and PostgreSQL)."""

from __future__ import annotations

from subgraphs.supervision.models import InspectionRecordRow, TaskChangeRow
from tests.subgraphs.supervision.conftest import HEAD, Subgraph, add_inspectors, inspector, uscc
from tests.subgraphs.supervision.operations import CANCEL, OPEN, RECORD, START, complaint
from tests.support.races import exactly_one_won, race

MOVED_ON = ("ILLEGAL_TRANSITION", "CONCURRENT_CHANGE")


async def test_one_start_one_record_one_cancel(subgraph: Subgraph) -> None:
    await add_inspectors(subgraph.database, "insp-a", "insp-b")
    opened = await subgraph.as_(HEAD).data(OPEN, input=complaint(uscc(3), "insp-a", "insp-b"))
    task = opened["openInspectionTask"]["task"]["id"]
    officers = [subgraph.as_(inspector(name)) for name in ("insp-a", "insp-b")]
    exactly_one_won(await race(lambda i: officers[i % 2].execute(START, id=task)), *MOVED_ON)
    finding = {"itemCode": "FOOD-PREMISES", "outcome": "COMPLIANT", "handling": "NONE"}
    exactly_one_won(await race(lambda i: officers[i % 2].execute(RECORD, id=task, findings=[finding])), *MOVED_ON)
    assert await subgraph.count(InspectionRecordRow) == 1
    assert await subgraph.count(TaskChangeRow, TaskChangeRow.to_status == "IN_PROGRESS") == 1
    other = await subgraph.as_(HEAD).data(OPEN, input=complaint(uscc(4), "insp-a", "insp-b"))
    other_id = other["openInspectionTask"]["task"]["id"]
    head = subgraph.as_(HEAD)
    exactly_one_won(await race(lambda _: head.execute(CANCEL, id=other_id, reason="重复举报")), *MOVED_ON)
    assert await subgraph.count(TaskChangeRow, TaskChangeRow.to_status == "CANCELLED") == 1

"""The case's clocks through the one calendar: across the 2025 Spring Festival and its 调休 make-up days, approved
extensions, excluded periods, overdue flags, the late-payment surcharge."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from subgraphs.enforcement.deadlines import CaseClock
from subgraphs.enforcement.law import late_surcharge
from subgraphs.enforcement.vocabulary import CaseDeadline, PreservationKind
from tests.subgraphs.enforcement.conftest import HEAD, OFFICER, Subgraph
from tests.subgraphs.enforcement.operations import (
    EXCLUDE,
    EXTEND,
    FILE,
    GET,
    MOVE,
    file_documents,
    registered,
    stage_of,
    to_filed,
)

CASES = "query($f: CaseFilter) { cases(filter: $f) { edges { node { id overdue } } } }"
SPRING_EVE = dt.date(2025, 1, 24)
"""A Friday; 28 Jan – 4 Feb 2025 are holidays, Sun 26 Jan and Sat 8 Feb are make-up working days."""


def test_working_days_cross_the_spring_festival_and_count_make_up_days() -> None:
    clock = CaseClock()
    # 26 Jan (make-up Sunday), 27 Jan, 5–7 Feb, 8 Feb (make-up Saturday), 10–14, 17–20 Feb
    assert clock.filing_due(SPRING_EVE) == dt.date(2025, 2, 20)
    assert clock.statement_due(SPRING_EVE) == dt.date(2025, 2, 7)
    assert clock.extended(CaseDeadline.FILING, dt.date(2025, 2, 20)) == dt.date(2025, 3, 13)
    # calendar days for the decision: the holidays count
    assert clock.decision_due(SPRING_EVE) == dt.date(2025, 4, 24)
    assert clock.extended(CaseDeadline.DECISION, dt.date(2025, 4, 24)) == dt.date(2025, 5, 24)
    # testing from 5 to 11 Feb: six working days (8 Feb is one) push the filing clock back six working days
    assert clock.excluded(CaseDeadline.FILING, dt.date(2025, 2, 20), dt.date(2025, 2, 5), dt.date(2025, 2, 11)) == (
        dt.date(2025, 2, 28)
    )
    assert clock.excluded(CaseDeadline.DECISION, dt.date(2025, 4, 24), dt.date(2025, 2, 5), dt.date(2025, 2, 11)) == (
        dt.date(2025, 5, 1)
    )
    assert clock.preservation_due(PreservationKind.REGISTERED_PRESERVATION, SPRING_EVE) == dt.date(2025, 2, 10)
    assert clock.preservation_due(PreservationKind.SEAL, SPRING_EVE) == dt.date(2025, 2, 23)
    assert clock.publicity_due(SPRING_EVE) == dt.date(2025, 2, 27)


def test_the_late_payment_surcharge_is_three_percent_a_day_capped_at_the_fine() -> None:
    due = dt.date(2025, 3, 1)
    assert late_surcharge(Decimal(1000), due, due) == Decimal("0.00")
    assert late_surcharge(Decimal(1000), due, dt.date(2025, 3, 11)) == Decimal("300.00")
    assert late_surcharge(Decimal(1000), due, dt.date(2025, 4, 30)) == Decimal("1000.00")


async def test_an_expired_filing_deadline_refuses_and_flags_until_an_excluded_period_covers_it(
    subgraph: Subgraph,
) -> None:
    subgraph.clock.on(SPRING_EVE)
    case_id = await registered(subgraph)
    case = (await subgraph.data(GET, id=case_id))["case"]
    assert (case["filingDueOn"], case["stageDueOn"], case["overdue"]) == ("2025-02-20", "2025-02-20", False)
    await file_documents(subgraph, case_id, "LEAD_REGISTRATION", "VERIFICATION_REPORT", "FILING_APPROVAL")
    await subgraph.data(MOVE, id=case_id, to="VERIFYING")
    subgraph.clock.on(dt.date(2025, 2, 21))
    assert (await subgraph.data(GET, id=case_id))["case"]["overdue"] is True
    overdue = await subgraph.data(CASES, f={"overdue": True})
    assert [edge["node"]["id"] for edge in overdue["cases"]["edges"]] == [case_id]
    error = await subgraph.as_(HEAD).error(FILE, id=case_id, officers=["a", "b"])
    assert (error.code, error.extensions["dueOn"]) == ("DEADLINE_EXPIRED", "2025-02-20")
    assert await stage_of(subgraph, case_id) == "VERIFYING"
    assert (await subgraph.as_(HEAD).error(EXTEND, caseId=case_id, deadline="FILING", reason="x")).code == (
        "DEADLINE_EXPIRED"
    )
    excluded = await subgraph.data(
        EXCLUDE, caseId=case_id, deadline="FILING", start="2025-02-05", end="2025-02-11", reason="送检 (检验检测)"
    )
    assert excluded["excludeCasePeriod"]["case"]["filingDueOn"] == "2025-02-28"
    assert excluded["excludeCasePeriod"]["case"]["overdue"] is False
    filed = await subgraph.as_(HEAD).data(FILE, id=case_id, officers=["a", "b"])
    assert filed["fileCase"]["case"]["stage"] == "FILED"
    assert filed["fileCase"]["case"]["decisionDueOn"] == "2025-05-22"  # 21 Feb + 90 calendar days


async def test_extensions_are_approved_once_and_then_only_collectively(subgraph: Subgraph) -> None:
    subgraph.clock.on(SPRING_EVE)
    case_id = await registered(subgraph)
    subgraph.clock.on(dt.date(2025, 2, 19))
    head = subgraph.as_(HEAD)
    assert (await subgraph.error(EXTEND, caseId=case_id, deadline="FILING", reason="案情复杂")).code == "FORBIDDEN"
    extended = await head.data(EXTEND, caseId=case_id, deadline="FILING", reason="案情复杂")
    assert extended["extendCaseDeadline"]["case"]["filingDueOn"] == "2025-03-13"
    error = await head.error(EXTEND, caseId=case_id, deadline="FILING", reason="again", collective=True)
    assert error.code == "EXTENSION_NOT_ALLOWED"
    assert (await head.error(EXTEND, caseId=case_id, deadline="FILING", reason=" ")).code == "REASON_REQUIRED"

    filed = await to_filed(subgraph)  # filed on 19 Feb: decide by 20 May
    assert (await subgraph.data(GET, id=filed))["case"]["decisionDueOn"] == "2025-05-20"
    once = await head.data(EXTEND, caseId=filed, deadline="DECISION", reason="需补充鉴定")
    assert once["extendCaseDeadline"]["case"]["decisionDueOn"] == "2025-06-19"
    error = await head.error(EXTEND, caseId=filed, deadline="DECISION", reason="仍需鉴定")
    assert error.code == "COLLECTIVE_DECISION_REQUIRED"
    twice = await head.data(EXTEND, caseId=filed, deadline="DECISION", reason="集体讨论决定延期", collective=True)
    assert twice["extendCaseDeadline"]["case"]["decisionDueOn"] == "2025-07-19"
    changes = await subgraph.sql(
        "SELECT kind, due_before, due_after, collective FROM E.case_deadline_change WHERE case_id = :id ORDER BY id",
        id=filed,
    )
    assert [(row[0], str(row[1]), str(row[2]), bool(row[3])) for row in changes] == [
        ("EXTENSION", "2025-05-20", "2025-06-19", False),
        ("EXTENSION", "2025-06-19", "2025-07-19", True),
    ]


async def test_an_excluded_period_in_the_future_or_backwards_is_refused(subgraph: Subgraph) -> None:
    case_id = await to_filed(subgraph)
    for start, end in (("2025-09-20", "2025-09-10"), ("2025-09-20", "2025-12-01")):
        error = await subgraph.as_(OFFICER).error(
            EXCLUDE, caseId=case_id, deadline="DECISION", start=start, end=end, reason="送检"
        )
        assert error.code == "INVALID_PERIOD"
    assert (await subgraph.data(GET, id=case_id))["case"]["decisionDueOn"] == "2025-12-25"

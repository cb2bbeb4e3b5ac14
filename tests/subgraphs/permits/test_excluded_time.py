"""行政许可法 Art. 45: time needed for hearings, testing, expert review… is not counted in the decision period, and the
applicant is told in writing. Each period is recorded on the application and moves its decision deadline by the
working days it covers; bad periods are refused with INVALID_EXCLUDED_TIME and change nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from subgraphs.common.calendar import default_calendar
from subgraphs.permits.deadlines import PermitClock
from subgraphs.permits.vocabulary import PermitKind
from tests.subgraphs.permits.conftest import Subgraph
from tests.subgraphs.permits.operations import ACCEPT, EXCLUDE, EXTEND, GET_APPLICATION, SUBMIT, catering


def lab_testing(**changes: Any) -> dict[str, Any]:
    """Lab testing Wed 3 – Tue 9 Sep 2025 (5 working days), the applicant told on 3 Sep."""
    values = {
        "kind": "TESTING",
        "startsOn": "2025-09-03",
        "endsOn": "2025-09-09",
        "applicantNotifiedOn": "2025-09-03",
        "reason": "水质检测",
    }
    return {**values, **changes}


async def accepted(subgraph: Subgraph) -> str:
    subgraph.clock.on(dt.date(2025, 9, 1))
    app = (await subgraph.data(SUBMIT, input=catering()))["submitPermitApplication"]["application"]
    await subgraph.data(ACCEPT, id=app["id"])
    return str(app["id"])


def test_art_45_excluded_working_days_move_the_decision_deadline() -> None:
    clock = PermitClock.default()
    plain = clock.decision_due(PermitKind.JY, dt.date(2025, 9, 1))
    moved = clock.decision_due(PermitKind.JY, dt.date(2025, 9, 1), excluded=5)
    assert (plain.due_on, moved.due_on) == (dt.date(2025, 9, 15), dt.date(2025, 9, 22))
    assert moved.due_on == default_calendar().add_working_days(plain.due_on, 5)


async def test_art_45_testing_time_is_left_out_of_the_decision_period(subgraph: Subgraph) -> None:
    application = await accepted(subgraph)
    subgraph.clock.on(dt.date(2025, 9, 10))
    app = (await subgraph.data(EXCLUDE, id=application, input=lab_testing()))["recordExcludedTime"]["application"]
    assert app["decisionDueOn"] == "2025-09-22"  # 10 wd from 1 Sep = 15 Sep, + 5 excluded working days
    assert app["excludedTime"] == [
        {
            "kind": "TESTING",
            "startsOn": "2025-09-03",
            "endsOn": "2025-09-09",
            "workingDays": 5,
            "applicantNotifiedOn": "2025-09-03",
            "reason": "水质检测",
            "recordedBy": "city-officer",
            "rule": "permits.licensing.excluded_time@2004-07-01",
        }
    ]
    assert "Art. 45" in app["transitions"][-1]["reason"] and app["state"] == "ACCEPTED"
    assert "permits.licensing.excluded_time@2004-07-01" in app["ruleVersions"]
    subgraph.clock.on(dt.date(2025, 9, 16))  # past the unmoved deadline, inside the moved one
    assert (await subgraph.data(GET_APPLICATION, id=application))["permitApplication"]["decisionOverdue"] is False
    # The one extension (Art. 42) still counts the excluded time: 15 Sep + 5 wd = 22 Sep, + 5 excluded (the Sunday
    # 28 Sep 2025 is a make-up workday) = 28 Sep.
    extended = (await subgraph.data(EXTEND, id=application, reason="专家评审"))["extendDecisionDeadline"]["application"]
    assert extended["decisionDueOn"] == "2025-09-28"


async def test_art_45_bad_periods_are_refused_and_change_nothing(subgraph: Subgraph) -> None:
    application = await accepted(subgraph)
    subgraph.clock.on(dt.date(2025, 9, 10))
    await subgraph.data(EXCLUDE, id=application, input=lab_testing())
    refusals = [
        lab_testing(kind="HEARING", startsOn="2025-09-08", endsOn="2025-09-10"),  # overlaps the testing
        lab_testing(startsOn="2025-08-29", endsOn="2025-08-30"),  # before acceptance
        lab_testing(startsOn="2025-09-10", endsOn="2025-09-09"),  # ends before it starts
        lab_testing(
            startsOn="2025-09-10", endsOn="2025-09-10", applicantNotifiedOn="2025-09-11"
        ),  # notice not yet sent
    ]
    for period in refusals:
        refused = await subgraph.error(EXCLUDE, id=application, input=period)
        assert refused.extensions["code"] == "INVALID_EXCLUDED_TIME", (period, refused)
    app = (await subgraph.data(GET_APPLICATION, id=application))["permitApplication"]
    assert (app["decisionDueOn"], len(app["excludedTime"])) == ("2025-09-22", 1)


async def test_art_45_time_is_excluded_only_while_a_decision_is_awaited(subgraph: Subgraph) -> None:
    subgraph.clock.on(dt.date(2025, 9, 1))
    app = (await subgraph.data(SUBMIT, input=catering(), draft=True))["submitPermitApplication"]["application"]
    refused = await subgraph.error(EXCLUDE, id=app["id"], input=lab_testing())
    assert refused.extensions["code"] == "INVALID_EXCLUDED_TIME" and "DRAFT" in refused.message

"""Scheduled jobs: expiry marks lapsed permits once; deemed acceptance (行政许可法 Art. 32) accepts as of receipt."""

from __future__ import annotations

import datetime as dt

from subgraphs.permits.jobs import deem_accepted, expire_permits
from subgraphs.permits.registry import InMemoryEntityRegistry
from subgraphs.permits.services import PermitServices
from tests.subgraphs.permits.conftest import Subgraph
from tests.subgraphs.permits.operations import GET_APPLICATION, RECORD, SUBMIT, catering, legacy_permit
from tests.support.clock import Clock

STATUS = "query($n: String!) { permitByNumber(number: $n) { status statusReason } }"


def on(day: dt.date) -> PermitServices:
    """The services of a job run on ``day`` (Beijing)."""
    clock = Clock()
    clock.on(day)
    return PermitServices(clock=clock)


async def test_expiry_marks_lapsed_permits_and_running_it_again_changes_nothing(subgraph: Subgraph) -> None:
    subgraph.clock.on(dt.date(2021, 6, 1))
    lapsed = legacy_permit(serial=1, validFrom="2021-03-01", validTo="2025-09-25")
    last_day = legacy_permit(serial=2, validFrom="2021-03-01", validTo="2025-09-26")
    cancelled = legacy_permit(serial=3, validFrom="2021-03-01", validTo="2022-01-01", status="CANCELLED")
    for permit in (lapsed, last_day, cancelled):
        await subgraph.data(RECORD, input=permit)

    assert await expire_permits(subgraph.database, on(dt.date(2025, 9, 26))) == 1
    assert await expire_permits(subgraph.database, on(dt.date(2025, 9, 26))) == 0
    statuses = [
        (await subgraph.data(STATUS, n=permit["number"]))["permitByNumber"] for permit in (lapsed, last_day, cancelled)
    ]
    assert statuses == [
        {"status": "EXPIRED", "statusReason": "validity period ended"},
        {"status": "VALID", "statusReason": None},  # valid through its last day
        {"status": "CANCELLED", "statusReason": None},
    ]
    assert await expire_permits(subgraph.database, on(dt.date(2025, 9, 27))) == 1


async def test_unanswered_submissions_are_deemed_accepted_from_receipt_once(subgraph: Subgraph) -> None:
    subgraph.clock.on(dt.date(2025, 9, 26))
    overdue = (await subgraph.data(SUBMIT, input=catering(1)))["submitPermitApplication"]["application"]
    subgraph.clock.on(dt.date(2025, 10, 10))
    in_time = (await subgraph.data(SUBMIT, input=catering(2)))["submitPermitApplication"]["application"]

    services = PermitServices(
        registry=InMemoryEntityRegistry(), clock=Clock(dt.datetime(2025, 10, 11, 9, tzinfo=dt.UTC))
    )
    assert await deem_accepted(subgraph.database, services) == 1
    assert await deem_accepted(subgraph.database, services) == 0
    accepted = (await subgraph.data(GET_APPLICATION, id=overdue["id"]))["permitApplication"]
    assert (accepted["state"], accepted["acceptedOn"], accepted["deemedAccepted"]) == ("ACCEPTED", "2025-09-26", True)
    assert accepted["transitions"][-1]["actor"] == "SYSTEM"
    waiting = (await subgraph.data(GET_APPLICATION, id=in_time["id"]))["permitApplication"]
    assert waiting["state"] == "SUBMITTED"

"""Change (变更) and cancellation (注销) of a permit through the application workflow."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from tests.subgraphs.permits.conftest import Subgraph, registered
from tests.subgraphs.permits.operations import RECORD, SUBMIT, catering, legacy_permit


async def recorded(subgraph: Subgraph) -> dict[str, Any]:
    subgraph.clock.on(dt.date(2025, 9, 1))
    permit: dict[str, Any] = (await subgraph.data(RECORD, input=legacy_permit()))["recordPermit"]["permit"]
    return permit


async def test_a_change_without_premises_changes_is_approved_automatically_and_updates_the_permit(
    subgraph: Subgraph,
) -> None:
    subgraph.registry.put(registered(1))
    permit = await recorded(subgraph)
    change = catering(
        action="CHANGE", changedOn="2025-08-29", permitId=permit["id"], items=["CATERING_HOT", "CATERING_COLD"]
    )
    app = (await subgraph.data(SUBMIT, input=change, auto=True))["submitPermitApplication"]["application"]
    assert app["state"] == "CERT_ISSUED"
    assert app["permit"]["number"] == permit["number"] and app["permit"]["validTo"] == "2026-02-28"
    assert [item["code"] for item in app["items"]] == ["CATERING_HOT", "CATERING_COLD"]
    assert app["verificationTask"]["taskType"] == "POST_APPROVAL_VERIFY"


async def test_a_change_of_premises_needs_a_site_check(subgraph: Subgraph) -> None:
    subgraph.registry.put(registered(1))
    permit = await recorded(subgraph)
    move = catering(
        action="CHANGE", changedOn="2025-08-29", permitId=permit["id"], touchesPremises=True, premisesRegion="440305"
    )
    app = (await subgraph.data(SUBMIT, input=move, auto=True))["submitPermitApplication"]["application"]
    assert (app["state"], app["siteCheckRequired"]) == ("ACCEPTED", True)
    failed = [r["rule"] for r in app["autoCheck"]["results"] if not r["passed"]]
    assert failed == ["no_site_inspection_required"]


async def test_cancellation_ends_the_permit(subgraph: Subgraph) -> None:
    subgraph.registry.put(registered(1))
    permit = await recorded(subgraph)
    cancel = catering(action="CANCEL", permitId=permit["id"], items=["CATERING_HOT@JY-2015"])
    app = (await subgraph.data(SUBMIT, input=cancel, auto=True))["submitPermitApplication"]["application"]
    assert app["state"] == "CERT_ISSUED"
    assert app["permit"]["status"] == "CANCELLED"


async def test_another_holders_permit_cannot_be_changed(subgraph: Subgraph) -> None:
    permit = await recorded(subgraph)
    error = await subgraph.error(
        SUBMIT, input=catering(2, action="CHANGE", changedOn="2025-08-29", permitId=permit["id"])
    )
    assert error.extensions["code"] == "PERMIT_MISMATCH"
    assert await subgraph.count("permit_application") == 0


async def test_the_database_refuses_two_open_applications_for_one_permit(subgraph: Subgraph) -> None:
    first = await recorded(subgraph)
    second = (await subgraph.data(RECORD, input=legacy_permit(serial=2)))["recordPermit"]["permit"]
    for permit, serial in ((first, 1), (second, 2)):
        change = catering(
            serial, action="CHANGE", changedOn="2025-08-29", permitId=permit["id"], items=["CATERING_HOT"]
        )
        await subgraph.data(SUBMIT, input=change)
    table = "permit_application" if subgraph.database.is_sqlite else "permits.permit_application"
    with pytest.raises(IntegrityError):
        async with subgraph.database.transaction() as session:
            await session.execute(
                text(f"UPDATE {table} SET permit_id = :first WHERE permit_id = :second"),
                {"first": first["id"], "second": second["id"]},
            )


CHANGE_FIELDS = "changedOn changeDueOn changeLate state ruleVersions transitions { reason }"
SUBMIT_CHANGE = (
    "mutation($input: PermitApplicationInput!) { submitPermitApplication(input: $input) { application { "
    + CHANGE_FIELDS
    + " } } }"
)


async def test_changes_are_due_within_10_working_days_of_the_change(subgraph: Subgraph) -> None:
    """食品经营许可管理办法 Art. 27 / 食品经营许可和备案管理办法: apply within 10 working days of the change (a change
    on Fri 15 Aug is due by Fri 29 Aug). A late one is taken (the permit must show the truth), recorded as late."""
    permit = await recorded(subgraph)  # today is Mon 1 Sep 2025
    on_time = catering(action="CHANGE", permitId=permit["id"], changedOn="2025-08-18", items=["CATERING_HOT"])
    app = (await subgraph.data(SUBMIT_CHANGE, input=on_time))["submitPermitApplication"]["application"]
    assert (app["changedOn"], app["changeDueOn"], app["changeLate"]) == ("2025-08-18", "2025-09-01", False)
    assert "permits.operating.change_due@2015-10-01" in app["ruleVersions"]
    other = (await subgraph.data(RECORD, input=legacy_permit(2)))["recordPermit"]["permit"]
    late = catering(2, action="CHANGE", permitId=other["id"], changedOn="2025-08-15", items=["CATERING_HOT"])
    app = (await subgraph.data(SUBMIT_CHANGE, input=late))["submitPermitApplication"]["application"]
    assert (app["changeDueOn"], app["changeLate"], app["state"]) == ("2025-08-29", True, "SUBMITTED")
    assert "late change application" in app["transitions"][-1]["reason"]


async def test_a_change_must_say_when_the_change_happened(subgraph: Subgraph) -> None:
    permit = await recorded(subgraph)
    undated = catering(action="CHANGE", permitId=permit["id"], items=["CATERING_HOT"])
    missing = await subgraph.error(SUBMIT_CHANGE, input=undated)
    assert missing.extensions["code"] == "CHANGE_DATE_REQUIRED" and "10 working days" in missing.message
    future = await subgraph.error(SUBMIT_CHANGE, input={**undated, "changedOn": "2025-09-02"})
    assert future.extensions["code"] == "INVALID_CHANGE_DATE"
    assert await subgraph.count("permit_application") == 0

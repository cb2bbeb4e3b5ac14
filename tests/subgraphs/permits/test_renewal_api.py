"""Renewal (延续) through GraphQL: working-day windows across Spring Festival 2026; the new period continues the old."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.subgraphs.permits.conftest import Subgraph, registered
from tests.subgraphs.permits.operations import (
    ACCEPT,
    DECIDE,
    ISSUE,
    RECORD,
    RENEW,
    SUBMIT,
    SUBMIT_DRAFT,
    catering,
    legacy_permit,
)

RENEWAL = {"applicantName": "深圳市测试餐饮有限公司1", "legalRepresentative": "张三"}


async def recorded(subgraph: Subgraph, **changes: Any) -> dict[str, Any]:
    subgraph.clock.on(dt.date(2025, 9, 1))
    permit: dict[str, Any] = (await subgraph.data(RECORD, input=legacy_permit(**changes)))["recordPermit"]["permit"]
    return permit


async def renew(subgraph: Subgraph, permit_id: str, on: dt.date, **variables: Any) -> dict[str, Any]:
    subgraph.clock.on(on)
    return await subgraph.execute(RENEW, id=permit_id, input=RENEWAL, **variables)


async def test_jy_renewal_opens_90_and_is_due_15_working_days_before_expiry(subgraph: Subgraph) -> None:
    permit = await recorded(subgraph)  # expires Saturday 28 Feb 2026, a make-up workday after Spring Festival
    window = (
        await subgraph.data("query($id: ID!) { permit(id: $id) { renewalWindow { opensOn dueBy } } }", id=permit["id"])
    )["permit"]["renewalWindow"]
    assert window == {"opensOn": "2025-10-17", "dueBy": "2026-02-02"}

    early = await renew(subgraph, permit["id"], dt.date(2025, 10, 16))
    assert early["errors"][0]["extensions"]["code"] == "RENEWAL_WINDOW_NOT_OPEN"
    assert early["errors"][0]["extensions"]["opensOn"] == "2025-10-17"
    assert await subgraph.count("permit_application") == 0

    on_time = (await renew(subgraph, permit["id"], dt.date(2025, 10, 17)))["data"]["renewPermit"]["application"]
    assert (on_time["action"], on_time["state"], on_time["renewalTiming"]) == ("RENEW", "SUBMITTED", "ON_TIME")
    twice = await renew(subgraph, permit["id"], dt.date(2025, 10, 20))
    assert twice["errors"][0]["extensions"] == {"code": "CONFLICT", "applicationId": on_time["id"]}

    for serial, day, timing in (
        (2, dt.date(2026, 2, 2), "ON_TIME"),
        (3, dt.date(2026, 2, 3), "LATE"),
        (4, dt.date(2026, 2, 28), "LATE"),
    ):
        other = await recorded(subgraph, serial=serial)
        application = (await renew(subgraph, other["id"], day))["data"]["renewPermit"]["application"]
        assert application["renewalTiming"] == timing, day
        assert ("must stop operating at expiry" in application["transitions"][-1]["reason"]) is (timing == "LATE")
    lapsed = await recorded(subgraph, serial=5)
    expired = await renew(subgraph, lapsed["id"], dt.date(2026, 3, 1))
    assert expired["errors"][0]["extensions"]["code"] == "PERMIT_EXPIRED"


async def test_a_renewal_kept_as_draft_is_checked_again_when_submitted(subgraph: Subgraph) -> None:
    permit = await recorded(subgraph)
    subgraph.clock.on(dt.date(2026, 1, 5))
    draft = catering(action="RENEW", permitId=permit["id"], items=["CATERING_HOT@JY-2015"])
    application = (await subgraph.data(SUBMIT, input=draft, draft=True))["submitPermitApplication"]["application"]
    assert application["renewalTiming"] == "ON_TIME"
    subgraph.clock.on(dt.date(2026, 3, 2))
    expired = await subgraph.error(SUBMIT_DRAFT, id=application["id"])
    assert expired.extensions["code"] == "PERMIT_EXPIRED"
    subgraph.clock.on(dt.date(2026, 2, 10))
    late = (await subgraph.data(SUBMIT_DRAFT, id=application["id"]))["submitDraft"]["application"]
    assert (late["state"], late["renewalTiming"]) == ("SUBMITTED", "LATE")


async def test_an_approved_renewal_continues_the_old_period_under_the_same_number(subgraph: Subgraph) -> None:
    permit = await recorded(subgraph)
    app = (await renew(subgraph, permit["id"], dt.date(2026, 1, 5)))["data"]["renewPermit"]["application"]
    assert app["siteCheckRequired"] is False
    subgraph.clock.on(dt.date(2026, 1, 6))
    await subgraph.data(ACCEPT, id=app["id"])
    await subgraph.data(DECIDE, id=app["id"], approve=True)
    issued = (await subgraph.data(ISSUE, id=app["id"]))["issueCertificate"]["application"]
    renewed = issued["permit"]
    assert renewed["number"] == permit["number"]
    assert (renewed["validFrom"], renewed["validTo"], renewed["previousValidTo"]) == (
        "2026-03-01",
        "2031-02-28",
        "2026-02-28",
    )
    assert (renewed["renewals"], renewed["status"]) == (1, "VALID")


async def test_a_clean_renewal_is_approved_automatically(subgraph: Subgraph) -> None:
    subgraph.registry.put(registered(1))
    permit = await recorded(subgraph)
    result = await renew(subgraph, permit["id"], dt.date(2025, 12, 1), auto=True)
    app = result["data"]["renewPermit"]["application"]
    assert app["state"] == "CERT_ISSUED" and app["autoCheck"]["approved"]
    assert {r["rule"]: r["reason"] for r in app["autoCheck"]["results"]}["previous_permit_valid"] == (
        f"permit {permit['number']} is valid until 2026-02-28"
    )
    assert app["permit"]["validFrom"] == "2026-03-01"


async def test_sc_renewal_has_no_opening_bound_and_is_due_30_working_days_before_expiry(subgraph: Subgraph) -> None:
    permit = await recorded(subgraph, kind="SC", number="SC10644030400015", items=["106@SC-2015"], businessForm=None)
    window = (
        await subgraph.data("query($id: ID!) { permit(id: $id) { renewalWindow { opensOn dueBy } } }", id=permit["id"])
    )["permit"]["renewalWindow"]
    assert window == {"opensOn": None, "dueBy": "2026-01-12"}
    early = (await renew(subgraph, permit["id"], dt.date(2025, 9, 1)))["data"]["renewPermit"]["application"]
    assert early["renewalTiming"] == "ON_TIME"
    other = await recorded(
        subgraph, serial=2, kind="SC", number="SC10644030400025", items=["106@SC-2015"], businessForm=None
    )
    late = (await renew(subgraph, other["id"], dt.date(2026, 1, 13)))["data"]["renewPermit"]["application"]
    assert late["renewalTiming"] == "LATE"


async def test_a_cancelled_permit_cannot_be_renewed(subgraph: Subgraph) -> None:
    permit = await recorded(subgraph, status="CANCELLED")
    refused = await renew(subgraph, permit["id"], dt.date(2025, 12, 1))
    assert refused["errors"][0]["extensions"]["code"] == "PERMIT_NOT_RENEWABLE"

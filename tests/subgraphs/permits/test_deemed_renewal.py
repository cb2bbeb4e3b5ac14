"""行政许可法 Art. 50: a renewal applied for in time and undecided at expiry is deemed granted, never EXPIRED.

The expiry job and the ``Permit`` status agree: DEEMED_RENEWED with the next period, the application closed as
approved by law; a late, refused or incomplete renewal expires. The job racing an officer's decision on one renewal
gives one outcome on SQLite and PostgreSQL.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

from subgraphs.permits.jobs import expire_permits
from subgraphs.permits.services import PermitServices
from tests.subgraphs.permits.conftest import Subgraph
from tests.subgraphs.permits.operations import (
    ACCEPT,
    DECIDE,
    GET_APPLICATION,
    RECORD,
    RENEW,
    REQUEST_MATERIALS,
    SITE_CHECK,
    legacy_permit,
)
from tests.support.clock import Clock

RENEWAL = {"applicantName": "深圳市测试餐饮有限公司1", "legalRepresentative": "张三"}
PERMIT = """query($id: ID!) { permit(id: $id) {
  status statusReason validFrom validTo previousValidTo renewals
  pendingRenewal { id state renewalTiming }
  statusHistory { fromStatus toStatus actor reason }
} }"""
EXPIRY_DAY = dt.date(2026, 3, 1)
"""The day after the recorded permits' last valid day (28 Feb 2026)."""


def on(day: dt.date) -> PermitServices:
    clock = Clock()
    clock.on(day)
    return PermitServices(clock=clock)


async def renewal(subgraph: Subgraph, serial: int, applied_on: dt.date) -> tuple[str, str]:
    """(permit id, renewal application id) of a recorded permit renewed on ``applied_on``, then accepted."""
    subgraph.clock.on(dt.date(2025, 9, 1))
    permit = (await subgraph.data(RECORD, input=legacy_permit(serial=serial)))["recordPermit"]["permit"]
    subgraph.clock.on(applied_on)
    names = {**RENEWAL, "applicantName": f"深圳市测试餐饮有限公司{serial}"}
    application = (await subgraph.data(RENEW, id=permit["id"], input=names))["renewPermit"]["application"]
    return permit["id"], application["id"]


async def permit_of(subgraph: Subgraph, permit_id: str) -> dict[str, Any]:
    return dict((await subgraph.data(PERMIT, id=permit_id))["permit"])


async def application_of(subgraph: Subgraph, application_id: str) -> dict[str, Any]:
    return dict((await subgraph.data(GET_APPLICATION, id=application_id))["permitApplication"])


async def test_art_50_a_timely_renewal_undecided_at_expiry_is_deemed_granted(subgraph: Subgraph) -> None:
    permit_id, application_id = await renewal(subgraph, 1, dt.date(2025, 10, 17))
    await subgraph.data(ACCEPT, id=application_id)
    pending = await permit_of(subgraph, permit_id)
    assert pending["status"] == "VALID"
    assert pending["pendingRenewal"] == {"id": application_id, "state": "ACCEPTED", "renewalTiming": "ON_TIME"}

    assert await expire_permits(subgraph.database, on(dt.date(2026, 2, 28))) == 0  # its last valid day
    assert await expire_permits(subgraph.database, on(EXPIRY_DAY)) == 0
    assert await expire_permits(subgraph.database, on(EXPIRY_DAY)) == 0

    permit = await permit_of(subgraph, permit_id)
    assert (permit["status"], permit["validFrom"], permit["validTo"]) == ("DEEMED_RENEWED", "2026-03-01", "2031-02-28")
    assert (permit["previousValidTo"], permit["renewals"], permit["pendingRenewal"]) == ("2026-02-28", 1, None)
    assert "Art. 50" in permit["statusReason"]
    assert [(c["fromStatus"], c["toStatus"], c["actor"]) for c in permit["statusHistory"]] == [
        ("VALID", "DEEMED_RENEWED", "SYSTEM")
    ]
    application = await application_of(subgraph, application_id)
    assert (application["state"], application["decision"], application["decidedBy"]) == (
        "CERT_ISSUED",
        "APPROVED",
        "SYSTEM",
    )
    assert "Art. 50" in application["decisionReason"]
    assert "permits.renewal.deemed_on_silence@2004-07-01" in application["ruleVersions"]
    assert [(t["fromState"], t["toState"]) for t in application["transitions"][-2:]] == [
        ("ACCEPTED", "APPROVED"),
        ("APPROVED", "CERT_ISSUED"),
    ]
    # An officer's late decision is told the law already decided.
    late = await subgraph.execute(DECIDE, id=application_id, approve=False, reason="不符合")
    assert late["errors"][0]["extensions"]["code"] == "ILLEGAL_TRANSITION"
    # Five years on, with no renewal, the deemed-renewed permit expires like any other.
    assert await expire_permits(subgraph.database, on(dt.date(2031, 3, 1))) == 1
    assert (await permit_of(subgraph, permit_id))["status"] == "EXPIRED"


async def test_art_50_a_renewal_approved_in_time_is_certified_at_expiry(subgraph: Subgraph) -> None:
    permit_id, application_id = await renewal(subgraph, 1, dt.date(2025, 10, 17))
    await subgraph.data(ACCEPT, id=application_id)
    await subgraph.data(DECIDE, id=application_id, approve=True)
    assert await expire_permits(subgraph.database, on(EXPIRY_DAY)) == 0
    permit = await permit_of(subgraph, permit_id)
    assert (permit["status"], permit["validTo"]) == ("VALID", "2031-02-28")
    assert (await application_of(subgraph, application_id))["state"] == "CERT_ISSUED"


async def test_art_50_only_a_timely_pending_renewal_keeps_the_permit_in_force(subgraph: Subgraph) -> None:
    # Late (after the 15 working days before expiry, SAMR Order 78): no deemed renewal.
    late_permit, late = await renewal(subgraph, 1, dt.date(2026, 2, 3))
    await subgraph.data(ACCEPT, id=late)
    # Refused before expiry.
    refused_permit, refused = await renewal(subgraph, 2, dt.date(2025, 10, 17))
    await subgraph.data(ACCEPT, id=refused)
    await subgraph.data(DECIDE, id=refused, approve=False, reason="条件不符")
    # Returned for materials (补正): the decision awaits the applicant, not the bureau.
    returned_permit, returned = await renewal(subgraph, 3, dt.date(2025, 10, 17))
    await subgraph.data(REQUEST_MATERIALS, id=returned, missing=["健康证明"])

    assert await expire_permits(subgraph.database, on(EXPIRY_DAY)) == 3
    for permit_id in (late_permit, refused_permit, returned_permit):
        permit = await permit_of(subgraph, permit_id)
        assert (permit["status"], permit["validTo"], permit["renewals"]) == ("EXPIRED", "2026-02-28", 0)
    assert (await application_of(subgraph, late))["state"] == "ACCEPTED"


async def test_art_50_the_expiry_job_racing_the_officers_decision_gives_one_outcome(subgraph: Subgraph) -> None:
    renewals = [await renewal(subgraph, serial, dt.date(2025, 10, 17)) for serial in range(1, 6)]
    for _, application_id in renewals:
        await subgraph.data(ACCEPT, id=application_id)
        await subgraph.data(SITE_CHECK, id=application_id, inspectors=["张三", "李四"], passed=True)
    subgraph.clock.on(EXPIRY_DAY)
    decisions = [
        subgraph.execute(DECIDE, id=application_id, approve=False, reason="条件不符") for _, application_id in renewals
    ]
    expired, *answers = await asyncio.gather(expire_permits(subgraph.database, on(EXPIRY_DAY)), *decisions)
    outcomes = []
    for (permit_id, application_id), answer in zip(renewals, answers, strict=True):
        permit = await permit_of(subgraph, permit_id)
        application = await application_of(subgraph, application_id)
        if answer.get("errors"):  # the job came first: deemed granted, the officer told why
            assert answer["errors"][0]["extensions"]["code"] in ("ILLEGAL_TRANSITION", "CONCURRENT_CHANGE")
            assert (application["state"], permit["status"]) == ("CERT_ISSUED", "DEEMED_RENEWED")
            assert (permit["validTo"], permit["renewals"]) == ("2031-02-28", 1)
        else:  # the refusal came first: the permit expires
            assert application["state"] == "REJECTED"
            assert (permit["status"], permit["validTo"], permit["renewals"]) == ("EXPIRED", "2026-02-28", 0)
        outcomes.append(permit["status"])
    assert expired == outcomes.count("EXPIRED")
    assert await expire_permits(subgraph.database, on(EXPIRY_DAY)) == 0

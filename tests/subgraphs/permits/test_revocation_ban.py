"""食品安全法 Art. 135: a business whose food permit was revoked may not apply for one for 5 years. The ban is read
live from the revocations on record at submission, at the decision and in 秒批 (a revocation recorded after the
application counts), and ends when the rule says."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.subgraphs.permits.conftest import Subgraph, registered
from tests.subgraphs.permits.operations import (
    ACCEPT,
    AUTO_CHECK,
    DECIDE,
    GET_APPLICATION,
    RECORD,
    SITE_CHECK,
    SUBMIT,
    catering,
    legacy_permit,
)
from tests.subgraphs.permits.test_permit_status_api import CHANGE

REVOKE = "食品安全法第一百三十五条 吊销"


async def revoked_permit_of(subgraph: Subgraph, serial: int, number_serial: int) -> None:
    """Record a permit of entity ``serial`` and revoke it today."""
    permit = legacy_permit(serial=serial, number=f"JY24403040{number_serial:05d}7", validFrom="2024-03-01",
                           validTo="2029-02-28")  # fmt: skip
    recorded = (await subgraph.data(RECORD, input=permit))["recordPermit"]["permit"]
    await subgraph.data(CHANGE, id=recorded["id"], status="REVOKED", reason=REVOKE)


async def submit(subgraph: Subgraph, serial: int, **changes: Any) -> dict[str, Any]:
    return await subgraph.execute(SUBMIT, input=catering(serial, **changes))


async def test_art_135_a_revoked_holder_may_not_apply_for_5_years(subgraph: Subgraph) -> None:
    """Art. 135 ¶1: 5 years 自处罚决定作出之日起, counted from the next day (民法典 Art. 201–202): a revocation on
    26 Sep 2025 bars the holder through 26 Sep 2030."""
    subgraph.clock.on(dt.date(2025, 9, 26))
    await revoked_permit_of(subgraph, 1, 1)
    banned = await submit(subgraph, 1)
    assert banned["errors"][0]["extensions"] == {
        "code": "APPLICANT_BANNED",
        "permitNumber": "JY24403040000017",
        "bannedUntil": "2030-09-26",
    }
    assert "Art. 135" in banned["errors"][0]["message"]
    assert not (await submit(subgraph, 2)).get("errors")  # another business is not affected
    subgraph.clock.on(dt.date(2030, 9, 26))
    assert (await submit(subgraph, 1))["errors"][0]["extensions"]["code"] == "APPLICANT_BANNED"
    subgraph.clock.on(dt.date(2030, 9, 27))
    assert not (await submit(subgraph, 1)).get("errors")


async def test_art_135_a_revocation_recorded_after_the_application_stops_its_approval(subgraph: Subgraph) -> None:
    subgraph.clock.on(dt.date(2025, 9, 26))
    application = (await submit(subgraph, 1))["data"]["submitPermitApplication"]["application"]
    await subgraph.data(ACCEPT, id=application["id"])
    await subgraph.data(SITE_CHECK, id=application["id"], inspectors=["张三", "李四"], passed=True)
    await revoked_permit_of(subgraph, 1, 1)  # another outlet's permit revoked meanwhile
    refused = await subgraph.execute(DECIDE, id=application["id"], approve=True)
    assert refused["errors"][0]["extensions"]["code"] == "APPLICANT_BANNED"
    rejected = await subgraph.data(DECIDE, id=application["id"], approve=False, reason="食品安全法第一百三十五条")
    assert rejected["decideApplication"]["application"]["state"] == "REJECTED"


async def test_art_135_the_automatic_check_reads_the_ban_live(subgraph: Subgraph) -> None:
    subgraph.clock.on(dt.date(2025, 9, 26))
    subgraph.registry.put(registered(1))  # the registry's snapshot knows of no ban
    commitment = {"route": "COMMITMENT", "commitmentSigned": True}
    application = (await submit(subgraph, 1, **commitment))["data"]["submitPermitApplication"]["application"]
    await revoked_permit_of(subgraph, 1, 1)
    checked = (await subgraph.data(AUTO_CHECK, id=application["id"]))["autoCheckApplication"]["application"]
    failed = {result["rule"]: result["reason"] for result in checked["autoCheck"]["results"] if not result["passed"]}
    assert set(failed) == {"clean_credit"} and "Art. 135" in failed["clean_credit"]
    assert (checked["state"], checked["route"], checked["siteCheckRequired"]) == ("ACCEPTED", "ORDINARY", True)


PARAGRAPH_1 = (
    "LEGAL_REPRESENTATIVE: FOOD_PERMIT_REVOKED decided 2023-05-10, barred until 2028-05-10 inclusive "
    "(食品安全法 Art. 135 ¶1)"
)
PARAGRAPH_2 = "LEGAL_REPRESENTATIVE: FOOD_SAFETY_CRIME decided 2019-01-15, barred for life (食品安全法 Art. 135 ¶2)"


async def ordinary_application_ready_for_decision(subgraph: Subgraph, serial: int) -> str:
    application = (await submit(subgraph, serial))["data"]["submitPermitApplication"]["application"]
    await subgraph.data(ACCEPT, id=application["id"])
    await subgraph.data(SITE_CHECK, id=application["id"], inspectors=["张三", "李四"], passed=True)
    return str(application["id"])


async def test_art_135_a_ban_on_the_legal_representative_stops_an_ordinary_approval(subgraph: Subgraph) -> None:
    """Art. 135 ¶1 (5 years) and ¶2 (for life) bar the person running the applicant; the registry's live bans are
    read at the decision on the ordinary route, whatever it said at submission."""
    subgraph.clock.on(dt.date(2025, 9, 26))
    for serial, ban in ((1, PARAGRAPH_1), (2, PARAGRAPH_2)):
        subgraph.registry.put(registered(serial))
        application = await ordinary_application_ready_for_decision(subgraph, serial)
        subgraph.registry.put(registered(serial, food_permit_ban=True, food_safety_bans=(ban,)))  # recorded meanwhile
        refused = await subgraph.error(DECIDE, id=application, approve=True)
        assert refused.extensions == {"code": "APPLICANT_BANNED", "personBans": [ban]}
        assert "Art. 135" in refused.message
        row = await subgraph.data(GET_APPLICATION, id=application)
        assert row["permitApplication"]["state"] == "SITE_CHECK"  # nothing changed


async def test_art_135_an_ordinary_approval_goes_ahead_once_the_registry_reports_no_ban(subgraph: Subgraph) -> None:
    subgraph.clock.on(dt.date(2025, 9, 26))
    subgraph.registry.put(registered(1))
    application = await ordinary_application_ready_for_decision(subgraph, 1)
    approved = await subgraph.data(DECIDE, id=application, approve=True)
    assert approved["decideApplication"]["application"]["state"] == "APPROVED"


async def test_art_135_the_automatic_check_fails_on_a_lifetime_ban(subgraph: Subgraph) -> None:
    subgraph.clock.on(dt.date(2025, 9, 26))
    subgraph.registry.put(registered(1, food_permit_ban=True, food_safety_bans=(PARAGRAPH_2,)))
    commitment = {"route": "COMMITMENT", "commitmentSigned": True}
    application = (await submit(subgraph, 1, **commitment))["data"]["submitPermitApplication"]["application"]
    checked = (await subgraph.data(AUTO_CHECK, id=application["id"]))["autoCheckApplication"]["application"]
    failed = {result["rule"]: result["reason"] for result in checked["autoCheck"]["results"] if not result["passed"]}
    assert set(failed) == {"clean_credit"} and "Art. 135" in failed["clean_credit"]
    assert (checked["state"], checked["route"]) == ("ACCEPTED", "ORDINARY")

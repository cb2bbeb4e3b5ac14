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
    subgraph.clock.on(dt.date(2025, 9, 26))
    await revoked_permit_of(subgraph, 1, 1)
    banned = await submit(subgraph, 1)
    assert banned["errors"][0]["extensions"] == {
        "code": "APPLICANT_BANNED",
        "permitNumber": "JY24403040000017",
        "bannedUntil": "2030-09-25",
    }
    assert "Art. 135" in banned["errors"][0]["message"]
    assert not (await submit(subgraph, 2)).get("errors")  # another business is not affected
    subgraph.clock.on(dt.date(2030, 9, 25))
    assert (await submit(subgraph, 1))["errors"][0]["extensions"]["code"] == "APPLICANT_BANNED"
    subgraph.clock.on(dt.date(2030, 9, 26))
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

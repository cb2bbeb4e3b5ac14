"""Validity periods with a legal basis: a new operating permit is dated from the decision (食品经营许可管理办法 Art. 19:
发证日期为许可决定作出的日期), so a certificate issued days later does not lengthen it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from subgraphs.permits.jobs import expire_permits
from tests.subgraphs.permits.conftest import Subgraph
from tests.subgraphs.permits.operations import (
    ACCEPT,
    DECIDE,
    ISSUE,
    RENEW,
    SITE_CHECK,
    SUBMIT,
    catering,
    legacy_permit,
)
from tests.subgraphs.permits.test_jobs import on


async def test_art_19_a_new_permit_is_valid_from_the_decision_date(subgraph: Subgraph) -> None:
    subgraph.clock.on(dt.date(2025, 9, 1))
    app = (await subgraph.data(SUBMIT, input=catering()))["submitPermitApplication"]["application"]
    await subgraph.data(ACCEPT, id=app["id"])
    await subgraph.data(SITE_CHECK, id=app["id"], inspectors=["张三", "李四"], passed=True)
    subgraph.clock.on(dt.date(2025, 9, 5))
    await subgraph.data(DECIDE, id=app["id"], approve=True)
    subgraph.clock.on(dt.date(2025, 9, 12))  # certificate delivered a week later (Art. 44 allows 10 working days)
    issued = (await subgraph.data(ISSUE, id=app["id"]))["issueCertificate"]["application"]
    assert issued["certificateIssuedOn"] == "2025-09-12"
    assert (issued["permit"]["validFrom"], issued["permit"]["validTo"]) == ("2025-09-05", "2030-09-04")


FILING = "id number kind validFrom validTo validityRule status renewalWindow { dueBy }"
RECORD_FILING = f"mutation($input: RecordPermitInput!) {{ recordPermit(input: $input) {{ permit {{ {FILING} }} }} }}"


def filing(serial: int = 1, **changes: Any) -> dict[str, Any]:
    """A pre-packaged-only sales filing (仅销售预包装食品备案) recorded from a legacy system: no validTo."""
    values = legacy_permit(serial, kind="PREPACK_FILING", number=f"YB14403040{serial:05d}3", items=["SALES_PREPACK"])
    del values["validTo"]
    return {**values, **changes}


async def test_art_35_a_filing_has_no_validity_period_renewal_window_or_expiry(subgraph: Subgraph) -> None:
    """食品安全法 Art. 35: pre-packaged-only sellers file (备案) instead of holding a permit; a filing has no validity
    period, so no renewal window, and the daily expiry job never ends it."""
    subgraph.clock.on(dt.date(2021, 6, 1))
    recorded = (await subgraph.data(RECORD_FILING, input=filing()))["recordPermit"]["permit"]
    assert (recorded["validTo"], recorded["renewalWindow"], recorded["status"]) == (None, None, "VALID")
    assert recorded["validityRule"] == "permits.filing.validity@2015-10-01"
    subgraph.clock.on(dt.date(2040, 1, 1))
    assert await expire_permits(subgraph.database, on(dt.date(2040, 1, 1))) == 0
    renewal = {"applicantName": "深圳市测试餐饮有限公司1", "legalRepresentative": "张三"}
    refused = await subgraph.error(RENEW, id=recorded["id"], input=renewal)
    assert refused.extensions["code"] == "PERMIT_NOT_RENEWABLE" and "without a validity period" in refused.message


async def test_art_35_a_filing_recorded_with_an_end_date_is_refused(subgraph: Subgraph) -> None:
    subgraph.clock.on(dt.date(2021, 6, 1))
    refused = await subgraph.error(RECORD_FILING, input=filing(validTo="2026-02-28"))
    assert refused.extensions["code"] == "INVALID_VALIDITY_PERIOD" and "Art. 35" in refused.message
    assert await subgraph.count("permit") == 0


async def test_guangdong_workshop_certificates_are_valid_for_3_years(subgraph: Subgraph) -> None:
    """广东省食品生产加工小作坊登记管理办法: 食品小作坊登记证有效期为三年 [S] — not the food permits' 5 years."""
    subgraph.clock.on(dt.date(2024, 6, 1))
    workshop = legacy_permit(1, kind="WORKSHOP_REG", number="粤小作坊440304001", items=["WORKSHOP_PRODUCTION"],
                             validFrom="2024-03-01", validTo="2027-02-28")  # fmt: skip
    recorded = (await subgraph.data(RECORD_FILING, input=workshop))["recordPermit"]["permit"]
    assert (recorded["validTo"], recorded["validityRule"]) == ("2027-02-28", "permits.workshop.validity@2015-10-01")
    too_long = {**workshop, "number": "粤小作坊440304002", "validTo": "2029-02-28"}
    refused = await subgraph.error(RECORD_FILING, input=too_long)
    assert refused.extensions["code"] == "INVALID_VALIDITY_PERIOD" and "3 years" in refused.message
    missing = {**workshop, "number": "粤小作坊440304003"}
    del missing["validTo"]
    assert (await subgraph.error(RECORD_FILING, input=missing)).extensions["code"] == "INVALID_VALIDITY_PERIOD"

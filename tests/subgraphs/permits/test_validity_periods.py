"""Validity periods with a legal basis: a new operating permit is dated from the decision (食品经营许可管理办法 Art. 19:
发证日期为许可决定作出的日期), so a certificate issued days later does not lengthen it."""

from __future__ import annotations

import datetime as dt

from tests.subgraphs.permits.conftest import Subgraph
from tests.subgraphs.permits.operations import ACCEPT, DECIDE, ISSUE, SITE_CHECK, SUBMIT, catering


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

"""深圳经济特区社会信用条例 Art. 59: no commitment route (告知承诺) for applicants with bad credit.

A failed credit check moves a commitment application to the ordinary route, recorded with the reason, so the
site check the ordinary route requires (行政许可法 Art. 34) comes before any approval; a commitment application no
automatic check has cleared is judged as ordinary.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.subgraphs.permits.conftest import Subgraph, registered
from tests.subgraphs.permits.operations import ACCEPT, AUTO_CHECK, DECIDE, SITE_CHECK, SUBMIT, catering

COMMITMENT: dict[str, Any] = {"route": "COMMITMENT", "commitmentSigned": True}


async def test_art_59_bad_credit_moves_a_commitment_application_to_the_ordinary_route(subgraph: Subgraph) -> None:
    subgraph.clock.on(dt.date(2025, 9, 26))
    subgraph.registry.put(registered(1, serious_listed=True))
    app = (await subgraph.data(SUBMIT, input=catering(**COMMITMENT)))["submitPermitApplication"]["application"]
    app = (await subgraph.data(AUTO_CHECK, id=app["id"]))["autoCheckApplication"]["application"]
    assert (app["state"], app["route"], app["siteCheckRequired"]) == ("ACCEPTED", "ORDINARY", True)
    reason = app["transitions"][-1]["reason"]
    assert "commitment route (告知承诺) closed" in reason and "严重违法失信名单" in reason and "Art. 59" in reason
    assert "permits.commitment.bad_credit_excluded@2022-01-01" in app["ruleVersions"]

    refused = await subgraph.execute(DECIDE, id=app["id"], approve=True)
    assert refused["errors"][0]["extensions"]["code"] == "SITE_CHECK_REQUIRED"
    await subgraph.data(SITE_CHECK, id=app["id"], inspectors=["张三", "李四"], passed=True)
    approved = (await subgraph.data(DECIDE, id=app["id"], approve=True))["decideApplication"]["application"]
    assert approved["state"] == "APPROVED"


async def test_art_59_other_failures_keep_a_credit_worthy_applicant_on_the_commitment_route(subgraph: Subgraph) -> None:
    subgraph.clock.on(dt.date(2025, 9, 26))
    subgraph.registry.put(registered(1, legal_representative="李四"))  # a mismatch, not a credit flag
    app = (await subgraph.data(SUBMIT, input=catering(**COMMITMENT)))["submitPermitApplication"]["application"]
    app = (await subgraph.data(AUTO_CHECK, id=app["id"]))["autoCheckApplication"]["application"]
    assert (app["state"], app["route"], app["siteCheckRequired"]) == ("ACCEPTED", "COMMITMENT", False)


async def test_art_59_a_commitment_application_accepted_unchecked_needs_the_site_check(subgraph: Subgraph) -> None:
    subgraph.clock.on(dt.date(2025, 9, 26))
    app = (await subgraph.data(SUBMIT, input=catering(**COMMITMENT)))["submitPermitApplication"]["application"]
    app = (await subgraph.data(ACCEPT, id=app["id"]))["acceptApplication"]["application"]
    assert (app["route"], app["siteCheckRequired"]) == ("COMMITMENT", True)
    refused = await subgraph.execute(DECIDE, id=app["id"], approve=True)
    assert refused["errors"][0]["extensions"]["code"] == "SITE_CHECK_REQUIRED"


async def test_suspension_is_no_credit_fact_and_keeps_the_commitment_route(subgraph: Subgraph) -> None:
    # 歇业 (市场主体登记管理条例 Art. 30) is lawful: 秒批 stops because the entity is not operating, not for credit.
    subgraph.clock.on(dt.date(2025, 9, 26))
    subgraph.registry.put(registered(1, status="SUSPENDED"))
    app = (await subgraph.data(SUBMIT, input=catering(**COMMITMENT)))["submitPermitApplication"]["application"]
    app = (await subgraph.data(AUTO_CHECK, id=app["id"]))["autoCheckApplication"]["application"]
    failed = {result["rule"] for result in app["autoCheck"]["results"] if not result["passed"]}
    assert failed == {"entity_exists_and_operating"}
    assert (app["state"], app["route"]) == ("ACCEPTED", "COMMITMENT")

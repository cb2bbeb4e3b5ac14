"""秒批 through GraphQL: registry snapshot, rule results and verification task are kept with the decision."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.subgraphs.permits.conftest import Subgraph, registered, uscc
from tests.subgraphs.permits.operations import AUTO_CHECK, SUBMIT, catering
from tests.support.identities import enterprise_user

COMMITMENT: dict[str, Any] = {"route": "COMMITMENT", "commitmentSigned": True}


async def test_a_clean_commitment_application_is_approved_and_issued_by_the_system(subgraph: Subgraph) -> None:
    subgraph.registry.put(registered(1))
    subgraph.clock.on(dt.date(2025, 9, 26), hour=9)
    app = (await subgraph.data(SUBMIT, input=catering(**COMMITMENT), auto=True))["submitPermitApplication"][
        "application"
    ]
    assert (app["state"], app["decision"], app["decidedBy"]) == ("CERT_ISSUED", "APPROVED", "SYSTEM")
    assert [(t["fromState"], t["toState"], t["actor"]) for t in app["transitions"]] == [
        (None, "DRAFT", "city-officer"),
        ("DRAFT", "SUBMITTED", "city-officer"),
        ("SUBMITTED", "AUTO_CHECKED", "city-officer"),
        ("AUTO_CHECKED", "APPROVED", "SYSTEM"),
        ("APPROVED", "CERT_ISSUED", "SYSTEM"),
    ]
    check = app["autoCheck"]
    assert check["approved"] and check["rulesetVersion"] == "auto-approval/2026.1"
    assert all(result["passed"] for result in check["results"]) and len(check["results"]) == 9
    assert check["evaluatedAt"].startswith("2025-09-26T01:00:00")
    assert check["snapshot"] == {
        "uscc": uscc(1),
        "found": True,
        "source": "in-memory",
        "name": "深圳市测试餐饮有限公司1",
        "status": "EXISTING",
        "legalRepresentative": "张三",
        "seriousListed": False,
        "foodPenaltyPublicity": False,
    }
    assert app["permit"]["status"] == "VALID" and app["permit"]["validFrom"] == "2025-09-26"
    # Post-approval verification within 20 wd: across National Day and both make-up days → 30 Oct.
    assert app["verificationTask"] == {
        "taskType": "POST_APPROVAL_VERIFY",
        "subjectUscc": uscc(1),
        "dueOn": "2025-10-30",
        "ruleVersion": "permits.post_approval_verification@2021-01-01",
        "status": "OPEN",
    }


FAILING: list[tuple[dict[str, Any] | None, dict[str, Any], str, str]] = [
    (None, {}, "entity_exists_and_operating", "is not in the registry"),
    ({"status": "REVOKED_NOT_DEREGISTERED"}, {}, "entity_exists_and_operating", "REVOKED_NOT_DEREGISTERED"),
    ({"name": "另一家公司"}, {}, "name_matches_registry", "≠ registered '另一家公司'"),
    ({"legal_representative": "李四"}, {}, "legal_representative_matches_registry", "differs"),
    ({}, {"premisesRegion": "440106"}, "premises_in_shenzhen", "440106"),
    ({"abnormal_listed": True}, {}, "clean_credit", "abnormal operations list"),
    ({}, {"items": ["CATERING_RAW"]}, "low_risk_category", "CATERING_RAW@JY-2023"),
    ({}, {"commitmentSigned": False}, "commitment_signed", "signed commitment"),
    ({}, {"route": "ORDINARY"}, "no_site_inspection_required", "requires site inspection"),
]
"""Registry overrides (None: not registered), application changes, the rule that must fail, part of its reason."""


async def test_premises_in_a_town_of_shenshan_are_in_shenzhen_and_placed_with_its_bureau(subgraph: Subgraph) -> None:
    """深汕特别合作区 is 鹅埠、小漠、鲘门、赤石 of 海丰县 (441521): 秒批 and jurisdiction read the same towns."""
    subgraph.registry.put(registered(1))
    subgraph.clock.on(dt.date(2025, 9, 26), hour=9)
    address = "广东省汕尾市海丰县鹅埠镇创业路3号"
    application = catering(**COMMITMENT, premisesRegion="441521", premisesAddress=address)
    app = (await subgraph.data(SUBMIT, input=application, auto=True))["submitPermitApplication"]["application"]
    shenzhen = next(r for r in app["autoCheck"]["results"] if r["rule"] == "premises_in_shenzhen")
    assert shenzhen["passed"] and app["state"] == "CERT_ISSUED"
    assert await subgraph.scalar("SELECT district_code FROM {schema}permit_application") == "SSTHQ"


async def test_premises_in_haifeng_outside_shenshan_s_towns_are_not_in_shenzhen(subgraph: Subgraph) -> None:
    """海丰县 outside 鹅埠、小漠、鲘门、赤石 is 汕尾's: no Shenzhen bureau holds the application, 秒批 refuses it."""
    subgraph.registry.put(registered(1))
    subgraph.clock.on(dt.date(2025, 9, 26), hour=9)
    applicant = subgraph.as_(enterprise_user(uscc(1)))
    address = "广东省汕尾市海丰县梅陇镇梅陇大道1号"
    application = catering(**COMMITMENT, premisesRegion="441521", premisesAddress=address)
    app = (await applicant.data(SUBMIT, input=application, auto=True))["submitPermitApplication"]["application"]
    failed = {r["rule"]: r["reason"] for r in app["autoCheck"]["results"] if not r["passed"]}
    assert set(failed) == {"premises_in_shenzhen"} and "441521" in failed["premises_in_shenzhen"]
    assert app["state"] == "ACCEPTED" and app["permit"] is None
    assert await subgraph.scalar("SELECT district_code FROM {schema}permit_application") is None
    forbidden = await subgraph.error(SUBMIT, input=catering(2, premisesRegion="441521", premisesAddress=address))
    assert forbidden.extensions["code"] == "FORBIDDEN"  # no Shenzhen officer's jurisdiction holds these premises


async def test_each_failed_rule_is_recorded_and_the_application_goes_to_ordinary_review(subgraph: Subgraph) -> None:
    subgraph.clock.on(dt.date(2025, 9, 26))
    for serial, (overrides, changes, failed_rule, reason) in enumerate(FAILING, start=1):
        if overrides is not None:
            subgraph.registry.put(registered(serial, **overrides))
        application = catering(serial, **{**COMMITMENT, **changes})
        app = (await subgraph.data(SUBMIT, input=application))["submitPermitApplication"]["application"]
        app = (await subgraph.data(AUTO_CHECK, id=app["id"]))["autoCheckApplication"]["application"]
        assert (app["state"], app["decision"], app["permit"], app["verificationTask"]) == ("ACCEPTED", None, None, None)
        failed = {r["rule"]: r["reason"] for r in app["autoCheck"]["results"] if not r["passed"]}
        assert failed_rule in failed and reason in failed[failed_rule], (failed_rule, failed)
        assert app["autoCheck"]["approved"] is False
        assert [(t["fromState"], t["toState"]) for t in app["transitions"][-2:]] == [
            ("SUBMITTED", "AUTO_CHECKED"),
            ("AUTO_CHECKED", "ACCEPTED"),
        ]
        assert failed_rule in app["transitions"][-2]["reason"]
        assert app["decisionDueOn"] == "2025-10-16"  # ordinary review: 10 wd from acceptance on 26 Sep
    assert await subgraph.count("permit") == 0

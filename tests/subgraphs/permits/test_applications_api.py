"""The application workflow through GraphQL on SQLite and PostgreSQL: every legal step, deadlines, refusals."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.subgraphs.permits.conftest import Subgraph, uscc
from tests.subgraphs.permits.operations import (
    ACCEPT,
    DECIDE,
    EXTEND,
    GET_APPLICATION,
    ISSUE,
    REQUEST_MATERIALS,
    RESUBMIT,
    SITE_CHECK,
    SUBMIT,
    SUBMIT_DRAFT,
    catering,
)

D = dt.date
FRIDAY_BEFORE_NATIONAL_DAY = D(2025, 9, 26)


async def submit(subgraph: Subgraph, on: dt.date = FRIDAY_BEFORE_NATIONAL_DAY, **changes: Any) -> dict[str, Any]:
    subgraph.clock.on(on)
    data = await subgraph.data(SUBMIT, input=catering(**changes))
    application: dict[str, Any] = data["submitPermitApplication"]["application"]
    return application


async def run(subgraph: Subgraph, operation: str, on: dt.date, **variables: Any) -> dict[str, Any]:
    subgraph.clock.on(on)
    data = await subgraph.data(operation, **variables)
    (payload,) = data.values()  # a mutation's payload, or a query's application
    result: dict[str, Any] = payload.get("application", payload)
    return result


def moves(application: dict[str, Any]) -> list[tuple[str | None, str]]:
    return [(t["fromState"], t["toState"]) for t in application["transitions"]]


async def test_the_ordinary_path_sets_every_deadline_and_records_every_move(subgraph: Subgraph) -> None:
    app = await submit(subgraph)
    assert (app["state"], app["receivedOn"], app["materialsDueOn"]) == ("SUBMITTED", "2025-09-26", "2025-10-10")
    assert app["allowedNextStates"] == ["MATERIALS_INCOMPLETE", "ACCEPTED", "AUTO_CHECKED"]
    assert [item["codeList"] for item in app["items"]] == ["JY-2023", "JY-2023"]

    app = await run(subgraph, REQUEST_MATERIALS, D(2025, 9, 29), id=app["id"], missing=["营业执照复印件", "平面图"])
    assert (app["state"], app["missingMaterials"]) == ("MATERIALS_INCOMPLETE", ["营业执照复印件", "平面图"])

    # Resubmitted on 30 Sep: the materials clock restarts, over the holiday and the make-up Saturday 11 Oct.
    app = await run(subgraph, RESUBMIT, D(2025, 9, 30), id=app["id"])
    assert (app["state"], app["receivedOn"], app["materialsDueOn"]) == ("SUBMITTED", "2025-09-30", "2025-10-14")

    app = await run(subgraph, ACCEPT, D(2025, 9, 30), id=app["id"])
    assert (app["state"], app["acceptedOn"], app["deemedAccepted"]) == ("ACCEPTED", "2025-09-30", False)
    assert app["decisionDueOn"] == "2025-10-21"  # 10 wd, counting Saturday 11 Oct
    assert (app["siteCheckRequired"], app["siteCheckDueOn"]) == (True, None)  # no site-check period for JY

    app = await run(
        subgraph,
        SITE_CHECK,
        D(2025, 10, 11),
        id=app["id"],
        inspectors=["王五", "赵六"],
        passed=True,
        findings="布局合理",
    )
    assert app["state"] == "SITE_CHECK"
    assert app["siteCheck"] == {
        "inspectors": ["王五", "赵六"],
        "passed": True,
        "findings": "布局合理",
        "on": "2025-10-11",
    }

    app = await run(subgraph, DECIDE, D(2025, 10, 13), id=app["id"], approve=True)
    assert (app["state"], app["decision"], app["decidedOn"]) == ("APPROVED", "APPROVED", "2025-10-13")
    assert app["certificateDueOn"] == "2025-10-27"  # 10 wd (行政许可法 Art. 44)
    assert (app["decisionOverdue"], app["certificateOverdue"]) == (False, False)
    overdue = await run(subgraph, GET_APPLICATION, D(2025, 10, 28), id=app["id"])
    assert overdue["certificateOverdue"] is True

    app = await run(subgraph, ISSUE, D(2025, 10, 14), id=app["id"])
    assert (app["state"], app["certificateIssuedOn"], app["allowedNextStates"]) == ("CERT_ISSUED", "2025-10-14", [])
    permit = app["permit"]
    assert permit["number"].startswith("JY2440304000001") and len(permit["number"]) == 16
    # valid from the decision date (食品经营许可管理办法 Art. 19), not the day the certificate is issued
    assert (permit["status"], permit["validFrom"], permit["validTo"]) == ("VALID", "2025-10-13", "2030-10-12")
    assert app["ruleVersions"] == [
        "permits.materials_request@2019-04-23",
        "permits.materials_request@2019-04-23",
        "permits.operating.decision@2023-12-01",
        "permits.operating.certificate_issue@2019-04-23",
    ]
    assert moves(app) == [
        (None, "DRAFT"),
        ("DRAFT", "SUBMITTED"),
        ("SUBMITTED", "MATERIALS_INCOMPLETE"),
        ("MATERIALS_INCOMPLETE", "SUBMITTED"),
        ("SUBMITTED", "ACCEPTED"),
        ("ACCEPTED", "SITE_CHECK"),
        ("SITE_CHECK", "APPROVED"),
        ("APPROVED", "CERT_ISSUED"),
    ]
    assert {t["actor"] for t in app["transitions"]} == {"city-officer"}
    assert app["transitions"][2]["reason"] == "missing: 营业执照复印件; 平面图"
    assert app["transitions"][-1]["at"].startswith("2025-10-14T02:00:00")  # 10:00 Beijing, stored in UTC


async def test_a_draft_is_submitted_later_and_a_rejection_must_give_reasons(subgraph: Subgraph) -> None:
    subgraph.clock.on(D(2025, 9, 25))
    draft = (await subgraph.data(SUBMIT, input=catering(), draft=True))["submitPermitApplication"]["application"]
    assert (draft["state"], draft["receivedOn"], draft["allowedNextStates"]) == ("DRAFT", None, ["SUBMITTED"])
    app = await run(subgraph, SUBMIT_DRAFT, D(2025, 9, 26), id=draft["id"])
    assert (app["state"], app["materialsDueOn"]) == ("SUBMITTED", "2025-10-10")
    await run(subgraph, ACCEPT, D(2025, 9, 26), id=app["id"])
    app = await run(subgraph, SITE_CHECK, D(2025, 9, 29), id=app["id"], inspectors=["王五", "赵六"], passed=False)
    refused = await subgraph.error(DECIDE, id=app["id"], approve=True)
    assert refused.extensions["code"] == "SITE_CHECK_FAILED"
    no_reason = await subgraph.error(DECIDE, id=app["id"], approve=False, reason="  ")
    assert no_reason.extensions["code"] == "REASON_REQUIRED"
    app = await run(subgraph, DECIDE, D(2025, 9, 30), id=app["id"], approve=False, reason="加工场所布局不符合要求")
    assert (app["state"], app["decisionReason"], app["allowedNextStates"]) == ("REJECTED", "加工场所布局不符合要求", [])
    assert app["certificateDueOn"] is None and app["permit"] is None


async def test_illegal_transitions_name_the_state_and_what_is_allowed_and_write_nothing(subgraph: Subgraph) -> None:
    app = await submit(subgraph)
    before = await subgraph.count("permit_transition")
    for operation, variables in (
        (ISSUE, {}),
        (DECIDE, {"approve": True}),
        (RESUBMIT, {}),
        (SUBMIT_DRAFT, {}),
        (SITE_CHECK, {"inspectors": ["王五", "赵六"], "passed": True}),
    ):
        error = await subgraph.error(operation, id=app["id"], **variables)
        assert error.extensions["code"] == "ILLEGAL_TRANSITION", error
        assert error.extensions["currentState"] == "SUBMITTED"
        assert error.extensions["allowedNextStates"] == ["MATERIALS_INCOMPLETE", "ACCEPTED", "AUTO_CHECKED"]
        assert "the application is SUBMITTED" in error.message
    assert await subgraph.count("permit_transition") == before
    stored = (await subgraph.data(GET_APPLICATION, id=app["id"]))["permitApplication"]
    assert stored["state"] == "SUBMITTED" and len(stored["transitions"]) == 2

    await run(subgraph, ACCEPT, D(2025, 9, 26), id=app["id"])
    twice = await subgraph.error(ACCEPT, id=app["id"])
    assert twice.extensions["currentState"] == "ACCEPTED"
    assert twice.extensions["allowedNextStates"] == ["SITE_CHECK", "APPROVED", "REJECTED"]


async def test_materials_may_be_requested_only_within_5_working_days_then_acceptance_is_deemed(
    subgraph: Subgraph,
) -> None:
    app = await submit(subgraph)  # Friday 26 Sep 2025, due 10 Oct across National Day
    late = await run_error(subgraph, REQUEST_MATERIALS, D(2025, 10, 11), id=app["id"], missing=["平面图"])
    assert late.extensions == {"code": "MATERIALS_REQUEST_OVERDUE", "materialsDueOn": "2025-10-10"}
    empty = await run_error(subgraph, REQUEST_MATERIALS, D(2025, 10, 10), id=app["id"], missing=[" "])
    assert empty.extensions["code"] == "MATERIALS_REQUIRED"
    app = await run(subgraph, ACCEPT, D(2025, 10, 13), id=app["id"])
    assert (app["acceptedOn"], app["deemedAccepted"]) == ("2025-09-26", True)
    # 10 wd from 26 Sep: 28 Sep (Sun, make-up), 29, 30 Sep, 9, 10, 11 (Sat, make-up), 13, 14, 15, 16 Oct.
    assert app["decisionDueOn"] == "2025-10-16"
    assert "deemed accepted from 2025-09-26" in app["transitions"][-1]["reason"]


async def run_error(subgraph: Subgraph, operation: str, on: dt.date, **variables: Any) -> Any:
    subgraph.clock.on(on)
    return await subgraph.error(operation, **variables)


async def test_site_check_needs_two_officials_and_comes_before_the_decision(subgraph: Subgraph) -> None:
    app = await submit(subgraph)
    await run(subgraph, ACCEPT, D(2025, 9, 26), id=app["id"])
    premature = await subgraph.error(DECIDE, id=app["id"], approve=True)
    assert premature.extensions["code"] == "SITE_CHECK_REQUIRED"
    for inspectors in (["王五"], ["王五", " 王五 "], ["王五", ""]):
        alone = await subgraph.error(SITE_CHECK, id=app["id"], inspectors=inspectors, passed=True)
        assert alone.extensions["code"] == "INSUFFICIENT_INSPECTORS"
    stored = (await subgraph.data(GET_APPLICATION, id=app["id"]))["permitApplication"]
    assert (stored["state"], stored["siteCheck"]) == ("ACCEPTED", None)


async def test_the_decision_deadline_is_extended_once(subgraph: Subgraph) -> None:
    app = await submit(subgraph, on=D(2025, 9, 30))
    app = await run(subgraph, ACCEPT, D(2025, 9, 30), id=app["id"])
    assert app["decisionDueOn"] == "2025-10-21"
    late = await run(subgraph, GET_APPLICATION, D(2025, 10, 22), id=app["id"])
    assert late["decisionOverdue"] is True
    app = await run(subgraph, EXTEND, D(2025, 10, 22), id=app["id"], reason="需补充现场核查")
    assert (app["decisionDueOn"], app["decisionExtended"], app["decisionOverdue"]) == ("2025-10-28", True, False)
    assert app["transitions"][-1]["fromState"] == app["transitions"][-1]["toState"] == "ACCEPTED"
    again = await subgraph.error(EXTEND, id=app["id"], reason="再次延期")
    assert again.extensions["code"] == "DEADLINE_ALREADY_EXTENDED"


async def test_a_production_permit_follows_the_2020_periods(subgraph: Subgraph) -> None:
    app = await submit(
        subgraph,
        on=D(2025, 9, 30),
        kind="SC",
        items=["106"],
        businessForm=None,
        applicantName="深圳市测试饮料有限公司",
    )
    app = await run(subgraph, ACCEPT, D(2025, 9, 30), id=app["id"])
    assert app["decisionDueOn"] == "2025-10-21"
    assert app["siteCheckDueOn"] == "2025-10-14"  # 5 wd: 9, 10, 11 (Sat, make-up), 13, 14 Oct
    assert app["ruleVersions"][-2:] == [
        "permits.production.decision@2020-03-01",
        "permits.production.site_check@2020-03-01",
    ]
    await run(subgraph, SITE_CHECK, D(2025, 10, 9), id=app["id"], inspectors=["王五", "赵六"], passed=True)
    app = await run(subgraph, DECIDE, D(2025, 10, 9), id=app["id"], approve=True)
    assert app["certificateDueOn"] == "2025-10-15"  # 5 wd: 10, 11 (Sat, make-up), 13, 14, 15 Oct
    app = await run(subgraph, ISSUE, D(2025, 10, 10), id=app["id"])
    assert app["permit"]["number"].startswith("SC1064403040001")


async def test_bad_input_is_refused_precisely_and_writes_nothing(subgraph: Subgraph) -> None:
    subgraph.clock.on(D(2025, 9, 26))
    cases = [
        (catering(applicantUscc="91440300MA5F000010"), "INVALID_USCC"),
        (catering(premisesRegion="4403"), "INVALID_REGION_CODE"),
        (catering(items=["CATERING_HOT", "FLYING_FOOD"]), "INVALID_ITEM_CODE"),
        (catering(items=[]), "INVALID_ITEM_CODE"),
        (catering(items=["106"]), "INVALID_ITEM_CODE"),
        (catering(businessForm=None), "INVALID_BUSINESS_FORM"),
        (catering(businessForm=4), "INVALID_BUSINESS_FORM"),
        (catering(kind="SC", items=["106"], businessForm=None, route="COMMITMENT"), "INVALID_ROUTE"),
        (catering(applicantName=" "), "BAD_USER_INPUT"),
        (catering(action="RENEW"), "PERMIT_REQUIRED"),
        (catering(action="RENEW", permitId="no-such-permit"), "NOT_FOUND"),
    ]
    for payload, code in cases:
        error = await subgraph.error(SUBMIT, input=payload)
        assert error.extensions["code"] == code, (payload, error)
    assert await subgraph.count("permit_application") == 0
    assert await subgraph.count("permit_transition") == 0


WORKLIST = """
query($filter: ApplicationFilter, $first: Int!, $after: String) {
  permitApplications(filter: $filter, first: $first, after: $after) {
    edges { node { applicantUscc state decisionOverdue } } pageInfo { hasNextPage endCursor }
  }
}
"""


async def test_the_worklist_is_oldest_first_and_finds_overdue_decisions(subgraph: Subgraph) -> None:
    for serial in (1, 2, 3):
        app = await submit(subgraph, on=D(2025, 9, 22 + serial), applicantUscc=uscc(serial))
        if serial != 2:
            await run(subgraph, ACCEPT, D(2025, 9, 22 + serial), id=app["id"])
    subgraph.clock.on(D(2025, 10, 17))  # due 13 Oct (from 23 Sep) and 15 Oct (from 25 Sep): both overdue by now
    first = (await subgraph.data(WORKLIST, first=2))["permitApplications"]
    assert [edge["node"]["applicantUscc"] for edge in first["edges"]] == [uscc(1), uscc(2)]
    rest = (await subgraph.data(WORKLIST, first=2, after=first["pageInfo"]["endCursor"]))["permitApplications"]
    assert [edge["node"]["applicantUscc"] for edge in rest["edges"]] == [uscc(3)]
    assert rest["pageInfo"]["hasNextPage"] is False
    overdue = (await subgraph.data(WORKLIST, first=10, filter={"decisionOverdue": True}))["permitApplications"]
    assert [(e["node"]["applicantUscc"], e["node"]["decisionOverdue"]) for e in overdue["edges"]] == [
        (uscc(1), True),
        (uscc(3), True),
    ]
    submitted = await subgraph.data(WORKLIST, first=10, filter={"states": ["SUBMITTED"], "applicantUscc": uscc(2)})
    assert [e["node"]["state"] for e in submitted["permitApplications"]["edges"]] == ["SUBMITTED"]
    subgraph.clock.on(D(2025, 10, 15))
    on_time = (await subgraph.data(WORKLIST, first=10, filter={"decisionOverdue": False}))["permitApplications"]
    assert [e["node"]["applicantUscc"] for e in on_time["edges"]] == [uscc(2), uscc(3)]

"""Automatic approval (秒批): a clean case passes every rule; each failing case fails its own rule, with a reason."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from subgraphs.permits import autoapproval
from subgraphs.permits.autoapproval import RULES, RULESET_VERSION, AutoApprovalCase, PreviousPermit, evaluate
from subgraphs.permits.vocabulary import ApplicationAction, ApplicationRoute, PermitKind, PermitStatus
from tests.subgraphs.permits.conftest import registered, uscc

AT = dt.datetime(2025, 9, 26, 2, 0, tzinfo=dt.UTC)
TODAY = dt.date(2025, 9, 26)


def clean_case(**changes: Any) -> AutoApprovalCase:
    """A small-catering commitment-route application by a clean, registered entity in 福田."""
    facts = registered(1)
    case = AutoApprovalCase(
        kind=PermitKind.JY,
        action=ApplicationAction.NEW,
        route=ApplicationRoute.COMMITMENT,
        items=("CATERING_HOT@JY-2023", "CATERING_DRINKS@JY-2023"),
        touches_premises=False,
        applicant_uscc=facts.uscc,
        declared_name=facts.name or "",
        declared_legal_representative="张三",
        premises_region="440304",
        premises_in_shenzhen=True,
        commitment_signed=True,
        previous=None,
        registry=facts,
        checked_on=TODAY,
    )
    return dataclasses.replace(case, **changes)


def renewal(**previous: Any) -> AutoApprovalCase:
    values: dict[str, Any] = {
        "number": "JY24403040000123",
        "holder_uscc": uscc(1),
        "status": PermitStatus.VALID,
        "valid_to": dt.date(2025, 12, 31),
    }
    values.update(previous)
    return clean_case(
        action=ApplicationAction.RENEW, route=ApplicationRoute.ORDINARY, previous=PreviousPermit(**values)
    )


def test_a_clean_case_passes_every_rule_and_records_what_it_saw() -> None:
    outcome = evaluate(clean_case(), at=AT)
    assert outcome.approved
    assert [result.rule for result in outcome.results] == [rule.__name__ for rule in RULES]
    record = outcome.as_record()
    assert record["rulesetVersion"] == RULESET_VERSION
    assert record["snapshot"]["uscc"] == uscc(1) and record["snapshot"]["status"] == "EXISTING"
    assert record["evaluatedAt"] == AT.isoformat()


def test_a_clean_renewal_passes() -> None:
    assert evaluate(renewal(), at=AT).approved


@pytest.mark.parametrize(
    ("case", "rule", "reason"),
    [
        (clean_case(route=ApplicationRoute.ORDINARY), "no_site_inspection_required", "requires site inspection"),
        (
            dataclasses.replace(renewal(), touches_premises=True),
            "no_site_inspection_required",
            "changes premises",
        ),
        (
            clean_case(registry=registered(1, status="SUSPENDED")),
            "entity_exists_and_operating",
            "SUSPENDED, not EXISTING",
        ),
        (clean_case(declared_name="别的公司"), "name_matches_registry", "declared name '别的公司'"),
        (clean_case(declared_legal_representative="李四"), "legal_representative_matches_registry", "differs"),
        (
            clean_case(premises_region="440106", premises_in_shenzhen=False),
            "premises_in_shenzhen",
            "440106 are not in a Shenzhen bureau's area",
        ),
        (renewal(status=PermitStatus.SUSPENDED), "previous_permit_valid", "is SUSPENDED"),
        (renewal(valid_to=dt.date(2025, 9, 25)), "previous_permit_valid", "expired on 2025-09-25"),
        (renewal(holder_uscc=uscc(2)), "previous_permit_valid", "held by another entity"),
        (clean_case(action=ApplicationAction.CHANGE), "previous_permit_valid", "names no previous permit"),
        (clean_case(registry=registered(1, abnormal_listed=True)), "clean_credit", "abnormal operations list"),
        (clean_case(registry=registered(1, serious_listed=True)), "clean_credit", "serious violation list"),
        (clean_case(registry=registered(1, food_penalty_publicity=True)), "clean_credit", "penalty publicity"),
        (clean_case(registry=registered(1, food_permit_ban=True)), "clean_credit", "Art. 135"),
        (clean_case(items=("CANTEEN_SCHOOL@JY-2023",)), "low_risk_category", "CANTEEN_SCHOOL@JY-2023"),
        (clean_case(items=("CANTEEN_CHILDCARE@JY-2023",)), "low_risk_category", "high-risk items"),
        (clean_case(items=("CENTRAL_KITCHEN@JY-2023",)), "low_risk_category", "CENTRAL_KITCHEN"),
        (clean_case(items=("GROUP_MEAL_DELIVERY@JY-2023",)), "low_risk_category", "GROUP_MEAL_DELIVERY"),
        (clean_case(items=("CATERING_RAW@JY-2023",)), "low_risk_category", "CATERING_RAW"),
        (clean_case(items=("SALES_INFANT_MILK@JY-2023",)), "low_risk_category", "SALES_INFANT_MILK"),
        (clean_case(commitment_signed=False), "commitment_signed", "requires a signed commitment"),
    ],
)
def test_each_failing_rule_is_named_with_its_reason(case: AutoApprovalCase, rule: str, reason: str) -> None:
    outcome = evaluate(case, at=AT)
    assert not outcome.approved
    assert [result.rule for result in outcome.failed] == [rule]
    assert reason in outcome.failed[0].reason


def test_production_permits_are_never_automatic() -> None:
    case = clean_case(
        kind=PermitKind.SC,
        route=ApplicationRoute.ORDINARY,
        action=ApplicationAction.REISSUE,
        items=("124@SC-2015",),
        previous=PreviousPermit("SC12444030400015", uscc(1), PermitStatus.VALID, dt.date(2026, 1, 1)),
    )
    outcome = evaluate(case, at=AT)
    assert [result.rule for result in outcome.failed] == ["low_risk_category"]
    assert "never approved automatically" in outcome.failed[0].reason


def test_an_unknown_entity_fails_existence_and_credit() -> None:
    case = clean_case(registry=dataclasses.replace(registered(1), found=False))
    failed = {result.rule: result.reason for result in evaluate(case, at=AT).failed}
    assert set(failed) == {"entity_exists_and_operating", "clean_credit"}
    assert "is not in the registry (in-memory)" in failed["entity_exists_and_operating"]


def test_credit_that_cannot_be_checked_is_not_clean() -> None:
    outcome = evaluate(clean_case(registry=registered(1, food_penalty_publicity=None)), at=AT)
    assert [(r.rule, r.reason) for r in outcome.failed] == [
        ("clean_credit", "credit flags: food penalty publicity unknown (in-memory does not publish it)")
    ]


def test_several_failures_are_all_recorded() -> None:
    case = clean_case(registry=registered(1, status="DEREGISTERED", serious_listed=True), commitment_signed=False)
    failed = {result.rule for result in evaluate(case, at=AT).failed}
    assert failed == {"entity_exists_and_operating", "clean_credit", "commitment_signed"}


def test_a_prepack_filing_needs_no_site_inspection() -> None:
    need = autoapproval.site_inspection_need(
        PermitKind.PREPACK_FILING, ApplicationAction.NEW, ApplicationRoute.ORDINARY, touches_premises=True
    )
    assert need == (False, "a pre-packaged-only filing needs no site inspection")

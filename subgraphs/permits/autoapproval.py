"""Automatic approval (秒批 / 无人干预): named rules, each pass or fail with a reason (DOMAIN.md §3.7).

行政许可法 Art. 34 allows an on-the-spot decision only when no substantive verification is needed; every
rule below is machine-checkable against the applicant's declaration and a registry snapshot. The outcome
records which rules passed or failed, the rule-set version, the snapshot and the time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from subgraphs.permits import catalog
from subgraphs.permits.registry import RegistryFacts
from subgraphs.permits.vocabulary import OPERATING, ApplicationAction, ApplicationRoute, PermitKind, PermitStatus

RULESET_VERSION = "auto-approval/2026.1"
"""Bump when a rule is added, removed or changes meaning; stored with every decision."""

EXISTING = "EXISTING"
"""Registry status 存续/在业 (DOMAIN.md §2.2)."""


@dataclass(frozen=True, slots=True)
class PreviousPermit:
    """The permit a change, renewal, cancellation or reissue refers to."""

    number: str
    holder_uscc: str
    status: PermitStatus
    valid_to: dt.date | None
    """None for a filing (备案), which does not expire."""


@dataclass(frozen=True, slots=True)
class AutoApprovalCase:
    """Everything the rules may look at: the application as declared, the registry snapshot, the old permit."""

    kind: PermitKind
    action: ApplicationAction
    route: ApplicationRoute
    items: tuple[str, ...]
    touches_premises: bool
    applicant_uscc: str
    declared_name: str
    declared_legal_representative: str
    premises_region: str
    premises_in_shenzhen: bool
    commitment_signed: bool
    previous: PreviousPermit | None
    registry: RegistryFacts
    checked_on: dt.date


@dataclass(frozen=True, slots=True)
class RuleResult:
    """One rule's verdict with a reason a person can read."""

    rule: str
    passed: bool
    reason: str

    def as_record(self) -> dict[str, Any]:
        return {"rule": self.rule, "passed": self.passed, "reason": self.reason}


AutoRule = Callable[[AutoApprovalCase], RuleResult]


def site_inspection_need(
    kind: PermitKind, action: ApplicationAction, route: ApplicationRoute, touches_premises: bool
) -> tuple[bool, str]:
    """Whether an item needs on-site verification before the decision, and why (Art. 34; DOMAIN.md §3.7 item 1)."""
    if kind is PermitKind.PREPACK_FILING:
        return False, "a pre-packaged-only filing needs no site inspection"
    if action in (ApplicationAction.CANCEL, ApplicationAction.REISSUE):
        return False, f"{action.value} needs no site inspection"
    if touches_premises:
        return True, "the application changes premises, layout or process: site inspection required"
    if action in (ApplicationAction.CHANGE, ApplicationAction.RENEW):
        return False, f"{action.value} without premises changes needs no site inspection"
    if route is ApplicationRoute.COMMITMENT:
        return False, "commitment route (申请人承诺制): verification happens after approval"
    return True, "a new permit on the ordinary route requires site inspection"


def site_inspection_required(
    kind: PermitKind, action: ApplicationAction, route: ApplicationRoute, touches_premises: bool
) -> bool:
    return site_inspection_need(kind, action, route, touches_premises)[0]


def commitment_eligibility_confirmed(auto_check: dict[str, Any] | None) -> bool:
    """Whether a recorded automatic check found the applicant eligible for the commitment route (Art. 59)."""
    if not auto_check:
        return False
    results = {result["rule"]: result["passed"] for result in auto_check.get("results", [])}
    return all(results.get(rule) is True for rule in COMMITMENT_ELIGIBILITY)


def no_site_inspection_required(case: AutoApprovalCase) -> RuleResult:
    """Art. 34: items that need substantive (on-site) verification cannot be decided by a machine."""
    required, reason = site_inspection_need(case.kind, case.action, case.route, case.touches_premises)
    return RuleResult("no_site_inspection_required", not required, reason)


def entity_exists_and_operating(case: AutoApprovalCase) -> RuleResult:
    """The USCC must exist in the registry with status EXISTING (存续)."""
    name = "entity_exists_and_operating"
    if not case.registry.found:
        return RuleResult(name, False, f"{case.applicant_uscc} is not in the registry ({case.registry.source})")
    if case.registry.status != EXISTING:
        return RuleResult(name, False, f"registry status is {case.registry.status}, not {EXISTING}")
    return RuleResult(name, True, f"registered with status {EXISTING}")


def name_matches_registry(case: AutoApprovalCase) -> RuleResult:
    """The declared entity name must equal the registered name."""
    name = "name_matches_registry"
    if case.registry.name is None:
        return RuleResult(name, False, "the registry has no name to compare")
    if case.declared_name.strip() != case.registry.name.strip():
        return RuleResult(name, False, f"declared name {case.declared_name!r} ≠ registered {case.registry.name!r}")
    return RuleResult(name, True, "declared name matches the registry")


def legal_representative_matches_registry(case: AutoApprovalCase) -> RuleResult:
    """The declared legal representative must equal the registered one."""
    name = "legal_representative_matches_registry"
    registered = case.registry.legal_representative
    if registered is None:
        return RuleResult(name, False, "the registry has no legal representative to compare")
    if case.declared_legal_representative.strip() != registered.strip():
        return RuleResult(name, False, "declared legal representative differs from the registry")
    return RuleResult(name, True, "declared legal representative matches the registry")


def premises_in_shenzhen(case: AutoApprovalCase) -> RuleResult:
    """The premises must lie in a Shenzhen bureau's area: its district's GB/T 2260 code, or, in 海丰县 (441521), one of
    深汕特别合作区's four towns named in the address (DOMAIN.md §9)."""
    name = "premises_in_shenzhen"
    if not case.premises_in_shenzhen:
        return RuleResult(name, False, f"premises in region {case.premises_region} are not in a Shenzhen bureau's area")
    return RuleResult(name, True, f"premises region {case.premises_region} is in Shenzhen")


def previous_permit_valid(case: AutoApprovalCase) -> RuleResult:
    """A change, renewal, cancellation or reissue needs the holder's own permit, still VALID and unexpired."""
    name = "previous_permit_valid"
    previous = case.previous
    if case.action is ApplicationAction.NEW:
        return RuleResult(name, True, "a new permit refers to no previous permit")
    if previous is None:
        return RuleResult(name, False, f"{case.action.value} names no previous permit")
    if previous.holder_uscc != case.applicant_uscc:
        return RuleResult(name, False, f"permit {previous.number} is held by another entity")
    if previous.status not in OPERATING:
        return RuleResult(name, False, f"permit {previous.number} is {previous.status.value}")
    if previous.valid_to is None:
        return RuleResult(name, True, f"filing {previous.number} is in force (a filing has no validity period)")
    if previous.valid_to < case.checked_on:
        return RuleResult(name, False, f"permit {previous.number} expired on {previous.valid_to}")
    return RuleResult(name, True, f"permit {previous.number} is valid until {previous.valid_to}")


def clean_credit(case: AutoApprovalCase) -> RuleResult:
    """Not on the abnormal or serious list, no food penalty publicity, no Art. 135 ban (深圳信用条例 Art. 59)."""
    name = "clean_credit"
    facts = case.registry
    flags = [
        label
        for label, raised in (
            ("abnormal operations list (经营异常名录)", facts.abnormal_listed),
            ("serious violation list (严重违法失信名单)", facts.serious_listed),
            ("unexpired food penalty publicity", facts.food_penalty_publicity),
            ("Food Safety Law Art. 135 ban", facts.food_permit_ban),
        )
        if raised
    ]
    if not facts.found:
        return RuleResult(name, False, "no registry record to check credit against")
    if facts.food_penalty_publicity is None:
        flags.append(f"food penalty publicity unknown ({facts.source} does not publish it)")
    if flags:
        return RuleResult(name, False, "credit flags: " + "; ".join(flags))
    return RuleResult(name, True, "no credit flags")


def low_risk_category(case: AutoApprovalCase) -> RuleResult:
    """No SC permit, no high-risk item (school/childcare canteens, central kitchens, group meals, raw, special)."""
    name = "low_risk_category"
    if case.kind is PermitKind.SC:
        return RuleResult(name, False, "production permits (SC) are never approved automatically")
    risky = [code for code in case.items if catalog.item(code).high_risk]
    if risky:
        return RuleResult(name, False, "high-risk items: " + ", ".join(risky))
    return RuleResult(name, True, "all items are low-risk")


def commitment_signed(case: AutoApprovalCase) -> RuleResult:
    """The commitment route requires a signed 告知承诺 (深圳信用条例 Art. 57–64)."""
    name = "commitment_signed"
    if case.route is not ApplicationRoute.COMMITMENT:
        return RuleResult(name, True, "the ordinary route needs no commitment")
    if not case.commitment_signed:
        return RuleResult(name, False, "the commitment route requires a signed commitment (告知承诺)")
    return RuleResult(name, True, "signed commitment on file")


COMMITMENT_ELIGIBILITY: frozenset[str] = frozenset({"clean_credit"})
"""Rules whose failure closes the commitment route (深圳信用条例 Art. 59): the applicant goes the ordinary route."""


RULES: tuple[AutoRule, ...] = (
    no_site_inspection_required,
    entity_exists_and_operating,
    name_matches_registry,
    legal_representative_matches_registry,
    premises_in_shenzhen,
    previous_permit_valid,
    clean_credit,
    low_risk_category,
    commitment_signed,
)
"""The rule set of :data:`RULESET_VERSION`, in evaluation order; every rule always runs."""


@dataclass(frozen=True, slots=True)
class AutoApprovalOutcome:
    """The engine's verdict: approved only when every rule passed."""

    ruleset_version: str
    results: tuple[RuleResult, ...]
    snapshot: RegistryFacts
    evaluated_at: dt.datetime

    @property
    def approved(self) -> bool:
        return all(result.passed for result in self.results)

    @property
    def failed(self) -> tuple[RuleResult, ...]:
        return tuple(result for result in self.results if not result.passed)

    @property
    def commitment_bars(self) -> tuple[RuleResult, ...]:
        """The failed rules that make the applicant ineligible for the commitment route."""
        return tuple(result for result in self.failed if result.rule in COMMITMENT_ELIGIBILITY)

    def as_record(self) -> dict[str, Any]:
        """What is stored with the decision (DOMAIN.md §3.7 item 6)."""
        return {
            "rulesetVersion": self.ruleset_version,
            "approved": self.approved,
            "results": [result.as_record() for result in self.results],
            "snapshot": self.snapshot.as_snapshot(),
            "evaluatedAt": self.evaluated_at.isoformat(),
        }


def evaluate(case: AutoApprovalCase, *, at: dt.datetime, rules: tuple[AutoRule, ...] = RULES) -> AutoApprovalOutcome:
    """Run every rule on ``case``; pure, so the same case always gives the same verdict."""
    return AutoApprovalOutcome(
        ruleset_version=RULESET_VERSION,
        results=tuple(rule(case) for rule in rules),
        snapshot=case.registry,
        evaluated_at=at,
    )

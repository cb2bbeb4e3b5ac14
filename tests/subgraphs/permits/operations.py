"""GraphQL documents the permits tests send, and the inputs they start from."""

from __future__ import annotations

from typing import Any

from tests.subgraphs.permits.conftest import uscc

APPLICATION = """
fragment A on PermitApplication {
  id state kind action route applicantUscc receivedOn materialsDueOn missingMaterials acceptedOn deemedAccepted
  decisionDueOn decisionExtended siteCheckDueOn decision
  decidedOn decidedBy decisionReason
  excludedTime { kind startsOn endsOn workingDays applicantNotifiedOn reason recordedBy rule }
  certificateDueOn certificateIssuedOn renewalTiming decisionOverdue certificateOverdue
  ruleVersions siteCheckRequired allowedNextStates
  siteCheck { inspectors passed findings on }
  autoCheck { rulesetVersion approved evaluatedAt results { rule passed reason }
              snapshot { uscc found source name status legalRepresentative seriousListed foodPenaltyPublicity } }
  transitions { fromState toState actor at reason }
  permit { id number kind status validFrom validTo renewals previousValidTo holderUscc }
  verificationTask { taskType subjectUscc dueOn ruleVersion status }
  items { code codeList name highRisk }
}
"""

SUBMIT = (
    APPLICATION
    + """
mutation($input: PermitApplicationInput!, $draft: Boolean! = false, $auto: Boolean! = false) {
  submitPermitApplication(input: $input, draft: $draft, autoApprove: $auto) { application { ...A } }
}
"""
)


def step(name: str, arguments: str = "", declarations: str = "") -> str:
    """A mutation ``name(id: $id, …)`` returning the application fragment."""
    return (
        APPLICATION + f"mutation($id: ID!{declarations}) {{ {name}(id: $id{arguments}) {{ application {{ ...A }} }} }}"
    )


SUBMIT_DRAFT = step("submitDraft")
ACCEPT = step("acceptApplication")
AUTO_CHECK = step("autoCheckApplication")
REQUEST_MATERIALS = step("requestMaterials", ", missing: $missing", ", $missing: [String!]!")
RESUBMIT = step("resubmit")
SITE_CHECK = step(
    "recordSiteCheck",
    ", inspectors: $inspectors, passed: $passed, findings: $findings",
    ', $inspectors: [String!]!, $passed: Boolean!, $findings: String! = ""',
)
EXTEND = step("extendDecisionDeadline", ", reason: $reason", ", $reason: String!")
DECIDE = step(
    "decideApplication", ", approve: $approve, reason: $reason", ', $approve: Boolean!, $reason: String! = ""'
)
ISSUE = step("issueCertificate")
EXCLUDE = step("recordExcludedTime", ", input: $input", ", $input: ExcludedTimeInput!")
GET_APPLICATION = APPLICATION + "query($id: ID!) { permitApplication(id: $id) { ...A } }"

RENEW = (
    APPLICATION
    + """
mutation($id: ID!, $input: RenewPermitInput!, $auto: Boolean! = false) {
  renewPermit(permitId: $id, input: $input, autoApprove: $auto) { application { ...A } }
}
"""
)

PERMIT = "id number kind holderUscc holderName businessForm status validFrom validTo renewals premisesRegion"
RECORD = f"mutation($input: RecordPermitInput!) {{ recordPermit(input: $input) {{ permit {{ {PERMIT} }} }} }}"


def catering(serial: int = 1, **changes: Any) -> dict[str, Any]:
    """A new catering operating permit application in 福田 (commitment route off by default)."""
    values: dict[str, Any] = {
        "kind": "JY",
        "applicantUscc": uscc(serial),
        "applicantName": f"深圳市测试餐饮有限公司{serial}",
        "legalRepresentative": "张三",
        "premisesAddress": "广东省深圳市福田区华强北街道振兴路1号",
        "premisesRegion": "440304",
        "items": ["CATERING_HOT", "CATERING_DRINKS"],
        "businessForm": 2,
    }
    values.update(changes)
    return values


def legacy_permit(serial: int = 1, **changes: Any) -> dict[str, Any]:
    """A JY permit issued by a legacy system, valid 2021-03-01 to 2026-02-28."""
    values: dict[str, Any] = {
        "kind": "JY",
        "number": f"JY24403040{serial:05d}7",
        "holderUscc": uscc(serial),
        "holderName": f"深圳市测试餐饮有限公司{serial}",
        "premisesAddress": "广东省深圳市福田区华强北街道振兴路1号",
        "premisesRegion": "440304",
        "items": ["CATERING_HOT@JY-2015"],
        "validFrom": "2021-03-01",
        "validTo": "2026-02-28",
    }
    values.update(changes)
    return values

"""GraphQL types of the permits subgraph: ``Permit @key(id) @key(number)``, applications, the ``MarketEntity`` stub."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import strawberry

from subgraphs.common.context import RequestContext
from subgraphs.common.fields import field
from subgraphs.common.rules import RuleNotFound
from subgraphs.permits import catalog
from subgraphs.permits.applications import site_check_required
from subgraphs.permits.changes import ChangeTiming
from subgraphs.permits.deadlines import RenewalTiming, renewal_window
from subgraphs.permits.excluded_time import ExcludedTimeKind
from subgraphs.permits.loaders import PermitLoaders
from subgraphs.permits.models import (
    PermitApplicationRow,
    PermitRow,
    PermitStatusChangeRow,
    PermitTransitionRow,
    PermitVerificationTaskRow,
)
from subgraphs.permits.services import PermitServices
from subgraphs.permits.vocabulary import ApplicationAction, ApplicationRoute, PermitKind, PermitStatus
from subgraphs.permits.workflow import DECISION_OWED, ApplicationState, allowed_next

Info = strawberry.Info[RequestContext[PermitLoaders, PermitServices], None]

for _enum in (PermitKind, PermitStatus, ApplicationAction, ApplicationRoute, ApplicationState, RenewalTiming):
    strawberry.enum(_enum)  # registers the domain enum as a GraphQL enum of the same name, in place


@strawberry.type(description="One operating item (经营项目) or food category, from a versioned code list.")
class OperatingItem:
    code: str
    code_list: str = strawberry.field(description="Code-list version, e.g. JY-2023 or SC-2015.")
    name: str
    high_risk: bool = strawberry.field(description="Excluded from automatic approval (DOMAIN.md §3.7).")

    @classmethod
    def of(cls, qualified: str) -> OperatingItem:
        entry = catalog.item(qualified)
        return cls(code=entry.code, code_list=qualified.partition("@")[2], name=entry.name, high_risk=entry.high_risk)


@strawberry.type(description="A legal rule version a date was computed from.")
class RuleReference:
    version: str
    basis: str
    certainty: str


@strawberry.type(description="When this permit may be renewed (JY: 90–15 working days before expiry; SC: ≥ 30).")
class RenewalWindow:
    opens_on: dt.date | None
    due_by: dt.date
    expires_on: dt.date
    rules: list[RuleReference]
    provisional: bool = strawberry.field(
        description="The window counts working days past the last published State Council holiday notice, Monday to "
        "Friday only: provisional until the calendar data covers the expiry year."
    )


@strawberry.federation.type(keys=["uscc"], description="A market entity (市场主体), owned by the entities subgraph.")
class MarketEntity:
    uscc: str

    @field(description="Food permits, filings and registrations this entity holds in your jurisdiction, by number.")
    async def permits(self, info: Info) -> list[Permit] | None:
        return [Permit.from_row(row) for row in await info.context.loaders.by_holder.load(self.uscc)]

    @classmethod
    def resolve_reference(cls, uscc: str) -> MarketEntity:
        return cls(uscc=uscc)

    @classmethod
    def resolve_references(cls, info: Info, keys: list[dict[str, Any]]) -> list[MarketEntity]:
        return [cls(uscc=str(key["uscc"])) for key in keys]


@strawberry.type(description="One change of a permit's status: who, when, from, to, why.")
class PermitStatusChange:
    from_status: PermitStatus
    to_status: PermitStatus
    actor: str
    at: dt.datetime
    reason: str | None

    @classmethod
    def from_row(cls, row: PermitStatusChangeRow) -> PermitStatusChange:
        return cls(
            from_status=PermitStatus(row.from_status),
            to_status=PermitStatus(row.to_status),
            actor=row.actor,
            at=row.at,
            reason=row.reason,
        )


@strawberry.federation.type(
    keys=["id", "number"],
    description="A food operating/production permit, pre-packaged filing, or workshop/stall registration.",
    authenticated=True,
)
class Permit:
    id: strawberry.ID
    number: str
    kind: PermitKind
    holder_uscc: str
    holder_name: str
    business_form: int | None = strawberry.field(description="主体业态: 1 sales, 2 catering, 3 canteen [U].")
    premises_address: str
    premises_region: str
    issuing_org: str
    valid_from: dt.date
    valid_to: dt.date | None = strawberry.field(
        description="Last day of validity (inclusive); null for a filing (备案, PREPACK_FILING): a filing has no "
        "validity period, renewal window or expiry (食品安全法 Art. 35 makes it a filing, not a permit)."
    )
    validity_rule: str
    status: PermitStatus
    status_reason: str | None
    renewals: int
    previous_valid_to: dt.date | None
    item_codes: strawberry.Private[list[str]]

    @classmethod
    def from_row(cls, row: PermitRow) -> Permit:
        return cls(
            id=strawberry.ID(row.id),
            number=row.number,
            kind=PermitKind(row.kind),
            holder_uscc=row.holder_uscc,
            holder_name=row.holder_name,
            business_form=row.business_form,
            premises_address=row.premises_address,
            premises_region=row.premises_region,
            issuing_org=row.issuing_org,
            valid_from=row.valid_from,
            valid_to=row.valid_to,
            validity_rule=row.validity_rule,
            status=PermitStatus(row.status),
            status_reason=row.status_reason,
            renewals=row.renewals,
            previous_valid_to=row.previous_valid_to,
            item_codes=list(row.items),
        )

    @field(description="The holder, resolved by the entities subgraph.")
    def holder(self) -> MarketEntity | None:
        return MarketEntity(uscc=self.holder_uscc)

    @field(description="Operating items or food categories.")
    def items(self) -> list[OperatingItem]:
        return [OperatingItem.of(code) for code in self.item_codes]

    @field(description="The renewal window in working days; null where no renewal rule covers this expiry date.")
    def renewal_window(self, info: Info) -> RenewalWindow | None:
        if self.valid_to is None:
            return None
        try:
            window = renewal_window(info.context.services.periods, self.kind, self.valid_to)
        except RuleNotFound:
            return None
        return RenewalWindow(
            opens_on=window.opens_on,
            due_by=window.due_by,
            expires_on=window.expires_on,
            rules=[RuleReference(version=r.version, basis=r.basis, certainty=r.certainty) for r in window.rules],
            provisional=info.context.services.periods.calendar.is_provisional(window.expires_on),
        )

    @field(description="Every status change, oldest first (suspensions, revocation, cancellation, expiry, renewal).")
    async def status_history(self, info: Info) -> list[PermitStatusChange]:
        rows = await info.context.loaders.status_changes.load(str(self.id))
        return [PermitStatusChange.from_row(row) for row in rows]

    @field(
        description="The renewal (延续) applied for and not yet decided; null where none. One applied for in time and "
        "undecided at expiry is deemed granted (行政许可法 Art. 50): the permit becomes DEEMED_RENEWED, not EXPIRED."
    )
    async def pending_renewal(self, info: Info) -> PermitApplication | None:
        row = await info.context.loaders.open_renewals.load(str(self.id))
        return PermitApplication.from_row(row) if row else None

    @classmethod
    async def resolve_references(cls, info: Info, keys: list[dict[str, Any]]) -> list[Permit | None]:
        """One loader batch per key kind (id, number) for every ``Permit`` representation of an ``_entities`` call."""
        loaders = info.context.loaders
        by_id = [str(key["id"]) for key in keys if "id" in key]
        by_number = [str(key["number"]) for key in keys if "id" not in key]
        ids, numbers = await asyncio.gather(loaders.by_id.load_many(by_id), loaders.by_number.load_many(by_number))
        next_id, next_number = iter(ids).__next__, iter(numbers).__next__
        rows = [next_id() if "id" in key else next_number() for key in keys]
        return [None if row is None else cls.from_row(row) for row in rows]

    @classmethod
    async def resolve_reference(cls, info: Info, **key: Any) -> Permit | None:
        if "id" in key:
            row = await info.context.loaders.by_id.load(str(key["id"]))
        else:
            row = await info.context.loaders.by_number.load(str(key["number"]))
        return cls.from_row(row) if row else None


@strawberry.type(description="One recorded move of an application: who, when, from, to, why.")
class ApplicationTransition:
    from_state: ApplicationState | None
    to_state: ApplicationState
    actor: str
    at: dt.datetime
    reason: str | None

    @classmethod
    def from_row(cls, row: PermitTransitionRow) -> ApplicationTransition:
        return cls(
            from_state=ApplicationState(row.from_state) if row.from_state else None,
            to_state=ApplicationState(row.to_state),
            actor=row.actor,
            at=row.at,
            reason=row.reason,
        )


@strawberry.type(description="On-site verification (现场核查) by at least two officials (行政许可法 Art. 34).")
class SiteCheck:
    inspectors: list[str]
    passed: bool
    findings: str
    on: dt.date


@strawberry.type(description="One automatic-approval rule's verdict.")
class AutoRuleResult:
    rule: str
    passed: bool
    reason: str


@strawberry.type(description="The registry facts the automatic check saw (snapshot kept with the decision).")
class RegistrySnapshot:
    uscc: str
    found: bool
    source: str
    fetched_at: dt.datetime
    name: str | None
    status: str | None
    legal_representative: str | None
    abnormal_listed: bool
    serious_listed: bool
    food_penalty_publicity: bool | None
    food_permit_ban: bool = strawberry.field(
        description="食品安全法 Art. 135 ban on the person running the applicant (¶1: 5 years; ¶2: for life)."
    )
    food_safety_bans: list[str] = strawberry.field(
        default_factory=list, description="Each Art. 135 ban the registry reported, as a person reads it."
    )


@strawberry.type(description="The automatic-approval (秒批) record: rules, rule-set version, snapshot, time.")
class AutoCheck:
    ruleset_version: str
    approved: bool
    results: list[AutoRuleResult]
    snapshot: RegistrySnapshot
    evaluated_at: dt.datetime

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> AutoCheck:
        snapshot = dict(record["snapshot"])
        snapshot["fetched_at"] = dt.datetime.fromisoformat(snapshot["fetched_at"])
        return cls(
            ruleset_version=record["rulesetVersion"],
            approved=record["approved"],
            results=[AutoRuleResult(**result) for result in record["results"]],
            snapshot=RegistrySnapshot(**snapshot),
            evaluated_at=dt.datetime.fromisoformat(record["evaluatedAt"]),
        )


@strawberry.type(description="POST_APPROVAL_VERIFY task owed after an automatic approval (DOMAIN.md §3.7 item 5).")
class VerificationTask:
    id: strawberry.ID
    task_type: str
    subject_uscc: str
    due_on: dt.date
    rule_version: str
    status: str

    @classmethod
    def from_row(cls, row: PermitVerificationTaskRow) -> VerificationTask:
        return cls(
            id=strawberry.ID(row.id),
            task_type=row.task_type,
            subject_uscc=row.subject_uscc,
            due_on=row.due_on,
            rule_version=row.rule_version,
            status=row.status,
        )


strawberry.enum(
    ExcludedTimeKind, description="What 行政许可法 Art. 45 leaves out of the decision period (听证、检测、专家评审…)."
)


@strawberry.type(description="A period left out of the decision period (行政许可法 Art. 45), told to the applicant.")
class ExcludedPeriod:
    kind: ExcludedTimeKind
    starts_on: dt.date
    ends_on: dt.date
    working_days: int = strawberry.field(description="Working days the period covers: the decision moves that far.")
    applicant_notified_on: dt.date = strawberry.field(description="Date of the written notice to the applicant.")
    reason: str
    recorded_by: str
    rule: str

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> ExcludedPeriod:
        return cls(
            kind=ExcludedTimeKind(record["kind"]),
            starts_on=dt.date.fromisoformat(record["startsOn"]),
            ends_on=dt.date.fromisoformat(record["endsOn"]),
            working_days=int(record["workingDays"]),
            applicant_notified_on=dt.date.fromisoformat(record["applicantNotifiedOn"]),
            reason=record["reason"],
            recorded_by=record["recordedBy"],
            rule=record["rule"],
        )


@strawberry.federation.type(
    description="A permit application through DRAFT → SUBMITTED → … → CERT_ISSUED (DOMAIN.md §10.2).",
    authenticated=True,
)
class PermitApplication:
    id: strawberry.ID
    kind: PermitKind
    action: ApplicationAction
    route: ApplicationRoute
    state: ApplicationState
    applicant_uscc: str
    applicant_name: str
    legal_representative: str
    business_form: int | None
    premises_address: str
    premises_region: str
    touches_premises: bool
    commitment_signed: bool
    received_on: dt.date | None
    materials_due_on: dt.date | None = strawberry.field(description="5 working days from receipt (Art. 32).")
    missing_materials: list[str]
    accepted_on: dt.date | None
    deemed_accepted: bool
    decision_due_on: dt.date | None = strawberry.field(
        description="From acceptance by the kind's rules, plus the one extension, plus excludedTime's working days."
    )
    decision_extended: bool
    changed_on: dt.date | None = strawberry.field(description="CHANGE: the day the permitted matter changed.")
    change_due_on: dt.date | None = strawberry.field(
        description="CHANGE: the last day to apply, 10 working days after changedOn (JY/SC measures)."
    )
    change_late: bool = strawberry.field(
        description="CHANGE: applied for after changeDueOn — taken, and recorded as late for the bureau to act on."
    )
    excluded_time: list[ExcludedPeriod] = strawberry.field(
        description="Hearings, testing, expert review… left out of the decision period (行政许可法 Art. 45)."
    )
    site_check_due_on: dt.date | None = strawberry.field(description="SC (2020 rules): 5 wd from assignment.")
    site_check: SiteCheck | None
    auto_check: AutoCheck | None
    decision: ApplicationState | None
    decided_on: dt.date | None
    decided_by: str | None
    decision_reason: str | None
    certificate_due_on: dt.date | None
    certificate_issued_on: dt.date | None
    renewal_timing: RenewalTiming | None
    rule_versions: list[str]
    site_check_required: bool
    allowed_next_states: list[ApplicationState]
    created_at: dt.datetime
    permit_id: strawberry.Private[str | None]
    item_codes: strawberry.Private[list[str]]

    @classmethod
    def from_row(cls, row: PermitApplicationRow) -> PermitApplication:
        state = ApplicationState(row.state)
        site = row.site_check
        return cls(
            id=strawberry.ID(row.id),
            kind=PermitKind(row.kind),
            action=ApplicationAction(row.action),
            route=ApplicationRoute(row.route),
            state=state,
            applicant_uscc=row.applicant_uscc,
            applicant_name=row.applicant_name,
            legal_representative=row.legal_representative,
            business_form=row.business_form,
            premises_address=row.premises_address,
            premises_region=row.premises_region,
            touches_premises=row.touches_premises,
            commitment_signed=row.commitment_signed,
            received_on=row.received_on,
            materials_due_on=row.materials_due_on,
            missing_materials=list(row.missing_materials),
            accepted_on=row.accepted_on,
            deemed_accepted=row.deemed_accepted,
            decision_due_on=row.decision_due_on,
            decision_extended=row.decision_extended,
            changed_on=row.changed_on,
            change_due_on=row.change_due_on,
            change_late=row.change_timing == ChangeTiming.LATE.value,
            excluded_time=[ExcludedPeriod.from_record(period) for period in row.excluded_time or ()],
            site_check_due_on=row.site_check_due_on,
            site_check=SiteCheck(
                inspectors=list(site["inspectors"]),
                passed=bool(site["passed"]),
                findings=str(site["findings"]),
                on=dt.date.fromisoformat(site["on"]),
            )
            if site
            else None,
            auto_check=AutoCheck.from_record(row.auto_check) if row.auto_check else None,
            decision=ApplicationState(row.decision) if row.decision else None,
            decided_on=row.decided_on,
            decided_by=row.decided_by,
            decision_reason=row.decision_reason,
            certificate_due_on=row.certificate_due_on,
            certificate_issued_on=row.certificate_issued_on,
            renewal_timing=RenewalTiming(row.renewal_timing) if row.renewal_timing else None,
            rule_versions=list(row.rule_versions),
            site_check_required=site_check_required(row),
            allowed_next_states=list(allowed_next(state)),
            created_at=row.created_at,
            permit_id=row.permit_id,
            item_codes=list(row.items),
        )

    @field(
        description="Some deadline of this application (materials, site check, decision, certificate) falls past the "
        "last published State Council holiday notice, so it was counted Monday to Friday only and is provisional; "
        "false once the calendar data covers that year."
    )
    def deadlines_provisional(self, info: Info) -> bool:
        calendar = info.context.services.periods.calendar
        due = (self.materials_due_on, self.site_check_due_on, self.decision_due_on, self.certificate_due_on)
        return any(day is not None and calendar.is_provisional(day) for day in due)

    @field(description="The decision is still owed and its deadline has passed (Art. 42).")
    def decision_overdue(self, info: Info) -> bool:
        due = self.decision_due_on
        return self.state in DECISION_OWED and due is not None and info.context.services.today() > due

    @field(description="The certificate is still owed and its deadline has passed (Art. 44).")
    def certificate_overdue(self, info: Info) -> bool:
        due = self.certificate_due_on
        return self.state is ApplicationState.APPROVED and due is not None and info.context.services.today() > due

    @field(description="The applicant, resolved by the entities subgraph.")
    def applicant(self) -> MarketEntity | None:
        return MarketEntity(uscc=self.applicant_uscc)

    @strawberry.field
    def items(self) -> list[OperatingItem]:
        return [OperatingItem.of(code) for code in self.item_codes]

    @field(description="The permit acted on, or the one issued.")
    async def permit(self, info: Info) -> Permit | None:
        if self.permit_id is None:
            return None
        row = await info.context.loaders.by_id.load(self.permit_id)
        return Permit.from_row(row) if row else None

    @field(description="Every recorded move, oldest first.")
    async def transitions(self, info: Info) -> list[ApplicationTransition]:
        rows = await info.context.loaders.transitions.load(str(self.id))
        return [ApplicationTransition.from_row(row) for row in rows]

    @field(description="The post-approval verification task, after an automatic approval.")
    async def verification_task(self, info: Info) -> VerificationTask | None:
        row = await info.context.loaders.verification_tasks.load(str(self.id))
        return VerificationTask.from_row(row) if row else None

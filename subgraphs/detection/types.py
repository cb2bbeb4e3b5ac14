"""GraphQL types of the detection subgraph: devices, ``KitchenAlert @key(id)``, quick tests, samples and reports, and
what it adds to ``MarketEntity``."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import strawberry

from inference.taxonomy import Category
from subgraphs.common.context import RequestContext
from subgraphs.common.fields import field
from subgraphs.detection.loaders import DetectionLoaders
from subgraphs.detection.models import (
    AlertTransitionRow,
    CameraRow,
    DeviceRow,
    KitchenAlertRow,
    LabReportRow,
    QuickTestRow,
    SampleRow,
)
from subgraphs.detection.services import DetectionServices
from subgraphs.detection.vocabulary import (
    ALERT_TRANSITIONS,
    AlertState,
    DeviceKind,
    QuickTestOutcome,
    SampleState,
    Verdict,
)

Info = strawberry.Info[RequestContext[DetectionLoaders, DetectionServices], None]

for _enum in (DeviceKind, AlertState, QuickTestOutcome, Verdict, SampleState):
    strawberry.enum(_enum)
AlertCategory = strawberry.enum(Category, name="AlertCategory", description="明厨亮灶 violation categories (§7.1).")


@strawberry.type(description="An edge device registered to premises.")
class Device:
    id: strawberry.ID
    kind: DeviceKind
    uscc: str
    label: str
    premises_address: str
    district_code: str | None
    station_code: str | None
    opens: dt.time
    closes: dt.time
    active: bool

    @classmethod
    def from_row(cls, row: DeviceRow) -> Device:
        return cls(
            id=strawberry.ID(row.id),
            kind=DeviceKind(row.kind),
            uscc=row.uscc,
            label=row.label,
            premises_address=row.premises_address,
            district_code=row.district_code,
            station_code=row.station_code,
            opens=row.opens,
            closes=row.closes,
            active=row.active,
        )


@strawberry.type(description="A kitchen camera behind an edge box.")
class Camera:
    id: strawberry.ID
    device_id: strawberry.ID
    uscc: str
    location: str

    @classmethod
    def from_row(cls, row: CameraRow) -> Camera:
        return cls(
            id=strawberry.ID(row.id), device_id=strawberry.ID(row.device_id), uscc=row.uscc, location=row.location
        )


@strawberry.type(description="Where in the frame (fractions of its width and height) and how sure.")
class Box:
    x: float
    y: float
    w: float
    h: float
    confidence: float


@strawberry.type(description="One move of an alert: who, when, from, to, why.")
class AlertTransition:
    from_state: AlertState | None
    to_state: AlertState
    actor: str
    at: dt.datetime
    reason: str | None

    @classmethod
    def from_row(cls, row: AlertTransitionRow) -> AlertTransition:
        return cls(
            from_state=AlertState(row.from_state) if row.from_state else None,
            to_state=AlertState(row.to_state),
            actor=row.actor,
            at=row.at,
            reason=row.reason,
        )


@strawberry.type(description="A photo of a rectification: where it is kept and its sha256.")
class Photo:
    ref: str
    sha256: str


@strawberry.type(description="The operator's rectification report (整改报告).")
class Rectification:
    statement: str
    photos: list[Photo]
    submitted_at: dt.datetime
    by: str


@strawberry.federation.type(
    keys=["id"], description="A possible kitchen violation on its §7.2 loop; a lead, never a penalty."
)
class KitchenAlert:
    id: strawberry.ID
    state: AlertState
    category: Category
    confidence: float
    boxes: list[Box]
    camera_id: str
    device_id: str
    uscc: str
    captured_at: dt.datetime
    frame_sha256: str
    frame_ref: str
    model_name: str
    model_version: str
    reviewed_by: str | None
    review_note: str | None
    evidence_sha256: str | None = strawberry.field(description="The frame's hash sealed at confirmation (固证).")
    sealed_at: dt.datetime | None
    rectify_by: dt.date | None = strawberry.field(description="The notice's deadline (整改期限), inclusive.")
    rectification: Rectification | None
    verification_note: str | None
    escalation_reason: str | None
    allowed_next_states: list[AlertState]
    loaded_transitions: strawberry.Private[list[AlertTransition] | None] = None
    """The moves, when read with the alert (a subscription's event: no request session to load them from)."""

    @field(description="Every move, oldest first.")
    async def transitions(self, info: Info) -> list[AlertTransition]:
        if self.loaded_transitions is not None:
            return self.loaded_transitions
        return [AlertTransition.from_row(row) for row in await info.context.loaders.transitions.load(str(self.id))]

    @field(description="The market entity whose premises the camera watches (its registration: the entities subgraph).")
    def entity(self) -> MarketEntity | None:
        return MarketEntity(uscc=self.uscc)

    @classmethod
    def from_row(cls, row: KitchenAlertRow) -> KitchenAlert:
        rect = row.rectification
        return cls(
            id=strawberry.ID(row.id),
            state=AlertState(row.state),
            category=Category(row.category),
            confidence=row.confidence,
            boxes=[Box(**box) for box in row.boxes],
            camera_id=row.camera_id,
            device_id=row.device_id,
            uscc=row.uscc,
            captured_at=row.captured_at,
            frame_sha256=row.frame_sha256,
            frame_ref=row.frame_ref,
            model_name=row.model_name,
            model_version=row.model_version,
            reviewed_by=row.reviewed_by,
            review_note=row.review_note,
            evidence_sha256=row.evidence_sha256,
            sealed_at=row.sealed_at,
            rectify_by=row.rectify_by,
            rectification=None
            if rect is None
            else Rectification(
                statement=rect["statement"],
                photos=[Photo(**p) for p in rect["photos"]],
                submitted_at=dt.datetime.fromisoformat(rect["submittedAt"]),
                by=rect["by"],
            ),
            verification_note=row.verification_note,
            escalation_reason=row.escalation_reason,
            allowed_next_states=list(ALERT_TRANSITIONS[AlertState(row.state)]),
        )

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> KitchenAlert | None:
        row = await info.context.loaders.alerts.load(str(id))
        return None if row is None else cls.from_row(row)


@strawberry.type(description="A quick-test reading (快检): a screening result; POSITIVE is a lead for a lab test.")
class QuickTest:
    id: strawberry.ID
    device_id: str
    seq: int
    uscc: str
    sample_name: str
    item: str
    value: float
    unit: str
    outcome: QuickTestOutcome
    tested_at: dt.datetime
    objection_until: dt.datetime = strawberry.field(description="Re-test may be asked until then (Art. 88 ¶2: 4 h).")
    lab_test_required: bool

    @classmethod
    def from_row(cls, row: QuickTestRow) -> QuickTest:
        return cls(
            id=strawberry.ID(row.id),
            device_id=row.device_id,
            seq=row.seq,
            uscc=row.uscc,
            sample_name=row.sample_name,
            item=row.item,
            value=row.value,
            unit=row.unit,
            outcome=QuickTestOutcome(row.outcome),
            tested_at=row.tested_at,
            objection_until=row.objection_until,
            lab_test_required=row.outcome == QuickTestOutcome.POSITIVE.value,
        )


@strawberry.type(description="One tested item, judged against the limit in force on the sampling date.")
class TestedItem:
    analyte: str
    value: float
    unit: str
    value_in_limit_unit: float
    limit: float
    limit_unit: str
    limit_rule: str = strawberry.field(description="The limit rule's id: standard, edition, analyte and food.")
    standard: str
    edition: str
    judged_on: dt.date
    verdict: Verdict


@strawberry.type(name="TestReport", description="A lab's test report (检验报告) with its verdict (合格 / 不合格).")
class LabReport:
    id: strawberry.ID
    report_no: str
    concluded_on: dt.date
    conclusion: Verdict
    items: list[TestedItem]
    served_on: dt.date | None
    retest_by: dt.date | None = strawberry.field(description="复检 may be asked until then (7 working days).")
    objection_by: dt.date | None = strawberry.field(description="异议 may be raised until then (7 working days).")

    @classmethod
    def from_row(cls, row: LabReportRow) -> LabReport:
        return cls(
            id=strawberry.ID(row.id),
            report_no=row.report_no,
            concluded_on=row.concluded_on,
            conclusion=Verdict(row.conclusion),
            items=[
                TestedItem(
                    **{
                        **item,
                        "judged_on": dt.date.fromisoformat(item["judged_on"]),
                        "verdict": Verdict(item["verdict"]),
                    }
                )
                for item in row.items
            ],
            served_on=row.served_on,
            retest_by=row.retest_by,
            objection_by=row.objection_by,
        )


@strawberry.type(description="A sample taken at premises (抽样) with its windows in working days.")
class Sample:
    id: strawberry.ID
    task_id: str
    sampling_no: str
    uscc: str
    food_name: str
    category_code: str
    sampled_on: dt.date
    lab: str
    deliver_by: dt.date = strawberry.field(description="At the lab within 5 working days (Art. 20).")
    received_by_lab_on: dt.date | None
    report_due_on: dt.date | None = strawberry.field(description="Report within 20 working days of receipt (Art. 24).")
    state: SampleState

    @field(description="The test report, once recorded.")
    async def report(self, info: Info) -> LabReport | None:
        row = await info.context.loaders.reports.load(str(self.id))
        return None if row is None else LabReport.from_row(row)

    @classmethod
    def from_row(cls, row: SampleRow) -> Sample:
        return cls(
            id=strawberry.ID(row.id),
            task_id=row.task_id,
            sampling_no=row.sampling_no,
            uscc=row.uscc,
            food_name=row.food_name,
            category_code=row.category_code,
            sampled_on=row.sampled_on,
            lab=row.lab,
            deliver_by=row.deliver_by,
            received_by_lab_on=row.received_by_lab_on,
            report_due_on=row.report_due_on,
            state=SampleState(row.state),
        )


@strawberry.type(description="Alerts of one category at an entity: how many, how many confirmed.")
class AlertCount:
    category: Category
    alerts: int
    confirmed: int


CONFIRMED_STATES = frozenset(
    {
        AlertState.CONFIRMED,
        AlertState.NOTICE_ISSUED,
        AlertState.RECTIFICATION_SUBMITTED,
        AlertState.CLOSED,
        AlertState.ESCALATED,
    }
)


@strawberry.type(description="Per-category kitchen statistics and the kitchen score a public app would show.")
class KitchenStatistics:
    by_category: list[AlertCount]
    score: int = strawberry.field(
        description="100 minus 5 per confirmed alert and 10 more per escalated one, never below 0."
    )


@strawberry.federation.type(keys=["uscc"], description="A market entity (市场主体), owned by the entities subgraph.")
class MarketEntity:
    uscc: str

    @field(description="Kitchen alerts at this entity's premises in your jurisdiction, oldest first.")
    async def kitchen_alerts(self, info: Info) -> list[KitchenAlert] | None:
        return [KitchenAlert.from_row(row) for row in await info.context.loaders.alerts_of.load(self.uscc)]

    @field(description="Alerts per category and the kitchen score (rejected alerts do not count against it).")
    async def kitchen_statistics(self, info: Info) -> KitchenStatistics | None:
        rows = await info.context.loaders.alerts_of.load(self.uscc)
        alerts = Counter(row.category for row in rows if row.state != AlertState.REJECTED.value)
        confirmed = Counter(row.category for row in rows if AlertState(row.state) in CONFIRMED_STATES)
        escalated = sum(1 for row in rows if row.state == AlertState.ESCALATED.value)
        return KitchenStatistics(
            by_category=[
                AlertCount(category=Category(c), alerts=alerts[c], confirmed=confirmed[c]) for c in sorted(alerts)
            ],
            score=max(0, 100 - 5 * sum(confirmed.values()) - 10 * escalated),
        )

    @field(description="Samples taken from this entity, with their reports and verdicts, oldest first.")
    async def sampling_results(self, info: Info) -> list[Sample] | None:
        return [Sample.from_row(row) for row in await info.context.loaders.samples_of.load(self.uscc)]

    @classmethod
    def resolve_reference(cls, uscc: str) -> MarketEntity:
        return cls(uscc=uscc)

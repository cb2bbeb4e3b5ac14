"""Write side of the detection subgraph: the device registry, what devices send (through the ingestion adapter's
machine client), the kitchen-alert loop, and sampling."""

from __future__ import annotations

import datetime as dt

import strawberry
from sqlalchemy import select

from kernel.errors import InternalError
from subgraphs.common.fields import Target, mutation
from subgraphs.detection import alerts, devices, kitchen_reports, quick_tests, sampling
from subgraphs.detection.models import KitchenAlertRow, QuickTestRow, SampleRow
from subgraphs.detection.types import Camera, Device, Info, KitchenAlert, LabReport, QuickTest, Sample
from subgraphs.detection.vocabulary import DeviceKind


def actor_of(info: Info) -> str:
    caller = info.context.caller
    if caller is None:
        raise InternalError("a mutation ran without a caller; the jurisdiction guard must precede it")
    return caller.subject


@strawberry.input(description="A device and the premises it serves.")
class RegisterDeviceInput:
    device_id: str
    kind: DeviceKind
    uscc: str
    label: str
    premises_address: str
    premises_region: str = strawberry.field(description="6-digit GB/T 2260 code of the premises.")
    opens: dt.time = dt.time(6, 0)
    closes: dt.time = dt.time(23, 0)


@strawberry.input(description="A camera behind a registered edge box.")
class RegisterCameraInput:
    camera_id: str
    device_id: str
    location: str


@strawberry.input(description="Where in the frame, as fractions of its width and height (0–1).")
class BoxInput:
    x: float
    y: float
    w: float
    h: float


@strawberry.input(description="One detection: a detector channel (§7.1 category or PERSON), confidence, box.")
class DetectionInput:
    category: str
    confidence: float
    box: BoxInput


@strawberry.input(description="What an edge box saw in one frame; idempotent on (deviceId, seq).")
class KitchenDetectionsInput:
    device_id: str
    seq: int
    camera_id: str
    captured_at: dt.datetime
    frame_sha256: str
    frame_ref: str
    model_name: str
    model_version: str
    detections: list[DetectionInput]

    def to_report(self) -> kitchen_reports.DetectionReport:
        return kitchen_reports.DetectionReport(
            device_id=self.device_id,
            seq=self.seq,
            camera_id=self.camera_id,
            captured_at=self.captured_at,
            frame_sha256=self.frame_sha256,
            frame_ref=self.frame_ref,
            model_name=self.model_name,
            model_version=self.model_version,
            detections=tuple(
                kitchen_reports.Detection(d.category, d.confidence, d.box.x, d.box.y, d.box.w, d.box.h)
                for d in self.detections
            ),
        )


@strawberry.type(
    description="A detection that made no alert, and why: BELOW_THRESHOLD, DUPLICATE_IN_WINDOW, WITHIN_HOURS."
)
class SuppressedDetection:
    category: str
    reason: str


@strawberry.type(description="The alerts one message created (a resend: the same, with duplicate true).")
class KitchenDetectionsPayload:
    device_id: str
    seq: int
    duplicate: bool
    alerts: list[KitchenAlert]
    suppressed: list[SuppressedDetection]


@strawberry.input(description="One quick-test reading; idempotent on (deviceId, seq).")
class QuickTestReadingInput:
    seq: int
    uscc: str
    sample_name: str
    item: str
    value: float
    unit: str
    tested_at: dt.datetime


@strawberry.input(description="A batch of readings from one kit.")
class QuickTestsInput:
    device_id: str
    readings: list[QuickTestReadingInput]


@strawberry.type(
    description="What became of one reading: accepted (once; a resend says duplicate) or rejected "
    "with a code and reason."
)
class ReadingResult:
    seq: int
    accepted: bool
    duplicate: bool
    code: str | None
    reason: str | None
    quick_test: QuickTest | None


@strawberry.type(description="Each reading of the batch, in order.")
class QuickTestsPayload:
    device_id: str
    accepted: int
    rejected: int
    results: list[ReadingResult]


@strawberry.type(description="The device after the change.")
class DevicePayload:
    device: Device


@strawberry.type(description="The camera after the change.")
class CameraPayload:
    camera: Camera


@strawberry.type(description="The alert after the change.")
class KitchenAlertPayload:
    alert: KitchenAlert


@strawberry.input(description="A photo of the rectified premises.")
class PhotoInput:
    ref: str
    sha256: str


@strawberry.input(description="Items a lab measured: analyte, value, unit.")
class MeasurementInput:
    analyte: str
    value: float
    unit: str


@strawberry.type(description="The sample after the change.")
class SamplePayload:
    sample: Sample


@strawberry.type(description="The report and its sample after the change.")
class TestReportPayload:
    report: LabReport
    sample: Sample


@strawberry.type(description="A sampling task after the change.")
class SamplingTaskPayload:
    id: strawberry.ID
    title: str


ALERT = Target(KitchenAlertRow, lambda arguments: str(arguments["id"]))
SAMPLE = Target(SampleRow, lambda arguments: str(arguments["id"]))


def _alert(row: KitchenAlertRow) -> KitchenAlertPayload:
    return KitchenAlertPayload(alert=KitchenAlert.from_row(row))


@strawberry.type
class Mutation:
    @mutation("Register an edge box or quick-test kit to the premises it serves.", action="detection.register_device")
    async def register_device(self, info: Info, input: RegisterDeviceInput) -> DevicePayload:
        context = info.context
        request = devices.DeviceRegistration(
            id=input.device_id,
            kind=DeviceKind(input.kind),
            uscc=input.uscc,
            label=input.label,
            premises_address=input.premises_address,
            premises_region=input.premises_region,
            opens=input.opens,
            closes=input.closes,
        )
        row = await devices.register_device(context.session, context.services, request, actor=actor_of(info))
        return DevicePayload(device=Device.from_row(row))

    @mutation("Register a camera behind an edge box, at the box's premises.", action="detection.register_device")
    async def register_camera(self, info: Info, input: RegisterCameraInput) -> CameraPayload:
        context = info.context
        row = await devices.register_camera(
            context.session, context.services, input.camera_id, input.device_id, input.location
        )
        return CameraPayload(camera=Camera.from_row(row))

    @mutation(
        "Detections an edge box sent for one frame → kitchen alerts (thresholds, de-duplication window, business "
        "hours); idempotent on (deviceId, seq).",
        action="detection.report_kitchen_detections",
    )
    async def report_kitchen_detections(self, info: Info, input: KitchenDetectionsInput) -> KitchenDetectionsPayload:
        context = info.context
        outcome = await kitchen_reports.report_detections(context.session, context.services, input.to_report())
        found = await context.session.scalars(select(KitchenAlertRow).where(KitchenAlertRow.id.in_(outcome.alert_ids)))
        by_id = {row.id: row for row in found}
        rows = [by_id[alert_id] for alert_id in outcome.alert_ids]
        return KitchenDetectionsPayload(
            device_id=input.device_id,
            seq=input.seq,
            duplicate=outcome.duplicate,
            alerts=[KitchenAlert.from_row(row) for row in rows],
            suppressed=[SuppressedDetection(category=s.category, reason=s.reason) for s in outcome.suppressed],
        )

    @mutation(
        "A batch of quick-test readings from a kit: each accepted once per (deviceId, seq) or rejected with a reason.",
        action="detection.record_quick_tests",
    )
    async def record_quick_tests(self, info: Info, input: QuickTestsInput) -> QuickTestsPayload:
        context = info.context
        readings = [
            quick_tests.Reading(r.seq, r.uscc, r.sample_name, r.item, r.value, r.unit, r.tested_at)
            for r in input.readings
        ]
        outcomes = await quick_tests.record_quick_tests(context.session, context.services, input.device_id, readings)
        results = []
        for outcome in outcomes:
            row = None
            if outcome.quick_test_id is not None:
                row = await context.session.get(QuickTestRow, outcome.quick_test_id)
            results.append(
                ReadingResult(
                    seq=outcome.seq,
                    accepted=outcome.accepted,
                    duplicate=outcome.duplicate,
                    code=outcome.code,
                    reason=outcome.reason,
                    quick_test=None if row is None else QuickTest.from_row(row),
                )
            )
        accepted = sum(1 for r in results if r.accepted)
        return QuickTestsPayload(
            device_id=input.device_id, accepted=accepted, rejected=len(results) - accepted, results=results
        )

    @mutation("CANDIDATE → IN_REVIEW: a reviewer takes the alert.", target=ALERT, action="detection.review_alert")
    async def start_alert_review(self, info: Info, id: strawberry.ID) -> KitchenAlertPayload:
        context = info.context
        return _alert(await alerts.start_review(context.session, context.services, str(id), actor=actor_of(info)))

    @mutation(
        "IN_REVIEW → CONFIRMED (the frame's hash sealed as evidence) or REJECTED (a false positive).",
        target=ALERT,
        action="detection.review_alert",
    )
    async def decide_alert_review(
        self, info: Info, id: strawberry.ID, confirm: bool, note: str = ""
    ) -> KitchenAlertPayload:
        context = info.context
        row = await alerts.decide_review(
            context.session, context.services, str(id), confirm=confirm, note=note, actor=actor_of(info)
        )
        return _alert(row)

    @mutation(
        "CONFIRMED → NOTICE_ISSUED: a rectification notice (告知书) with its deadline.",
        target=ALERT,
        action="detection.issue_rectification_notice",
    )
    async def issue_rectification_notice(
        self, info: Info, id: strawberry.ID, rectify_by: dt.date, note: str = ""
    ) -> KitchenAlertPayload:
        context = info.context
        row = await alerts.issue_notice(
            context.session, context.services, str(id), rectify_by=rectify_by, note=note, actor=actor_of(info)
        )
        return _alert(row)

    @mutation(
        "NOTICE_ISSUED → RECTIFICATION_SUBMITTED: the operator's statement and photos (整改报告).",
        target=ALERT,
        action="detection.answer_alert",
    )
    async def submit_rectification(
        self, info: Info, id: strawberry.ID, statement: str, photos: list[PhotoInput]
    ) -> KitchenAlertPayload:
        context = info.context
        row = await alerts.submit_rectification(
            context.session,
            context.services,
            str(id),
            statement=statement,
            photos=[{"ref": p.ref, "sha256": p.sha256} for p in photos],
            actor=actor_of(info),
        )
        return _alert(row)

    @mutation(
        "RECTIFICATION_SUBMITTED → CLOSED (verified) or ESCALATED (failed: a supervision task is requested).",
        target=ALERT,
        action="detection.verify_rectification",
    )
    async def verify_rectification(
        self, info: Info, id: strawberry.ID, passed: bool, note: str = ""
    ) -> KitchenAlertPayload:
        context = info.context
        row = await alerts.verify_rectification(
            context.session, context.services, str(id), passed=passed, note=note, actor=actor_of(info)
        )
        return _alert(row)

    @mutation("Open a sampling task (抽样任务) of your unit.", action="detection.plan_sampling")
    async def create_sampling_task(self, info: Info, title: str, unit_code: str) -> SamplingTaskPayload:
        context = info.context
        row = await sampling.create_task(context.session, context.services, title, unit_code, actor=actor_of(info))
        return SamplingTaskPayload(id=strawberry.ID(row.id), title=row.title)

    @mutation(
        "Record a sample taken at premises; the lab must have it within 5 working days.",
        action="detection.record_sample",
    )
    async def record_sample(
        self,
        info: Info,
        task_id: strawberry.ID,
        uscc: str,
        premises_address: str,
        premises_region: str,
        food_name: str,
        category_code: str,
        sampled_on: dt.date,
        lab: str,
    ) -> SamplePayload:
        context = info.context
        row = await sampling.record_sample(
            context.session,
            context.services,
            sampling.SampleRequest(
                str(task_id), uscc, premises_address, premises_region, food_name, category_code, sampled_on, lab
            ),
        )
        return SamplePayload(sample=Sample.from_row(row))

    @mutation(
        "The lab received the sample; its report is due within 20 working days.",
        target=SAMPLE,
        action="detection.record_test_result",
    )
    async def receive_sample(self, info: Info, id: strawberry.ID, received_on: dt.date) -> SamplePayload:
        context = info.context
        row = await sampling.receive_sample(context.session, context.services, str(id), received_on)
        return SamplePayload(sample=Sample.from_row(row))

    @mutation(
        "The lab's report: each item judged against the limit in force on the sampling date; 不合格 requests a "
        "supervision task.",
        target=SAMPLE,
        action="detection.record_test_result",
    )
    async def record_test_report(
        self, info: Info, id: strawberry.ID, report_no: str, concluded_on: dt.date, items: list[MeasurementInput]
    ) -> TestReportPayload:
        context = info.context
        report, sample = await sampling.record_report(
            context.session,
            context.services,
            str(id),
            report_no,
            concluded_on,
            [sampling.Measurement(i.analyte, i.value, i.unit) for i in items],
            actor=actor_of(info),
        )
        return TestReportPayload(report=LabReport.from_row(report), sample=Sample.from_row(sample))

    @mutation(
        "The report was served on the operator: the 复检 and 异议 windows (7 working days) start.",
        target=SAMPLE,
        action="detection.serve_test_report",
    )
    async def serve_test_report(self, info: Info, id: strawberry.ID, served_on: dt.date) -> TestReportPayload:
        context = info.context
        report, sample = await sampling.serve_report(context.session, context.services, str(id), served_on)
        return TestReportPayload(report=LabReport.from_row(report), sample=Sample.from_row(sample))

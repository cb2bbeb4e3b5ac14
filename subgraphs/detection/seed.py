"""Demo data of the detection subgraph: for each demo entity, an edge box and its camera with two kitchen alerts, a
quick-test kit with one reading, and a sample under its district's sampling task — written through the domain
functions, as devices and officers would."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from kernel.db import Database
from kernel.errors import ClientError
from subgraphs.common.component import SeedOutcome, SeedRequest
from subgraphs.detection import devices, kitchen_reports, quick_tests, sampling
from subgraphs.detection.models import DeviceRow, SamplingTaskRow
from subgraphs.detection.services import SYSTEM_ACTOR, DetectionServices
from subgraphs.detection.vocabulary import DeviceKind

DEMO_ENTITIES = 20
"""How many of the demo entities get devices (the first in registry order)."""


async def seed_demo(database: Database, services: DetectionServices, request: SeedRequest) -> SeedOutcome:
    """Nothing when any device exists or there are no entities."""
    async with database.transaction() as session:
        if await session.scalar(select(func.count()).select_from(DeviceRow)) or not request.holders:
            return SeedOutcome("")
    now = services.now()
    seeded = 0
    tasks: dict[str, str] = {}
    for serial, holder in enumerate(request.holders[:DEMO_ENTITIES], start=1):
        try:
            async with database.transaction() as session:
                for kind, prefix in ((DeviceKind.EDGE_BOX, "EDGE"), (DeviceKind.QUICK_TEST_KIT, "KIT")):
                    registration = devices.DeviceRegistration(
                        f"{prefix}-{serial:04d}", kind, holder.uscc, f"{holder.name} {prefix.lower()}",
                        holder.premises, holder.region_code,
                    )  # fmt: skip
                    device = await devices.register_device(session, services, registration, actor=SYSTEM_ACTOR)
                await devices.register_camera(session, services, f"CAM-{serial:04d}", f"EDGE-{serial:04d}", "后厨")
                detections = (
                    kitchen_reports.Detection("NO_HAT", 0.91, 0.2, 0.1, 0.2, 0.3),
                    kitchen_reports.Detection("OPEN_BIN", 0.83, 0.7, 0.6, 0.2, 0.3),
                )
                report = kitchen_reports.DetectionReport(
                    f"EDGE-{serial:04d}", 1, f"CAM-{serial:04d}", now - dt.timedelta(hours=2), f"{serial:064x}",
                    f"demo://frames/{serial}.jpg", "kitchen_detector", "1", detections,
                )  # fmt: skip
                await kitchen_reports.report_detections(session, services, report)
                reading = quick_tests.Reading(
                    1, holder.uscc, "韭菜", "PESTICIDE_INHIBITION", 30.0 + serial % 40, "%", now - dt.timedelta(hours=1)
                )
                await quick_tests.record_quick_tests(session, services, f"KIT-{serial:04d}", [reading])
                district = device.district_code or ""
                if district not in tasks:
                    task = await sampling.create_task(session, services, "演示抽检任务", district, actor=SYSTEM_ACTOR)
                    tasks[district] = task.id
                sample = sampling.SampleRequest(
                    tasks[district], holder.uscc, holder.premises, holder.region_code, "大米", "大米",
                    services.today(now) - dt.timedelta(days=3), "深圳市计量质量检测研究院",
                )  # fmt: skip
                await sampling.record_sample(session, services, sample)
            seeded += 1
        except ClientError:  # premises no unit claims: no devices there
            continue
    async with database.transaction() as session:
        tasks_count = await session.scalar(select(func.count()).select_from(SamplingTaskRow))
    return SeedOutcome(f"detection: devices, alerts, quick tests and samples at {seeded} demo entities "
                       f"({tasks_count} sampling tasks)")  # fmt: skip

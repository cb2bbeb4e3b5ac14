"""Scheduled work of the detection subgraph: alerts whose rectification deadline passed are escalated."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kernel.db import Database, write_transactions
from subgraphs.common.component import Job, Queue
from subgraphs.detection.alert_feed import announce_commits
from subgraphs.detection.alerts import escalate
from subgraphs.detection.clips import judge_clip
from subgraphs.detection.models import KitchenAlertRow
from subgraphs.detection.services import DetectionServices
from subgraphs.detection.vocabulary import AlertState


async def escalate_overdue_alerts(database: Database, services: DetectionServices) -> int:
    """NOTICE_ISSUED alerts past their deadline (no rectification by the end of ``rectify_by``, Beijing) → ESCALATED,
    each asking supervision for one task; running it again changes nothing (the state moved on)."""
    today = services.today()
    async with database.sessions() as session:
        write_transactions(session)  # a second delivery running at once waits, then finds nothing overdue
        announce_commits(session, services.alert_feed)
        async with session.begin():
            return await _escalate(session, services, today)


async def _escalate(session: AsyncSession, services: DetectionServices, today: dt.date) -> int:
    overdue = await session.scalars(
        select(KitchenAlertRow)
        .where(KitchenAlertRow.state == AlertState.NOTICE_ISSUED.value, KitchenAlertRow.rectify_by < today)
        .order_by(KitchenAlertRow.id)
        .with_for_update()
    )
    rows = list(overdue)
    for row in rows:
        deadline = row.rectify_by.isoformat() if row.rectify_by else "?"
        await escalate(session, services, row, reason=f"no rectification by the deadline {deadline}")
    return len(rows)


JOBS: tuple[Job[DetectionServices], ...] = (
    Job("detection.escalate_overdue_alerts", escalate_overdue_alerts, daily_at=None, every=dt.timedelta(minutes=10)),
    Job(
        "detection.judge_clip",
        judge_clip,
        daily_at=None,
        ids=("device_id", "camera_id", "clip"),
        queue=Queue.LONG,
        timeout=dt.timedelta(minutes=30),
    ),
)
"""Short: escalation. Long (its own arq queue and workers): video clips through the detector."""

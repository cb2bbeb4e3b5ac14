"""What the supervision subgraph does when another domain asks it for an inspection (``task.requested``)."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from kernel.jobs.events import Event
from subgraphs.common.component import Consumer
from subgraphs.common.events import TASK_REQUESTED, TaskRequested
from subgraphs.supervision import tasks
from subgraphs.supervision.models import InspectionTaskRow
from subgraphs.supervision.services import SYSTEM_ACTOR, SupervisionServices
from subgraphs.supervision.vocabulary import REQUESTABLE_SOURCES, TaskSource

logger = logging.getLogger(__name__)


async def open_requested_task(
    session: AsyncSession, services: SupervisionServices, payload: TaskRequested, event: Event
) -> None:
    """One UNASSIGNED task per idempotency key: a retried or duplicated request finds its task and does nothing.
    Two deliveries at once: on PostgreSQL a transaction lock on the key makes the second wait and find the task;
    SQLite serialises writers. A source no other domain may raise dead-letters the delivery."""
    if (await session.connection()).dialect.name == "postgresql":
        await session.execute(select(func.pg_advisory_xact_lock(func.hashtextextended(payload.idempotency_key, 0))))
    existing = await session.scalar(
        select(InspectionTaskRow.id).where(InspectionTaskRow.request_key == payload.idempotency_key)
    )
    if existing is not None:
        return
    source = TaskSource(payload.source)
    if source not in REQUESTABLE_SOURCES:
        raise ValueError(f"task.requested: {source.value} tasks are not opened on request")
    await tasks.open_task(
        session,
        services,
        tasks.NewTask(
            source=source,
            uscc=payload.uscc,
            reason=payload.reason,
            district_code=payload.district_code,
            station_code=payload.station_code,
            reference=payload.reference,
            request_key=payload.idempotency_key,
        ),
        actor=payload.requested_by or SYSTEM_ACTOR,
    )


CONSUMERS: tuple[Consumer[SupervisionServices, Any], ...] = (
    Consumer("supervision.open_requested_task", TASK_REQUESTED, open_requested_task),
)

"""Schedules: each scheduled job runs once per slot (its daily time, or each multiple of its period), Beijing time.

Every minute a scheduler (the embedded hub's loop, or the arq cron of whichever worker takes that minute)
enqueues each job whose latest slot has not been taken yet. The slot is taken with a receipt in PostgreSQL,
so any number of schedulers enqueue it once, and a scheduler that was down catches up on the latest slot.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from typing import Any

from hub.jobs import ArqJobQueue, JobContext, JobQueue
from kernel.clock import BEIJING
from kernel.jobs.receipts import first_time
from subgraphs.common.component import Job

log = logging.getLogger("zhijian.schedule")

SCHEDULER = "schedule"
"""The owner of the slots' receipts."""


def latest_slot(job: Job[Any], now: dt.datetime) -> dt.datetime | None:
    """The most recent instant at or before ``now`` at which ``job`` is due (None: it has no schedule)."""
    beijing = now.astimezone(BEIJING)
    midnight = dt.datetime.combine(beijing.date(), dt.time(0), tzinfo=BEIJING)
    if job.every is not None:
        period = job.every
        return midnight + ((beijing - midnight) // period) * period
    if job.daily_at is not None:
        today = dt.datetime.combine(beijing.date(), job.daily_at, tzinfo=BEIJING)
        return today if today <= beijing else today - dt.timedelta(days=1)
    return None


def slot_job_id(job: Job[Any], slot: dt.datetime) -> str:
    """The job id of one slot of a scheduled job, e.g. ``permits.expire_permits@2026-05-01T00:05:00+08:00``."""
    return f"{job.name}@{slot.isoformat()}"


async def enqueue_due(queue: JobQueue, context: JobContext, now: dt.datetime) -> tuple[str, ...]:
    """Enqueue each scheduled job whose latest slot nobody has taken yet; returns the job ids taken here."""
    taken = []
    for job in context.scheduled():
        slot = latest_slot(job, now)
        assert slot is not None
        job_id = slot_job_id(job, slot)
        async with context.database.transaction() as session:
            if await first_time(session, SCHEDULER, job_id, now):
                await queue.enqueue(job.name, job_id=job_id)
                taken.append(job_id)
    if taken:
        log.info("scheduled: %s", ", ".join(taken))
    return tuple(taken)


def seconds_to_next_minute(now: dt.datetime) -> float:
    """Seconds until the next whole minute (slots fall on whole minutes)."""
    return 60.0 - (now.second + now.microsecond / 1_000_000)


async def run_schedule(queue: JobQueue, context: JobContext, stop: asyncio.Event) -> None:
    """The embedded scheduler: look for due slots now and at each whole minute until ``stop`` is set."""
    while not stop.is_set():
        now = context.clock()
        try:
            await enqueue_due(queue, context, now)
        except Exception:  # a database hiccup skips one look, not the scheduler
            log.exception("scheduler: could not look for due jobs")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), seconds_to_next_minute(now))


async def schedule_due(ctx: dict[str, Any]) -> None:
    """arq cron entry (every minute): enqueue due slots through the worker's own Redis pool."""
    context: JobContext = ctx["zhijian"]
    await enqueue_due(ArqJobQueue(ctx["redis"], context, ctx["zhijian_prefix"]), context, context.clock())

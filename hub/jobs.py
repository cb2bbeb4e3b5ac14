"""Background jobs behind one seam: ``JobQueue`` with two real implementations, in process and arq on Redis.

The jobs themselves belong to the components (``SubgraphComponent.jobs``); this module only runs them. Jobs carry
names (and ids), never objects; each job's effect is idempotent, and a job id given twice runs once, so a daily
job enqueued by two schedulers on the same day does its work once.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from arq import create_pool
from arq.connections import ArqRedis, RedisSettings

from kernel.clock import BEIJING, Clock, legal_date, system_clock
from kernel.db import Database
from kernel.errors import ClientError, ErrorCode
from subgraphs.common.component import Job, SubgraphComponent

log = logging.getLogger("zhijian.jobs")

DEFAULT_QUEUE = "zhijian:jobs"
"""The Redis list arq workers take the hub's jobs from."""


class JobCode(ErrorCode):
    UNKNOWN_JOB = "UNKNOWN_JOB", "No component registers a job of this name."


@dataclass(frozen=True, slots=True)
class JobContext:
    """What jobs run with: the database and each component's services, by component name."""

    database: Database
    components: Sequence[SubgraphComponent[Any, Any]]
    services: Mapping[str, Any]
    clock: Clock = system_clock

    def job(self, name: str) -> tuple[Job[Any], Any]:
        """The job called ``name`` and the services of the component that owns it (``UNKNOWN_JOB`` otherwise)."""
        for component in self.components:
            for job in component.jobs:
                if job.name == name:
                    return job, self.services[component.name]
        known = ", ".join(sorted(job.name for component in self.components for job in component.jobs))
        raise ClientError(f"unknown job {name!r}; known: {known}", code=JobCode.UNKNOWN_JOB)

    def daily(self) -> tuple[Job[Any], ...]:
        """Every job that runs on a daily schedule."""
        return tuple(job for component in self.components for job in component.jobs if job.daily_at is not None)

    async def run(self, name: str) -> int:
        job, services = self.job(name)
        return await job.run(self.database, services)


def daily_job_id(name: str, day: dt.date) -> str:
    """The id that makes a daily job run once per legal date, however often it is enqueued."""
    return f"{name}@{day.isoformat()}"


class JobQueue(Protocol):
    """Where work is handed off; ``enqueue`` returns False when a job with ``job_id`` was already taken."""

    async def enqueue(self, name: str, *, job_id: str) -> bool: ...

    async def close(self) -> None: ...


class InProcessJobQueue:
    """Runs jobs as tasks of this event loop (the embedded hub); remembers the ids it has taken."""

    def __init__(self, context: JobContext) -> None:
        self._context = context
        self._taken: set[str] = set()
        self._tasks: set[asyncio.Task[int]] = set()
        self.results: dict[str, int] = {}

    async def enqueue(self, name: str, *, job_id: str) -> bool:
        self._context.job(name)
        if job_id in self._taken:
            return False
        self._taken.add(job_id)
        task = asyncio.create_task(self._context.run(name), name=job_id)
        self._tasks.add(task)
        task.add_done_callback(lambda done: self._finished(job_id, done))
        return True

    def _finished(self, job_id: str, task: asyncio.Task[int]) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            return
        if (error := task.exception()) is not None:
            log.error("job %s failed: %s", job_id, error, exc_info=error)
            return
        self.results[job_id] = task.result()
        log.info("job %s done: %s rows", job_id, task.result())

    async def drain(self) -> None:
        """Wait for every job taken so far."""
        while self._tasks:
            await asyncio.wait(tuple(self._tasks))

    async def close(self) -> None:
        for task in tuple(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)


class ArqJobQueue:
    """Hands jobs to arq workers through Redis; arq's job id makes a repeated id a no-op."""

    def __init__(self, redis: ArqRedis, context: JobContext, queue_name: str = DEFAULT_QUEUE) -> None:
        self._redis = redis
        self._context = context
        self.queue_name = queue_name

    @classmethod
    async def connect(cls, redis_url: str, context: JobContext, queue_name: str = DEFAULT_QUEUE) -> ArqJobQueue:
        return cls(await create_pool(RedisSettings.from_dsn(redis_url)), context, queue_name)

    async def enqueue(self, name: str, *, job_id: str) -> bool:
        self._context.job(name)
        job = await self._redis.enqueue_job("run_job", name, _job_id=job_id, _queue_name=self.queue_name)
        return job is not None

    async def close(self) -> None:
        await self._redis.aclose()


async def run_job(ctx: dict[str, Any], name: str) -> int:
    """The one arq function: look the job up by name and run it with the worker's context."""
    context: JobContext = ctx["zhijian"]
    return await context.run(name)


async def enqueue_daily(queue: JobQueue, jobs: Sequence[Job[Any]], day: dt.date) -> tuple[str, ...]:
    """Enqueue ``jobs`` for ``day``; returns the names actually taken."""
    return tuple([job.name for job in jobs if await queue.enqueue(job.name, job_id=daily_job_id(job.name, day))])


def seconds_until_next_run(now: dt.datetime, at: dt.time = dt.time(0, 5)) -> float:
    """Seconds from ``now`` to the next ``at`` o'clock in Beijing (daily jobs run just after the legal date turns)."""
    beijing = now.astimezone(BEIJING)
    target = dt.datetime.combine(beijing.date(), at, tzinfo=BEIJING)
    if target <= beijing:
        target += dt.timedelta(days=1)
    return (target - beijing).total_seconds()


async def run_daily_forever(queue: JobQueue, context: JobContext) -> None:
    """The embedded scheduler: the day's jobs now, then each one at its time each day, Beijing time."""
    jobs = context.daily()
    while True:
        now = context.clock()
        taken = await enqueue_daily(queue, jobs, legal_date(now))
        if taken:
            log.info("daily jobs enqueued: %s", ", ".join(taken))
        times = {job.daily_at for job in jobs if job.daily_at is not None}
        await asyncio.sleep(min((seconds_until_next_run(now, at) for at in times), default=86_400.0))


async def schedule_daily(ctx: dict[str, Any]) -> None:
    """arq cron entry: enqueue today's jobs through the worker's own Redis pool."""
    context: JobContext = ctx["zhijian"]
    await enqueue_daily(ArqJobQueue(ctx["redis"], context), context.daily(), legal_date(context.clock()))

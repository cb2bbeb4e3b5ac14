"""Background jobs behind one seam: ``JobQueue`` with two real implementations, in process and arq on Redis.

Jobs carry names (and ids), never objects; each job's effect is idempotent, and a job id given twice runs once,
so a daily job enqueued by two schedulers on the same day does its work once.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from arq import create_pool
from arq.connections import ArqRedis, RedisSettings

from subgraphs.common.calendar import BEIJING, beijing_today
from subgraphs.common.db import Database
from subgraphs.common.errors import ClientError
from subgraphs.entities.jobs import move_long_abnormal_to_serious
from subgraphs.permits import jobs as permit_jobs
from subgraphs.permits.services import PermitServices

log = logging.getLogger("zhijian.jobs")

DEFAULT_QUEUE = "zhijian:jobs"
"""The Redis list arq workers take the hub's jobs from."""


@dataclass(frozen=True, slots=True)
class JobContext:
    """What a job may use: the database and the permits services (clock, registry)."""

    database: Database
    permit_services: PermitServices


Job = Callable[[JobContext], Coroutine[Any, Any, int]]


async def _expire_permits(context: JobContext) -> int:
    return await permit_jobs.expire_permits(context.database, today=context.permit_services.today())


async def _deem_accepted(context: JobContext) -> int:
    return await permit_jobs.deem_accepted(context.database, context.permit_services)


async def _escalate_abnormal(context: JobContext) -> int:
    return await move_long_abnormal_to_serious(context.database, today=beijing_today())


DAILY_JOBS: Mapping[str, Job] = {
    "permits.expire_permits": _expire_permits,
    "permits.deem_accepted": _deem_accepted,
    "entities.move_long_abnormal_to_serious": _escalate_abnormal,
}
"""Every job, by name; all of them run once a day."""


def _job(name: str) -> Job:
    try:
        return DAILY_JOBS[name]
    except KeyError:
        raise ClientError(f"unknown job {name!r}; known: {', '.join(sorted(DAILY_JOBS))}", code="UNKNOWN_JOB") from None


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
        job = _job(name)
        if job_id in self._taken:
            return False
        self._taken.add(job_id)
        task = asyncio.create_task(job(self._context), name=job_id)
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

    def __init__(self, redis: ArqRedis, queue_name: str = DEFAULT_QUEUE) -> None:
        self._redis = redis
        self.queue_name = queue_name

    @classmethod
    async def connect(cls, redis_url: str, queue_name: str = DEFAULT_QUEUE) -> ArqJobQueue:
        return cls(await create_pool(RedisSettings.from_dsn(redis_url)), queue_name)

    async def enqueue(self, name: str, *, job_id: str) -> bool:
        _job(name)
        job = await self._redis.enqueue_job("run_job", name, _job_id=job_id, _queue_name=self.queue_name)
        return job is not None

    async def close(self) -> None:
        await self._redis.aclose()


async def run_job(ctx: dict[str, Any], name: str) -> int:
    """The one arq function: look the job up by name and run it with the worker's context."""
    context: JobContext = ctx["zhijian"]
    return await _job(name)(context)


async def enqueue_daily(queue: JobQueue, day: dt.date) -> tuple[str, ...]:
    """Enqueue every daily job for ``day``; returns the names actually taken."""
    return tuple([name for name in DAILY_JOBS if await queue.enqueue(name, job_id=daily_job_id(name, day))])


def seconds_until_next_run(now: dt.datetime, at: dt.time = dt.time(0, 5)) -> float:
    """Seconds from ``now`` to the next ``at`` o'clock in Beijing (daily jobs run just after the legal date turns)."""
    beijing = now.astimezone(BEIJING)
    target = dt.datetime.combine(beijing.date(), at, tzinfo=BEIJING)
    if target <= beijing:
        target += dt.timedelta(days=1)
    return (target - beijing).total_seconds()


async def run_daily_forever(queue: JobQueue) -> None:
    """The embedded scheduler: today's jobs now, then each day just after midnight, Beijing time."""
    while True:
        taken = await enqueue_daily(queue, beijing_today())
        if taken:
            log.info("daily jobs enqueued: %s", ", ".join(taken))
        await asyncio.sleep(seconds_until_next_run(dt.datetime.now(dt.UTC)))


async def schedule_daily(ctx: dict[str, Any]) -> None:
    """arq cron entry: enqueue today's jobs through the worker's own Redis pool."""
    await enqueue_daily(ArqJobQueue(ctx["redis"]), beijing_today())

"""Background jobs behind one seam: ``JobQueue`` with two real implementations, in process and arq on Redis.

The jobs belong to their components (``SubgraphComponent.jobs``, the adapters' manifest); this module runs them.
A job is queued by name with its ids (never objects) under a job id, and a job id given twice runs once while
the queue remembers it. Both queues run each try through :func:`attempt`: transient failures are tried again
with the job's backoff, and a job that fails for good lands in the dead-letter table
(``zhijian jobs list|replay|discard``).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
import traceback
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from arq import Retry, create_pool
from arq.connections import ArqRedis, RedisSettings
from redis.asyncio.retry import Retry as RedisRetry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from hub.outbox import Deliveries, OutboxJobs, describe
from kernel.clock import Clock, system_clock
from kernel.db import Database
from kernel.errors import ClientError
from kernel.jobs.dead_letters import record
from kernel.jobs.retry import JobCode, is_transient
from subgraphs.common.component import Job, JobIds, JobOwner, Queue, Wiring

log = logging.getLogger("zhijian.jobs")


DEFAULT_PREFIX = "zhijian:jobs"


def queue_name(queue: Queue, prefix: str = DEFAULT_PREFIX) -> str:
    """The Redis sorted set arq workers of ``queue`` take jobs from (``<prefix>:short``, ``<prefix>:long``)."""
    return f"{prefix}:{queue.value}"


def redis_settings(url: str) -> RedisSettings:
    """arq's connection settings for ``url``, made to outlive a Redis restart: every command is retried on a lost
    connection with backoff (about a minute in all), and connecting is retried as long."""
    settings = RedisSettings.from_dsn(url)
    settings.conn_retries = 30
    settings.conn_retry_delay = 2
    settings.retry_on_timeout = True
    settings.retry_on_error = [RedisConnectionError, RedisTimeoutError, ConnectionError, OSError]
    settings.retry = RedisRetry(ExponentialBackoff(cap=5.0, base=0.2), retries=12)
    return settings


@dataclass(frozen=True, slots=True)
class JobContext:
    """What jobs run with: the database, each owner's services by owner name, and the registered consumers."""

    database: Database
    owners: Sequence[JobOwner]
    services: Mapping[str, Any]
    deliveries: Deliveries
    clock: Clock = system_clock

    @classmethod
    def build(
        cls,
        database: Database,
        owners: Sequence[JobOwner],
        wiring: Wiring | None = None,
        *,
        services: Mapping[str, Any] | None = None,
        clock: Clock = system_clock,
    ) -> JobContext:
        """Services from each owner's factory (or as given), plus the hub's own ``outbox`` jobs."""
        built = dict(services) if services is not None else {o.name: o.services(wiring or Wiring()) for o in owners}
        deliveries = Deliveries.of(owners, built, clock)
        return cls(database, (*owners, OutboxJobs()), {**built, "outbox": deliveries}, deliveries, clock)

    def job(self, name: str) -> tuple[Job[Any], Any]:
        """The job called ``name`` and the services of its owner (``UNKNOWN_JOB`` otherwise)."""
        for owner in self.owners:
            for job in owner.jobs:
                if job.name == name:
                    return job, self.services[owner.name]
        known = ", ".join(sorted(job.name for owner in self.owners for job in owner.jobs))
        raise ClientError(f"unknown job {name!r}; known: {known}", code=JobCode.UNKNOWN_JOB)

    def checked(self, name: str, ids: JobIds) -> Job[Any]:
        """The job, after checking that ``ids`` are exactly the ids it declares (``BAD_JOB_IDS`` otherwise)."""
        job, _ = self.job(name)
        if set(ids) != set(job.ids) or not all(isinstance(value, str) for value in ids.values()):
            raise ClientError(
                f"job {name} takes the ids {sorted(job.ids)} as strings, not {sorted(ids)}", code=JobCode.BAD_JOB_IDS
            )
        return job

    def scheduled(self) -> tuple[Job[Any], ...]:
        """Every job that runs on a schedule (daily or periodic)."""
        return tuple(
            job for owner in self.owners for job in owner.jobs if job.daily_at is not None or job.every is not None
        )

    async def run(self, name: str, ids: JobIds | None = None) -> int:
        """Run the job once, here and now, without retries (tests, ``zhijian sync``)."""
        job, services = self.job(name)
        return int(await job.run(self.database, services, **(ids or {})))


@dataclass(frozen=True, slots=True)
class Outcome:
    """How one try ended: ``rows`` changed, or again after ``retry_in`` seconds, or ``dead_letter`` written."""

    rows: int = 0
    retry_in: float | None = None
    dead_letter: int | None = None


async def attempt(context: JobContext, name: str, ids: JobIds, job_id: str, try_no: int) -> Outcome:
    """One try of a job with its timeout, logged; failures are classified into retry or dead letter."""
    job, services = context.job(name)
    if try_no > job.retry.tries:  # its worker died mid-job on every try (arq re-runs those without a Retry)
        return await _dead(context, job, ids, job_id, try_no - 1, JobCode.GAVE_UP, "the worker stopped mid-job")
    started = time.monotonic()
    log.info("job %s [%s] try %d started", name, job_id, try_no)
    try:
        rows = int(await asyncio.wait_for(job.run(context.database, services, **ids), job.timeout.total_seconds()))
    except Exception as error:
        took = time.monotonic() - started
        if is_transient(error) and not job.retry.gives_up_after(try_no):
            delay = job.retry.delay(try_no)
            reason = describe(error)
            log.warning(
                "job %s [%s] try %d failed after %.2fs, again in %.1fs: %s", name, job_id, try_no, took, delay, reason
            )
            return Outcome(retry_in=delay)
        code = JobCode.GAVE_UP if is_transient(error) else JobCode.JOB_FAILED
        detail = describe(error) + "\n" + "".join(traceback.format_tb(error.__traceback__, limit=-8))
        return await _dead(context, job, ids, job_id, try_no, code, detail)
    log.info("job %s [%s] done: %d records in %.2fs", name, job_id, rows, time.monotonic() - started)
    return Outcome(rows=rows)


async def _dead(
    context: JobContext, job: Job[Any], ids: JobIds, job_id: str, tries: int, code: JobCode, error: str
) -> Outcome:
    async with context.database.transaction() as session:
        letter = await record(
            session,
            job=job.name,
            job_id=job_id,
            ids=ids,
            queue=job.queue.value,
            attempts=tries,
            error_code=code.value,
            error=error,
            at=context.clock(),
        )
    log.error(
        "job %s [%s] dead-lettered (letter %d) after %d tries: %s",
        job.name,
        job_id,
        letter,
        tries,
        error.splitlines()[0],
    )
    return Outcome(dead_letter=letter)


class JobQueue(Protocol):
    """Where work is handed off; ``enqueue`` returns False when a job with ``job_id`` was already taken."""

    async def enqueue(self, name: str, *, job_id: str, ids: JobIds | None = None) -> bool: ...

    async def close(self) -> None: ...


class InProcessJobQueue:
    """Runs jobs as tasks of this event loop (the embedded hub), retries included; remembers the ids it took."""

    def __init__(self, context: JobContext) -> None:
        self._context = context
        self._taken: set[str] = set()
        self._tasks: set[asyncio.Task[Outcome]] = set()
        self.results: dict[str, Outcome] = {}

    async def enqueue(self, name: str, *, job_id: str, ids: JobIds | None = None) -> bool:
        ids = dict(ids or {})
        self._context.checked(name, ids)
        if job_id in self._taken:
            return False
        self._taken.add(job_id)
        task = asyncio.create_task(self._run(name, ids, job_id), name=job_id)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return True

    async def _run(self, name: str, ids: JobIds, job_id: str) -> Outcome:
        try_no = 1
        while (outcome := await attempt(self._context, name, ids, job_id, try_no)).retry_in is not None:
            await asyncio.sleep(outcome.retry_in)
            try_no += 1
        self.results[job_id] = outcome
        return outcome

    async def drain(self) -> None:
        """Wait for every job taken so far."""
        while self._tasks:
            await asyncio.wait(tuple(self._tasks))

    async def close(self, grace: float = 0.0) -> None:
        """Wait up to ``grace`` seconds for running jobs, then cancel the rest."""
        if self._tasks and grace > 0:
            await asyncio.wait(tuple(self._tasks), timeout=grace)
        for task in tuple(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)


class ArqJobQueue:
    """Hands jobs to arq workers through Redis, each on its job's queue; arq's job id makes a repeated id a no-op."""

    def __init__(self, redis: ArqRedis, context: JobContext, prefix: str = DEFAULT_PREFIX) -> None:
        self._redis = redis
        self._context = context
        self.prefix = prefix

    @classmethod
    async def connect(cls, redis_url: str, context: JobContext, prefix: str = DEFAULT_PREFIX) -> ArqJobQueue:
        return cls(await create_pool(redis_settings(redis_url)), context, prefix)

    async def enqueue(self, name: str, *, job_id: str, ids: JobIds | None = None) -> bool:
        ids = dict(ids or {})
        job = self._context.checked(name, ids)
        queue = queue_name(job.queue, self.prefix)
        queued = await self._redis.enqueue_job("run_job", name, ids, _job_id=job_id, _queue_name=queue)
        return queued is not None

    async def close(self) -> None:
        await self._redis.aclose()


async def run_job(ctx: dict[str, Any], name: str, ids: dict[str, str] | None = None) -> int:
    """The one arq function: one try of the named job with the worker's context; ``Retry`` asks arq for another."""
    context: JobContext = ctx["zhijian"]
    outcome = await attempt(context, name, ids or {}, str(ctx["job_id"]), int(ctx["job_try"]))
    if outcome.retry_in is not None:
        raise Retry(defer=dt.timedelta(seconds=outcome.retry_in))
    return outcome.rows

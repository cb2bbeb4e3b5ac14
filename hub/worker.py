"""``zhijian worker``: an arq worker on Redis that runs the components' jobs, behaving like a service.

One worker serves one queue (``--queue short`` or ``long``), so short jobs never wait behind long ones; the short
workers also run the schedule (an arq cron each minute) and drain the outbox. It logs its start, each job's
outcome and its stop; on SIGINT/SIGTERM it takes no new jobs and waits up to the grace period for running ones
(a second signal stops at once; jobs cut off are put back on the queue by arq and run again, which their
receipts make harmless). A Redis restart is waited out: commands are retried on a lost connection, and a poll
loop that still fails is restarted with backoff.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import socket
import sys
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
from arq.constants import in_progress_key_prefix
from arq.cron import cron
from arq.utils import timestamp_ms
from arq.worker import Worker, func
from redis.exceptions import RedisError, ResponseError, WatchError

from hub.components import JOB_OWNERS
from hub.embedded import graph_access, open_database
from hub.jobs import JobContext, queue_name, redis_settings, run_job
from hub.outbox import Drainer
from hub.schedule import schedule_due
from hub.settings import Settings
from kernel.clock import BEIJING
from kernel.logs import configure_logging
from kernel.orgtree import default_org_tree
from subgraphs.common.component import Queue, Wiring

log = logging.getLogger("zhijian.worker")


class GracefulWorker(Worker):  # type: ignore[misc]  # arq ships no types (follow_imports = skip)
    """arq's Worker whose job starts are neither cut in half by a stop nor lost with a reply.

    A start marks the job in progress in Redis, then creates the job's task; while the mark lives (the job's
    timeout, minutes) no worker takes the job. arq's own start leaves a mark with no task in two ways, both
    closed here:

    - a stop that cancels the poll loop between the two: each start runs shielded from that cancel, waits for a
      free slot before it marks anything, and none begins once the worker stops taking jobs (``starting`` holds
      those under way);
    - a connection lost after Redis applied the mark but before its reply came back: redis-py reports that as
      the ``WatchError`` a competing worker's mark would cause, and arq takes it for one. Here the mark carries
      this worker's ``token``, so a start that hears ``WatchError`` asks Redis whose mark it is and runs the job
      when it is its own.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.starting: set[asyncio.Future[None]] = set()
        self.token = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}".encode()

    async def start_jobs(self, job_ids: list[bytes]) -> None:
        for job_id in job_ids:
            await self.sem.acquire()  # a cancel while waiting here leaves nothing behind
            if not self.allow_pick_jobs or self.job_counter >= self.max_jobs:
                self.sem.release()
                return
            self.job_counter += 1
            start = asyncio.ensure_future(self._start(job_id.decode()))
            self.starting.add(start)
            start.add_done_callback(self.starting.discard)
            await asyncio.shield(start)

    async def _start(self, job_id: str) -> None:
        """Mark ``job_id`` in progress and create its task; the slot is given back when it is not ours to run."""
        try:
            score = await self._mark(job_id)
        except BaseException:
            self._release_sem_dec_counter_on_complete()
            raise
        if score is None:
            self._release_sem_dec_counter_on_complete()
            return
        task = self.loop.create_task(self.run_job(job_id, score))
        task.add_done_callback(lambda _: self._release_sem_dec_counter_on_complete())
        self.tasks[job_id] = task

    async def _mark(self, job_id: str) -> int | None:
        """The job's score once this worker holds its in-progress mark; None when it is not to be run now
        (running elsewhere, done, or deferred)."""
        mark = in_progress_key_prefix + job_id
        score: float | None = None
        try:
            async with self.pool.pipeline(transaction=True) as pipe:
                await pipe.watch(mark)
                running = await pipe.exists(mark)
                score = await pipe.zscore(self.queue_name, job_id)
                if running or not score or score > timestamp_ms():
                    return None
                pipe.multi()
                pipe.psetex(mark, int(self.in_progress_timeout_s * 1000), self.token)
                await pipe.execute()
        except ResponseError:
            return None
        except WatchError:  # another worker's mark, or our own whose reply was lost: Redis knows which
            if score is None or await self.pool.get(mark) != self.token:
                return None
            log.warning("job %s: the reply to its start was lost; the mark is this worker's, so it runs", job_id)
        return int(score)


@dataclass(frozen=True, slots=True)
class WorkerOptions:
    """How one worker process runs (``zhijian worker`` flags)."""

    queue: Queue = Queue.SHORT
    grace: float = 30.0
    """Seconds a stop waits for running jobs before cutting them off."""
    max_jobs: int = 10
    outbox: bool = True
    """Drain the outbox here (short workers only)."""
    prefix: str = "zhijian:jobs"
    poll_delay: float = 0.5


def build_worker(redis_url: str, context: JobContext, options: WorkerOptions, *, burst: bool = False) -> GracefulWorker:
    """An arq worker for our one job function on ``options.queue``; timeouts and tries fit that queue's jobs."""
    jobs = [job for owner in context.owners for job in owner.jobs if job.queue is options.queue]
    timeout = max((job.timeout.total_seconds() for job in jobs), default=300.0)
    tries = max((job.retry.tries for job in jobs), default=5)
    schedule = [cron(schedule_due, name="schedule", second=0, unique=True)] if options.queue is Queue.SHORT else []
    return GracefulWorker(
        functions=[func(run_job, name="run_job", timeout=timeout + 5, max_tries=tries + 1)],
        cron_jobs=schedule,
        redis_settings=redis_settings(redis_url),
        ctx={"zhijian": context, "zhijian_prefix": options.prefix},
        queue_name=queue_name(options.queue, options.prefix),
        burst=burst,
        max_jobs=options.max_jobs,
        poll_delay=options.poll_delay,
        timezone=BEIJING,
        handle_signals=False,
        keep_result=3600,
    )


async def _poll(worker: Worker) -> None:
    """arq's poll loop, restarted with backoff when Redis stays away longer than its command retries."""
    delay = 1.0
    while True:
        try:
            await worker.main()
            return
        except (RedisError, OSError) as error:
            log.warning("Redis unavailable (%s: %s); polling again in %.0fs", type(error).__name__, error, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 30.0)


async def serve(
    worker: GracefulWorker, options: WorkerOptions, stop: asyncio.Event, drainer: Drainer | None = None
) -> None:
    """Run ``worker`` (and ``drainer``) until ``stop`` is set, then shut down gracefully."""
    log.info(
        "worker started: queue %s (%s), up to %d jobs at once, grace %.0fs%s",
        options.queue.value,
        worker.queue_name,
        options.max_jobs,
        options.grace,
        ", draining the outbox" if drainer else "",
    )
    poll = asyncio.create_task(_poll(worker), name="arq poll")
    drain = asyncio.create_task(drainer.run(stop), name="outbox") if drainer is not None else None
    stopped = asyncio.create_task(stop.wait())
    await asyncio.wait({poll, stopped}, return_when=asyncio.FIRST_COMPLETED)
    worker.allow_pick_jobs = False
    if worker.starting:
        await asyncio.wait(set(worker.starting))  # a start under way ends with its task made
    running = [task for task in worker.tasks.values() if not task.done()]
    if running:
        log.info("stopping: waiting up to %.0fs for %d running jobs", options.grace, len(running))
        _, late = await asyncio.wait(running, timeout=options.grace)
        if late:
            log.warning("stopping: %d jobs still running after the grace period are cut off and re-queued", len(late))
    poll.cancel()
    stopped.cancel()
    if drain is not None:
        stop.set()
        await asyncio.wait({drain}, timeout=max(options.grace, 1.0))
    with contextlib.suppress(asyncio.CancelledError, RedisError, OSError, TimeoutError):
        await asyncio.wait_for(worker.close(), 10.0)
    log.info(
        "worker stopped: %d jobs done, %d failed, %d retried",
        worker.jobs_complete,
        worker.jobs_failed,
        worker.jobs_retried,
    )


def stop_on_signals(stop: asyncio.Event) -> None:
    """SIGINT/SIGTERM set ``stop``; a second one says so and exits at once."""
    loop = asyncio.get_running_loop()

    def handle(sig: signal.Signals) -> None:
        if stop.is_set():
            log.warning("%s again: stopping now", sig.name)
            raise SystemExit(130)
        log.info("%s: stopping", sig.name)
        stop.set()

    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, handle, sig)


async def run_worker(settings: Settings, token_url: str, options: WorkerOptions) -> int:
    """Serve jobs until SIGINT/SIGTERM; components ask the federated graph over HTTP as their machine clients."""
    configure_logging(settings.log_level, settings.log_format)
    if settings.redis_url is None:
        print("zhijian worker: set ZHIJIAN_REDIS_URL (the embedded hub runs its jobs in process)", file=sys.stderr)
        return 2
    database = open_database(settings)
    http = httpx.AsyncClient(timeout=30.0)
    graph = graph_access(settings, http, token_url, http, settings.gateway_url)
    wiring = Wiring(org_tree=default_org_tree(), graph=graph, environ=settings.environ)
    try:
        await work(settings.redis_url, JobContext.build(database, JOB_OWNERS, wiring), options)
    finally:
        await http.aclose()
        await database.dispose()
    return 0


async def work(redis_url: str, context: JobContext, options: WorkerOptions) -> None:
    """The worker's life: serve ``options.queue`` (and drain the outbox) until SIGINT/SIGTERM."""
    stop = asyncio.Event()
    stop_on_signals(stop)
    drainer = Drainer(context.database, context.deliveries) if options.outbox and options.queue is Queue.SHORT else None
    await serve(build_worker(redis_url, context, options), options, stop, drainer)

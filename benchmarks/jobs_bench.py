"""Jobs per second for a no-op job: one arq worker with arq's defaults beside one with tuned settings, and the
in-process queue, in the same run.

    python -m benchmarks.jobs_bench [--jobs 3000] [--redis redis://127.0.0.1:6379/8] [--url sqlite+aiosqlite:///…]

Each job goes through the whole path a real job takes (lookup by name, ids checked, one try with its timeout, the
outcome logged — filtered at warning level here) except the effect. Tuned: ``max_jobs=100`` and
``poll_delay=0.05`` (arq reads up to 5 × max_jobs ids per poll); defaults: ``max_jobs=10``, ``poll_delay=0.5``.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hub.jobs import ArqJobQueue, InProcessJobQueue, JobContext
from hub.worker import WorkerOptions, build_worker
from kernel.db import Database
from kernel.jobs import MIGRATIONS
from kernel.migrations import upgrade
from subgraphs.common.component import Consumer, Job, Wiring
from subgraphs.common.services import SubgraphServices


async def nothing(database: Database, services: SubgraphServices, *, n: str) -> int:
    return 0


@dataclass(frozen=True, slots=True)
class NoOps:
    name: str = "bench"
    services: Callable[[Wiring], Any] = field(default=lambda _wiring: SubgraphServices())
    jobs: tuple[Job[Any], ...] = (Job("bench.nothing", nothing, daily_at=None, ids=("n",)),)
    consumers: tuple[Consumer[Any, Any], ...] = ()


async def arq_rate(redis: str, context: JobContext, jobs: int, options: WorkerOptions) -> float:
    prefix = f"zhijian-bench-{uuid.uuid4().hex}"
    queue = await ArqJobQueue.connect(redis, context, prefix)
    for n in range(jobs):
        await queue.enqueue("bench.nothing", job_id=f"{prefix}-{n}", ids={"n": str(n)})
    worker = build_worker(redis, context, WorkerOptions(prefix=prefix, max_jobs=options.max_jobs,
                                                        poll_delay=options.poll_delay), burst=True)  # fmt: skip
    began = time.perf_counter()
    await worker.main()
    seconds = time.perf_counter() - began
    assert worker.jobs_complete == jobs, worker
    await worker.close()
    await queue.close()
    return jobs / seconds


async def in_process_rate(context: JobContext, jobs: int) -> float:
    queue = InProcessJobQueue(context)
    began = time.perf_counter()
    for n in range(jobs):
        await queue.enqueue("bench.nothing", job_id=f"local-{n}", ids={"n": str(n)})
    await queue.drain()
    return jobs / (time.perf_counter() - began)


async def main(jobs: int, redis: str, url: str) -> None:
    logging.basicConfig(level=logging.WARNING)
    database = Database.from_url(url, [MIGRATIONS.schema])
    await upgrade(database, [MIGRATIONS])
    context = JobContext.build(database, [NoOps()], services={"bench": SubgraphServices()})
    defaults = await arq_rate(redis, context, jobs, WorkerOptions(max_jobs=10, poll_delay=0.5))
    tuned = await arq_rate(redis, context, jobs, WorkerOptions(max_jobs=100, poll_delay=0.05))
    local = await in_process_rate(context, jobs)
    print(f"{jobs} no-op jobs, one worker process, Redis {redis}")
    print(f"arq, defaults (max_jobs=10, poll 0.5 s): {defaults:7.0f} jobs/s")
    print(f"arq, tuned (max_jobs=100, poll 0.05 s):  {tuned:7.0f} jobs/s ({tuned / defaults:.1f}× defaults)")
    print(f"in process (the embedded hub):           {local:7.0f} jobs/s")
    await database.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=3000)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/8")
    parser.add_argument("--url", default=f"sqlite+aiosqlite:///{tempfile.mkdtemp()}/jobs.db")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.jobs, arguments.redis, arguments.url))

"""``zhijian worker``: an arq worker on Redis that runs the components' jobs (production: many of them, anywhere)."""

from __future__ import annotations

import sys

import httpx
from arq.connections import RedisSettings
from arq.cron import cron
from arq.worker import Worker

from hub.components import SUBGRAPHS
from hub.embedded import graph_access, open_database
from hub.jobs import DEFAULT_QUEUE, JobContext, run_job, schedule_daily
from hub.settings import Settings
from kernel.clock import BEIJING
from kernel.orgtree import default_org_tree
from subgraphs.common.component import Wiring


def build_worker(
    redis_url: str, context: JobContext, *, queue_name: str = DEFAULT_QUEUE, burst: bool = False
) -> Worker:
    """An arq worker for our one job function, with the daily schedule at each job's time (Beijing)."""
    times = sorted({job.daily_at for job in context.daily() if job.daily_at is not None})
    return Worker(
        functions=[run_job],
        cron_jobs=[cron(schedule_daily, hour=at.hour, minute=at.minute, unique=True) for at in times],
        redis_settings=RedisSettings.from_dsn(redis_url),
        ctx={"zhijian": context},
        queue_name=queue_name,
        burst=burst,
        timezone=BEIJING,
        handle_signals=not burst,
    )


async def run_worker(settings: Settings, token_url: str) -> int:
    """Serve jobs until SIGINT/SIGTERM; components ask the federated graph over HTTP as their machine clients."""
    if settings.redis_url is None:
        print("zhijian worker: set ZHIJIAN_REDIS_URL (the embedded hub runs its jobs in process)", file=sys.stderr)
        return 2
    database = open_database(settings)
    http = httpx.AsyncClient(timeout=30.0)
    wiring = Wiring(
        org_tree=default_org_tree(), graph=graph_access(settings, http, token_url, http, settings.gateway_url)
    )
    context = JobContext(database, SUBGRAPHS, {c.name: c.services(wiring) for c in SUBGRAPHS})
    try:
        await build_worker(settings.redis_url, context).main()
    finally:
        await http.aclose()
        await database.dispose()
    return 0

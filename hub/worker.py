"""``zhijian worker``: an arq worker on Redis that runs the hub's jobs (production: many of them, anywhere)."""

from __future__ import annotations

import sys

import httpx
from arq.connections import RedisSettings
from arq.cron import cron
from arq.worker import Worker

from gateway.auth import IdentitySigner
from hub.jobs import DEFAULT_QUEUE, JobContext, run_job, schedule_daily
from hub.settings import Settings
from subgraphs.common.calendar import BEIJING
from subgraphs.common.db import Database
from subgraphs.common.forwarding_secret import forwarding_secret
from subgraphs.permits.registry_graphql import GraphQLEntityRegistry
from subgraphs.permits.services import PermitServices


def build_worker(
    redis_url: str, context: JobContext, *, queue_name: str = DEFAULT_QUEUE, burst: bool = False
) -> Worker:
    """An arq worker for our one job function, with the daily schedule at 00:05 Beijing time."""
    return Worker(
        functions=[run_job],
        cron_jobs=[cron(schedule_daily, hour=0, minute=5, unique=True)],
        redis_settings=RedisSettings.from_dsn(redis_url),
        ctx={"zhijian": context},
        queue_name=queue_name,
        burst=burst,
        timezone=BEIJING,
        handle_signals=not burst,
    )


async def run_worker(settings: Settings) -> int:
    """Serve jobs until SIGINT/SIGTERM; the entities subgraph is asked over HTTP for registry facts."""
    if settings.redis_url is None:
        print("zhijian worker: set ZHIJIAN_REDIS_URL (the embedded hub runs its jobs in process)", file=sys.stderr)
        return 2
    database = Database.from_url(settings.database_url)
    entities = httpx.AsyncClient(base_url=f"http://{settings.host}:{settings.subgraph_ports['entities']}")
    signer = IdentitySigner.from_secret(forwarding_secret(settings.forwarding_secret, settings.data_dir))
    context = JobContext(database, PermitServices(registry=GraphQLEntityRegistry(entities, signer)))
    try:
        await build_worker(settings.redis_url, context).main()
    finally:
        await entities.aclose()
        await database.dispose()
    return 0

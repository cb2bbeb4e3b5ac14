"""A worker process over the test ledger component: the same ``hub.worker.work`` as ``zhijian worker``, with jobs
a test can make slow. ``python -m tests.support.ledger_worker DATABASE_URL REDIS_URL PREFIX SLOW GRACE``."""

from __future__ import annotations

import asyncio
import sys

from hub.jobs import JobContext
from hub.worker import WorkerOptions, work
from kernel.db import Database
from kernel.jobs import MIGRATIONS
from kernel.logs import configure_logging
from tests.support.jobs import LEDGER, LedgerServices


async def main(database_url: str, redis_url: str, prefix: str, slow: float, grace: float) -> None:
    configure_logging("info")
    database = Database.from_url(database_url, [MIGRATIONS.schema])
    context = JobContext.build(database, [LEDGER], services={"ledger": LedgerServices(slow=slow)})
    try:
        await work(redis_url, context, WorkerOptions(grace=grace, prefix=prefix, max_jobs=4, poll_delay=0.05))
    finally:
        await database.dispose()


if __name__ == "__main__":
    url, redis, prefix, slow, grace = sys.argv[1:6]
    asyncio.run(main(url, redis, prefix, float(slow), float(grace)))

"""The JobQueue seam: the same contract for the in-process queue and arq on a real Redis."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from sqlalchemy import func, select

from hub.components import SUBGRAPHS
from hub.jobs import (
    ArqJobQueue,
    InProcessJobQueue,
    JobContext,
    JobQueue,
    daily_job_id,
    enqueue_daily,
    seconds_until_next_run,
)
from hub.worker import build_worker
from kernel.db import Database
from kernel.errors import ClientError
from subgraphs.common.component import Holder
from subgraphs.entities.services import EntityServices
from subgraphs.permits.models import PermitRow
from subgraphs.permits.seed import seed_permits
from subgraphs.permits.services import PermitServices
from tests.support.components import migrated

HOLDERS = tuple(
    Holder(uscc, f"深圳市持证食品有限公司{n}", "广东省深圳市福田区南园街道建设路1号", "440304")
    for n, uscc in enumerate(("91350100M000100Y43", "91440300MA5H7K2P12", "91110000101623741K", "911101066976941872"))
)
FAR_FUTURE = dt.datetime(2040, 1, 1, tzinfo=dt.UTC)
PERMITS = 8

Runner = Callable[[], Awaitable[None]]


@pytest.fixture
async def context(postgres_database_url: str) -> AsyncIterator[JobContext]:
    """Permits in a fresh PostgreSQL database, and services whose clock reads 2040 (all of them lapsed)."""
    database = await migrated(postgres_database_url, *SUBGRAPHS)
    assert await seed_permits(database, PermitServices(), PERMITS, HOLDERS, progress=False) == PERMITS
    services = {
        "entities": EntityServices(clock=lambda: FAR_FUTURE),
        "permits": PermitServices(clock=lambda: FAR_FUTURE),
    }
    yield JobContext(database, SUBGRAPHS, services)
    await database.dispose()


@pytest.fixture(params=["in-process", "arq"])
async def queue(
    request: pytest.FixtureRequest, context: JobContext, redis_server_url: str
) -> AsyncIterator[tuple[JobQueue, Runner]]:
    """Each implementation with a way to let the queued work finish."""
    if request.param == "in-process":
        local = InProcessJobQueue(context)
        yield local, local.drain
        await local.close()
        return
    queue_name = f"zhijian-test-{uuid.uuid4().hex}"
    remote = await ArqJobQueue.connect(redis_server_url, context, queue_name)

    async def run_worker() -> None:
        worker = build_worker(redis_server_url, context, queue_name=queue_name, burst=True)
        await worker.main()
        await worker.close()

    yield remote, run_worker
    await remote.close()


async def _statuses(database: Database) -> dict[str, int]:
    async with database.transaction() as session:
        rows = await session.execute(select(PermitRow.status, func.count()).group_by(PermitRow.status))
        return {status: count for status, count in rows.all()}


async def test_a_queued_job_changes_the_database(queue: tuple[JobQueue, Runner], context: JobContext) -> None:
    jobs, run = queue
    assert await _statuses(context.database) != {"EXPIRED": PERMITS}
    assert await jobs.enqueue("permits.expire_permits", job_id=f"expire-{uuid.uuid4().hex}") is True
    await run()
    assert await _statuses(context.database) == {"EXPIRED": PERMITS}


async def test_the_same_job_id_is_taken_once(queue: tuple[JobQueue, Runner], context: JobContext) -> None:
    jobs, run = queue
    job_id = daily_job_id("permits.expire_permits", dt.date(2040, 1, 1)) + uuid.uuid4().hex
    assert await jobs.enqueue("permits.expire_permits", job_id=job_id) is True
    assert await jobs.enqueue("permits.expire_permits", job_id=job_id) is False
    await run()
    assert await _statuses(context.database) == {"EXPIRED": PERMITS}


async def test_an_unknown_job_is_refused_before_anything_is_queued(queue: tuple[JobQueue, Runner]) -> None:
    jobs, _ = queue
    with pytest.raises(ClientError, match=r"unknown job 'permits\.nope'") as refused:
        await jobs.enqueue("permits.nope", job_id="x")
    assert refused.value.code == "UNKNOWN_JOB"


async def test_daily_jobs_run_once_per_date(context: JobContext) -> None:
    jobs = InProcessJobQueue(context)
    first = await enqueue_daily(jobs, context.daily(), dt.date(2040, 1, 1))
    assert set(first) == {"permits.expire_permits", "permits.deem_accepted", "entities.move_long_abnormal_to_serious"}
    assert await enqueue_daily(jobs, context.daily(), dt.date(2040, 1, 1)) == ()
    assert len(await enqueue_daily(jobs, context.daily(), dt.date(2040, 1, 2))) == 3
    await jobs.close()


def test_daily_jobs_wait_for_five_past_midnight_beijing_time() -> None:
    # 15:00 UTC is 23:00 in Beijing: the next run is at 00:05, 65 minutes later.
    assert seconds_until_next_run(dt.datetime(2026, 5, 1, 15, 0, tzinfo=dt.UTC)) == 65 * 60
    # 16:10 UTC is 00:10 in Beijing, just past the run: wait for the next day.
    assert seconds_until_next_run(dt.datetime(2026, 5, 1, 16, 10, tzinfo=dt.UTC)) == 24 * 3600 - 5 * 60

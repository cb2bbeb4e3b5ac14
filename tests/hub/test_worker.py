"""The worker as a service, as real processes with real signals: it logs its start, each job's outcome and its
stop; SIGTERM/SIGINT wait for running jobs up to the grace period; a job cut off runs again once; a Redis restart
is waited out."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from arq import create_pool
from arq.constants import in_progress_key_prefix

from hub.components import MIGRATIONS
from hub.jobs import ArqJobQueue, JobContext, redis_settings
from hub.worker import WorkerOptions, build_worker
from kernel.db import Database
from kernel.migrations import upgrade
from tests.support.jobs import LEDGER, LedgerServices, job_layer, ledger_count, ledger_rows
from tests.support.lost_reply import LostReply, resp_command
from tests.support.processes import Child, own_redis, python


@pytest.fixture
async def database(postgres_database_url: str) -> AsyncIterator[Database]:
    database = await job_layer(postgres_database_url)
    yield database
    await database.dispose()


def ledger_worker(database_url: str, redis_url: str, prefix: str, *, slow: float, grace: float) -> list[str]:
    return python("-m", "tests.support.ledger_worker", database_url, redis_url, prefix, str(slow), str(grace))


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=lambda s: s.name)
async def test_zhijian_worker_logs_its_start_and_stops_on_a_signal(
    sig: signal.Signals, postgres_database_url: str, redis_server_url: str, tmp_path: Path
) -> None:
    database = Database.from_url(postgres_database_url, [history.schema for history in MIGRATIONS])
    await upgrade(database, MIGRATIONS)
    await database.dispose()
    env = {
        "ZHIJIAN_DATABASE_URL": postgres_database_url,
        "ZHIJIAN_REDIS_URL": redis_server_url,
        "ZHIJIAN_DATA_DIR": str(tmp_path),
    }  # fmt: skip
    worker = await Child.start(python("-m", "hub.cli", "worker", "--grace", "5"), env)
    try:
        assert "queue short" in await worker.wait_for("worker started")
        await worker.wait_for("outbox drainer")
        worker.signal(sig)
        assert await worker.exit_code() == 0
        await worker.wait_for(f"{sig.name}: stopping")
        await worker.wait_for("worker stopped")
    finally:
        await worker.kill()


async def test_a_stop_waits_for_the_running_job_to_finish(
    database: Database, postgres_database_url: str, redis_server_url: str
) -> None:
    prefix = f"zhijian-test-{uuid.uuid4().hex}"
    queue = await ArqJobQueue.connect(redis_server_url, _context(database), prefix)
    worker = await Child.start(ledger_worker(postgres_database_url, redis_server_url, prefix, slow=1.0, grace=20), {})
    try:
        job_id = f"slow-{uuid.uuid4().hex}"
        await queue.enqueue("ledger.write", job_id=job_id, ids={"key": "slow"})
        await worker.wait_for(f"job ledger.write [{job_id}] try 1 started")
        worker.signal(signal.SIGTERM)
        assert await worker.exit_code() == 0
    finally:
        await worker.kill()
        await queue.close()
    assert await ledger_rows(database, "job") == [("slow", 0)]
    order = [
        _first(worker.lines, text)
        for text in ("SIGTERM: stopping", "waiting up to 20s for 1 running jobs", "done: 1 records", "worker stopped")
    ]  # fmt: skip
    assert order == sorted(order), "\n".join(worker.lines)


async def test_a_job_cut_off_by_the_grace_period_is_run_again_once(
    database: Database, postgres_database_url: str, redis_server_url: str
) -> None:
    prefix = f"zhijian-test-{uuid.uuid4().hex}"
    queue = await ArqJobQueue.connect(redis_server_url, _context(database), prefix)
    first = await Child.start(ledger_worker(postgres_database_url, redis_server_url, prefix, slow=30, grace=0.1), {})
    try:
        job_id = f"cut-{uuid.uuid4().hex}"
        await queue.enqueue("ledger.write", job_id=job_id, ids={"key": "cut"})
        await first.wait_for(f"[{job_id}] try 1 started")
        first.signal(signal.SIGTERM)
        assert await first.exit_code() == 0
        await first.wait_for("cut off and re-queued")
        assert await ledger_count(database) == 0
        second = await Child.start(ledger_worker(postgres_database_url, redis_server_url, prefix, slow=0, grace=5), {})
        try:
            await second.wait_for(f"[{job_id}] done: 1 records")
            second.signal(signal.SIGTERM)
            assert await second.exit_code() == 0
        finally:
            await second.kill()
    finally:
        await first.kill()
        await queue.close()
    assert await ledger_rows(database, "job") == [("cut", 0)]


async def test_the_worker_survives_a_redis_restart_and_finishes_every_job_once(
    database: Database, postgres_database_url: str, tmp_path: Path
) -> None:
    with own_redis(tmp_path) as redis:
        prefix = "zhijian:jobs"
        expected = [f"before-{n}" for n in range(20)] + [f"after-{n}" for n in range(20)]
        queue = await ArqJobQueue.connect(redis.url, _context(database), prefix)
        worker = await Child.start(ledger_worker(postgres_database_url, redis.url, prefix, slow=0.1, grace=10), {})
        try:
            for n in range(20):
                await queue.enqueue("ledger.write", job_id=f"before-{n}", ids={"key": f"before-{n}"})
            await worker.wait_for("done: 1 records")
            redis.restart(down_for=2.0)  # mid-run: jobs are running and queued
            for n in range(20):
                await queue.enqueue("ledger.write", job_id=f"after-{n}", ids={"key": f"after-{n}"})
            for key in expected:
                await worker.wait_for(f"[{key}] done")
            assert worker.process.returncode is None, "the worker died with Redis"
            worker.signal(signal.SIGTERM)
            assert await worker.exit_code() == 0
        finally:
            await worker.kill()
            await queue.close()
    keys = [key for key, _ in await ledger_rows(database, "job")]
    assert sorted(keys) == sorted(expected), "\n".join(worker.lines)


async def test_a_start_whose_reply_is_lost_still_runs_the_job_once(
    database: Database, postgres_database_url: str, tmp_path: Path
) -> None:
    """Redis applies the in-progress mark and the connection drops before the reply: redis-py reports that as a
    WatchError, the error a competing worker's mark gives; the job must not wait out the mark (minutes)."""
    prefix = "zhijian:jobs"
    job_id = "lost-1"
    mark = in_progress_key_prefix + job_id
    with own_redis(tmp_path) as server:
        redis = await create_pool(redis_settings(server.url))
        queue = await ArqJobQueue.connect(server.url, _context(database), prefix)
        proxy = LostReply(server.port, resp_command("PSETEX", mark), lambda: redis.exists(mark))
        try:
            await queue.enqueue("ledger.write", job_id=job_id, ids={"key": "lost"})
            async with proxy.serving():
                worker = await Child.start(ledger_worker(postgres_database_url, proxy.url, prefix, slow=0, grace=5), {})
                try:
                    assert "1 records" in await worker.wait_for(f"[{job_id}] done")
                    assert proxy.cut, "the proxy never saw the start"
                    await worker.wait_for("the reply to its start was lost")
                    worker.signal(signal.SIGTERM)
                    assert await worker.exit_code() == 0
                finally:
                    await worker.kill()
        finally:
            await queue.close()
            await redis.aclose()
    assert await ledger_rows(database, "job") == [("lost", 0)]


async def test_a_stop_at_any_moment_of_a_job_start_leaves_no_job_marked_running_without_running(
    database: Database, redis_server_url: str
) -> None:
    """arq marks a job in progress, then makes its task: a stop (the poll loop cancelled) between the two would
    leave the job untaken until the mark expires. Each round cancels a start after one more step than the last."""
    prefix = f"zhijian-test-{uuid.uuid4().hex}"
    context = _context(database)
    queue = await ArqJobQueue.connect(redis_server_url, context, prefix)
    worker = build_worker(redis_server_url, context, WorkerOptions(prefix=prefix))
    worker._pool = await create_pool(redis_settings(redis_server_url))  # what arq's main() would open
    jobs: list[str] = []
    try:
        for steps in range(40):
            job_id = f"start-{steps}-{uuid.uuid4().hex}"
            jobs.append(job_id)
            await queue.enqueue("ledger.write", job_id=job_id, ids={"key": job_id})
            start = asyncio.create_task(worker.start_jobs([job_id.encode()]))
            for _ in range(steps):
                await asyncio.sleep(0)
            start.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await start
            while worker.starting:
                await asyncio.wait(set(worker.starting))
            await asyncio.gather(*worker.tasks.values(), return_exceptions=True)
            marked = await worker.pool.exists(in_progress_key_prefix + job_id)
            assert not marked, f"cancelled after {steps} steps: {job_id} is marked in progress and nothing runs it"
        queued = {job for job in jobs if await worker.pool.zscore(worker.queue_name, job) is not None}
    finally:
        await worker.close()
        await queue.close()
    written = [key for key, _ in await ledger_rows(database, "job")]
    assert sorted(written + sorted(queued)) == sorted(jobs), "each job written once, or still queued for a worker"
    assert len(written) >= 35, "most rounds cancel after the start began, which then finishes"


def _context(database: Database) -> JobContext:
    return JobContext.build(database, [LEDGER], services={"ledger": LedgerServices()})


def _first(lines: list[str], text: str) -> int:
    return next(n for n, line in enumerate(lines) if text in line)

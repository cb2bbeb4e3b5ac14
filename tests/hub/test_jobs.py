"""The JobQueue seam: the same contract for the in-process queue and arq on a real Redis — jobs by name with
ids, once per job id, transient failures retried with backoff, the rest dead-lettered and replayable."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from sqlalchemy import func, select

from hub.components import SUBGRAPHS
from hub.jobs import ArqJobQueue, InProcessJobQueue, JobContext, JobQueue
from hub.jobs_command import replay
from hub.worker import WorkerOptions, build_worker
from kernel.db import Database
from kernel.errors import ClientError
from kernel.jobs.dead_letters import LetterState, letters
from subgraphs.common.component import Holder, Queue
from subgraphs.enforcement.services import EnforcementServices
from subgraphs.entities.services import EntityServices
from subgraphs.permits.models import PermitRow
from subgraphs.permits.seed import seed_permits
from subgraphs.permits.services import PermitServices
from subgraphs.supervision.services import SupervisionServices
from tests.support.clock import Clock
from tests.support.jobs import LEDGER, LedgerServices, job_layer, ledger_rows

HOLDERS = tuple(
    Holder(uscc, f"深圳市持证食品有限公司{n}", "广东省深圳市福田区南园街道建设路1号", "440304")
    for n, uscc in enumerate(("91350100M000100Y43", "91440300MA5H7K2P12", "91110000101623741K", "911101066976941872"))
)
FAR_FUTURE = dt.datetime(2040, 1, 1, tzinfo=dt.UTC)
PERMITS = 8

Runner = Callable[..., Awaitable[None]]


@pytest.fixture
async def context(postgres_database_url: str) -> AsyncIterator[JobContext]:
    """Permits in a fresh PostgreSQL database, services whose clock reads 2040 (all of them lapsed), the ledger."""
    database = await job_layer(postgres_database_url, *SUBGRAPHS)
    assert await seed_permits(database, PermitServices(), PERMITS, HOLDERS, progress=False) == PERMITS
    services = {
        "entities": EntityServices(clock=lambda: FAR_FUTURE),
        "permits": PermitServices(clock=lambda: FAR_FUTURE),
        "supervision": SupervisionServices(clock=lambda: FAR_FUTURE),
        "enforcement": EnforcementServices(clock=lambda: FAR_FUTURE),
        "ledger": LedgerServices(clock=Clock(FAR_FUTURE)),
    }
    yield JobContext.build(database, [*SUBGRAPHS, LEDGER], services=services, clock=lambda: FAR_FUTURE)
    await database.dispose()


@pytest.fixture(params=["in-process", "arq"])
async def queue(
    request: pytest.FixtureRequest, context: JobContext, redis_server_url: str
) -> AsyncIterator[tuple[JobQueue, Runner]]:
    """Each implementation with a way to let the queued work finish (arq: a burst worker on the given queue)."""
    if request.param == "in-process":
        local = InProcessJobQueue(context)

        async def wait(on: Queue = Queue.SHORT) -> None:
            await local.drain()

        yield local, wait
        await local.close()
        return
    prefix = f"zhijian-test-{uuid.uuid4().hex}"
    remote = await ArqJobQueue.connect(redis_server_url, context, prefix)

    async def run_worker(on: Queue = Queue.SHORT) -> None:
        worker = build_worker(redis_server_url, context, WorkerOptions(queue=on, prefix=prefix), burst=True)
        await worker.main()
        await worker.close()

    yield remote, run_worker
    await remote.close()


async def _statuses(database: Database) -> dict[str, int]:
    """Permits with a validity period by status (a filing, 备案, has none and never expires)."""
    async with database.transaction() as session:
        dated = select(PermitRow.status, func.count()).where(PermitRow.valid_to.is_not(None))
        rows = await session.execute(dated.group_by(PermitRow.status))
        return {status: count for status, count in rows.all()}


async def _dated(database: Database) -> int:
    return sum((await _statuses(database)).values())


async def test_a_queued_job_changes_the_database(queue: tuple[JobQueue, Runner], context: JobContext) -> None:
    jobs, run = queue
    dated = await _dated(context.database)
    assert await _statuses(context.database) != {"EXPIRED": dated}
    assert await jobs.enqueue("permits.expire_permits", job_id=f"expire-{uuid.uuid4().hex}") is True
    await run()
    assert await _statuses(context.database) == {"EXPIRED": dated}


async def test_the_same_job_id_is_taken_once(queue: tuple[JobQueue, Runner], context: JobContext) -> None:
    jobs, run = queue
    job_id = f"write-{uuid.uuid4().hex}"
    assert await jobs.enqueue("ledger.write", job_id=job_id, ids={"key": "k1"}) is True
    assert await jobs.enqueue("ledger.write", job_id=job_id, ids={"key": "k1"}) is False
    await run()
    assert await ledger_rows(context.database, "job") == [("k1", 0)]


async def test_a_job_run_twice_under_two_ids_applies_its_effect_once(
    queue: tuple[JobQueue, Runner], context: JobContext
) -> None:
    jobs, run = queue
    for n in range(2):
        await jobs.enqueue("ledger.write", job_id=f"w{n}-{uuid.uuid4().hex}", ids={"key": "same"})
    await run()
    assert await ledger_rows(context.database, "job") == [("same", 0)]


async def test_an_unknown_job_or_wrong_ids_are_refused_before_anything_is_queued(
    queue: tuple[JobQueue, Runner],
) -> None:
    jobs, _ = queue
    with pytest.raises(ClientError, match=r"unknown job 'permits\.nope'") as refused:
        await jobs.enqueue("permits.nope", job_id="x")
    assert refused.value.code == "UNKNOWN_JOB"
    with pytest.raises(ClientError, match=r"takes the ids \['key'\]") as wrong:
        await jobs.enqueue("ledger.write", job_id="y", ids={"record": "1"})
    assert wrong.value.code == "BAD_JOB_IDS"


async def test_transient_failures_are_retried_with_backoff_until_the_job_succeeds(
    queue: tuple[JobQueue, Runner], context: JobContext
) -> None:
    jobs, run = queue
    context.services["ledger"].flaky = 2  # the job's policy allows 3 tries
    await jobs.enqueue("ledger.write", job_id=f"flaky-{uuid.uuid4().hex}", ids={"key": "k"})
    await run()
    assert await ledger_rows(context.database, "job") == [("k", 0)]
    assert await letters(context.database) == []


async def test_a_job_failing_for_good_is_dead_lettered_and_a_replay_after_the_fix_applies_it_once(
    queue: tuple[JobQueue, Runner], context: JobContext
) -> None:
    jobs, run = queue
    await jobs.enqueue("ledger.write", job_id=f"p-{uuid.uuid4().hex}", ids={"key": "poison-1"})
    await jobs.enqueue("ledger.write", job_id=f"ok-{uuid.uuid4().hex}", ids={"key": "fine"})
    context.services["ledger"].flaky = 0
    await run()
    assert await ledger_rows(context.database, "job") == [("fine", 0)]
    (letter,) = await letters(context.database)
    assert (letter.job, letter.ids, letter.error_code, letter.attempts) == (
        "ledger.write",
        {"key": "poison-1"},
        "JOB_FAILED",
        1,
    )
    assert "ValueError: cannot write poison-1" in letter.error

    context.services["ledger"].fixed = True
    await replay(context, jobs, letter.id, "test")
    await run()
    assert await ledger_rows(context.database, "job") == [("fine", 0), ("poison-1", 0)]
    assert (await letters(context.database, None))[0].state is LetterState.REPLAYED


async def test_transient_failures_beyond_the_limit_give_up_into_a_dead_letter(
    queue: tuple[JobQueue, Runner], context: JobContext
) -> None:
    jobs, run = queue
    context.services["ledger"].flaky = 5
    await jobs.enqueue("ledger.write", job_id=f"busy-{uuid.uuid4().hex}", ids={"key": "k"})
    await run()
    (letter,) = await letters(context.database)
    assert (letter.error_code, letter.attempts) == ("GAVE_UP", 3)
    assert "the ledger is busy" in letter.error


async def test_long_jobs_run_only_on_long_workers(context: JobContext, redis_server_url: str) -> None:
    prefix = f"zhijian-test-{uuid.uuid4().hex}"
    jobs = await ArqJobQueue.connect(redis_server_url, context, prefix)
    assert await jobs.enqueue("ledger.write_long", job_id=f"long-{uuid.uuid4().hex}", ids={"key": "long"})
    for on in (Queue.SHORT, Queue.LONG):
        worker = build_worker(redis_server_url, context, WorkerOptions(queue=on, prefix=prefix), burst=True)
        await worker.main()
        await worker.close()
        expected = [] if on is Queue.SHORT else [("long", 0)]
        assert await ledger_rows(context.database, "job") == expected, on
    await jobs.close()

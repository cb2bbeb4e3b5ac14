"""The AlertFeed seam, one contract over both implementations (this process; Redis between processes), and the
commit hook: a move reaches listeners when its transaction commits, never when it rolls back."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text

from kernel.db import Database
from subgraphs.detection.alert_feed import (
    AlertChange,
    AlertFeed,
    FeedOverflow,
    LocalAlertFeed,
    RedisAlertFeed,
    SharedReads,
    announce_commits,
    note_move,
)

RAISED = AlertChange("a-1", "CANDIDATE", "440304", "440304002", "91440300MA5F000011")
REVIEWED = AlertChange("a-1", "IN_REVIEW", "440304", "440304002", "91440300MA5F000011")
OTHER = AlertChange("a-2", "CANDIDATE", "440305", None, "91440300MA5F000029")


@pytest.fixture(params=["local", "redis"])
async def feed(request: pytest.FixtureRequest, redis_server_url: str) -> AsyncIterator[AlertFeed]:
    if request.param == "local":
        yield LocalAlertFeed(queue_size=4)
        return
    channel = f"test:kitchen-alerts:{uuid.uuid4().hex}"
    redis = RedisAlertFeed.from_url(redis_server_url, channel=channel, queue_size=4)
    yield redis
    await redis.close()


async def taken(changes: AsyncIterator[AlertChange], n: int) -> list[AlertChange]:
    async with asyncio.timeout(5):
        return [await anext(changes) for _ in range(n)]


async def test_every_listener_gets_each_change_published_after_it_began_in_order(feed: AlertFeed) -> None:
    feed.publish([OTHER])  # nobody listens yet: gone
    async with feed.listen() as first, feed.listen() as second:
        assert feed.listening == 2
        feed.publish([RAISED])
        feed.publish([REVIEWED, OTHER])
        assert await taken(first, 3) == [RAISED, REVIEWED, OTHER]
        assert await taken(second, 3) == [RAISED, REVIEWED, OTHER]
    assert feed.listening == 0


async def test_a_listener_that_falls_behind_is_ended_after_what_it_holds(feed: AlertFeed) -> None:
    async with feed.listen() as slow:
        feed.publish([RAISED] * 6)  # two more than its queue holds
        assert await taken(slow, 4) == [RAISED] * 4
        with pytest.raises(FeedOverflow):
            await taken(slow, 1)


async def test_moves_are_published_when_the_transaction_commits_and_never_when_it_rolls_back(
    sqlite_database_url: str,
) -> None:
    feed = LocalAlertFeed()
    database = Database.from_url(sqlite_database_url, ())
    try:
        async with feed.listen() as changes:
            async with database.sessions() as session:
                announce_commits(session, feed)
                async with session.begin():
                    note_move(session, OTHER)
                    await session.execute(text("SELECT 1"))
                    await session.rollback()
                async with session.begin():
                    note_move(session, RAISED)
                    note_move(session, REVIEWED)  # the alert's last move in the transaction is what it reached
                    await session.execute(text("SELECT 1"))
            assert await taken(changes, 1) == [REVIEWED]
            assert feed.listening == 1
    finally:
        await database.dispose()


async def test_subscribers_of_one_change_share_one_read_and_a_later_change_is_read_again() -> None:
    loads: list[str] = []
    gate = asyncio.Event()

    async def load(alert_id: str) -> str:
        loads.append(alert_id)
        await gate.wait()
        return f"{alert_id} as read"

    reads = SharedReads[str]()
    waiting = [asyncio.create_task(reads.read(RAISED, load)) for _ in range(20)]
    await asyncio.sleep(0)
    gate.set()
    assert await asyncio.gather(*waiting) == ["a-1 as read"] * 20
    assert await reads.read(REVIEWED, load) == "a-1 as read"
    assert loads == ["a-1", "a-1"]  # once for RAISED (20 readers), once for REVIEWED

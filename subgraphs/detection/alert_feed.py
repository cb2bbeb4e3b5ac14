"""The live kitchen-alert feed: every committed move of an alert (raised, reviewed, noticed…) announced to the
subscriptions of every detection process.

A move is noted in its session (:func:`note_move`, called by :func:`subgraphs.detection.alerts.log_move`) and
published when the session commits — never for a rollback, so a subscriber sees only what the database holds.
:class:`LocalAlertFeed` fans changes out in one process (the embedded hub); :class:`RedisAlertFeed` carries them
through a Redis channel between processes (a split deployment, ``ZHIJIAN_REDIS_URL``). A change is a hint (an id,
where the alert is supervised, its state): the subscription reads the alert itself in the subscriber's
jurisdiction. The feed is live, not a record: a client reloads its list when it (re)subscribes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import asdict, dataclass
from typing import Any, Generic, Protocol, TypeVar

import orjson
import redis.asyncio as aioredis
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)
T = TypeVar("T")

CHANNEL = "zhijian:kitchen-alerts"
QUEUE_SIZE = 256
"""Changes a subscriber may fall behind by before its subscription ends (bounded memory per client)."""
_CHANGES = "detection.alert_changes"
_FEED = "detection.alert_feed"


@dataclass(frozen=True, slots=True)
class AlertChange:
    """One committed move of an alert: which, where it is supervised and held, and the state it reached."""

    alert_id: str
    state: str
    district_code: str | None
    station_code: str | None
    uscc: str


class FeedOverflow(Exception):
    """The subscriber fell more than :data:`QUEUE_SIZE` changes behind; its subscription ends."""


class AlertFeed(Protocol):
    """Publishes committed changes and hands each listener every change published after it began listening."""

    def publish(self, changes: Sequence[AlertChange]) -> None:
        """Announce ``changes`` (committed, in commit order); returns without waiting on any listener."""

    def listen(self) -> AbstractAsyncContextManager[AsyncIterator[AlertChange]]:
        """The changes published from now on, while the context is open (:class:`FeedOverflow` when too slow)."""

    @property
    def listening(self) -> int:
        """How many subscriptions listen in this process now."""


class _Listener:
    def __init__(self, size: int) -> None:
        self.queue: asyncio.Queue[AlertChange] = asyncio.Queue(size)
        self.overflowed = False

    def offer(self, change: AlertChange) -> None:
        try:
            self.queue.put_nowait(change)
        except asyncio.QueueFull:
            self.overflowed = True

    async def changes(self) -> AsyncIterator[AlertChange]:
        while True:
            if self.overflowed and self.queue.empty():
                raise FeedOverflow("the alert feed fell behind; subscribe again and reload the list")
            yield await self.queue.get()


class LocalAlertFeed:
    """The feed within one process: each listener has a bounded queue of its own."""

    def __init__(self, queue_size: int = QUEUE_SIZE) -> None:
        self._listeners: set[_Listener] = set()
        self._queue_size = queue_size

    @property
    def listening(self) -> int:
        """How many subscriptions listen in this process now."""
        return len(self._listeners)

    def publish(self, changes: Sequence[AlertChange]) -> None:
        for listener in tuple(self._listeners):
            for change in changes:
                listener.offer(change)

    @asynccontextmanager
    async def listen(self) -> AsyncIterator[AsyncIterator[AlertChange]]:
        listener = _Listener(self._queue_size)
        self._listeners.add(listener)
        try:
            yield listener.changes()
        finally:
            self._listeners.discard(listener)


class RedisAlertFeed:
    """The feed across processes: published on a Redis channel (in commit order, by one sender task), received by one
    subscriber task per process that hands each change to this process's listeners."""

    def __init__(self, client: aioredis.Redis, *, channel: str = CHANNEL, queue_size: int = QUEUE_SIZE) -> None:
        self._redis = client
        self._channel = channel
        self._local = LocalAlertFeed(queue_size)
        self._outgoing: asyncio.Queue[bytes] = asyncio.Queue()
        self._sender: asyncio.Task[None] | None = None
        self._receiver: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()

    @classmethod
    def from_url(cls, url: str, *, channel: str = CHANNEL, queue_size: int = QUEUE_SIZE) -> RedisAlertFeed:
        return cls(aioredis.Redis.from_url(url), channel=channel, queue_size=queue_size)

    @property
    def listening(self) -> int:
        """How many subscriptions listen in this process now."""
        return self._local.listening

    def publish(self, changes: Sequence[AlertChange]) -> None:
        if not changes:
            return
        self._outgoing.put_nowait(orjson.dumps([asdict(change) for change in changes]))
        if self._sender is None:
            self._sender = asyncio.get_running_loop().create_task(self._send(), name="alert-feed-sender")

    @asynccontextmanager
    async def listen(self) -> AsyncIterator[AsyncIterator[AlertChange]]:
        if self._receiver is None:
            self._receiver = asyncio.get_running_loop().create_task(self._receive(), name="alert-feed-receiver")
        await self._ready.wait()
        async with self._local.listen() as changes:
            yield changes

    async def _send(self) -> None:
        while True:
            message = await self._outgoing.get()
            try:
                await self._redis.publish(self._channel, message)
            except Exception as error:  # Redis away: this change is lost to live subscribers, not to the database
                log.warning("kitchen-alert feed: a change was not published (%s)", type(error).__name__)

    async def _receive(self) -> None:
        while True:
            try:
                async with self._redis.pubsub() as pubsub:
                    await pubsub.subscribe(self._channel)
                    self._ready.set()
                    async for message in pubsub.listen():
                        if message.get("type") == "message":
                            self._local.publish(_decoded(message["data"]))
            except asyncio.CancelledError:
                raise
            except Exception as error:  # Redis went away: listeners wait until it is back
                log.warning("kitchen-alert feed lost its channel (%s); reconnecting", type(error).__name__)
                self._ready.set()
                await asyncio.sleep(1.0)

    async def close(self) -> None:
        for task in (self._sender, self._receiver):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        self._sender = self._receiver = None
        await self._redis.aclose()


def _decoded(data: bytes | str) -> list[AlertChange]:
    try:
        return [AlertChange(**item) for item in orjson.loads(data)]
    except (ValueError, TypeError):
        log.warning("kitchen-alert feed: ignored a malformed message")
        return []


class SharedReads(Generic[T]):
    """One read per change for every subscriber of a process. A kitchen alert has no grants, so every caller whose
    scope admits the change's place (checked in memory before) reads the same row: the first subscriber reads it, the
    others await that read (20 subscribers: one query, not 20)."""

    def __init__(self, size: int = 256) -> None:
        self._reads: OrderedDict[AlertChange, asyncio.Future[T]] = OrderedDict()
        self._size = size

    async def read(self, change: AlertChange, load: Callable[[str], Awaitable[T]]) -> T:
        """``load(alert_id)``'s result for ``change``, loaded by the first subscriber that asks."""
        found = self._reads.get(change)
        if found is None:
            found = asyncio.ensure_future(load(change.alert_id))
            self._reads[change] = found
            while len(self._reads) > self._size:
                self._reads.popitem(last=False)
        return await asyncio.shield(found)  # a subscriber that leaves does not cancel the others' read


def feed_from(environ: Mapping[str, str]) -> AlertFeed:
    """Redis when ``ZHIJIAN_REDIS_URL`` is set (several processes share the feed), else this process's own."""
    url = environ.get("ZHIJIAN_REDIS_URL")
    return RedisAlertFeed.from_url(url) if url else LocalAlertFeed()


def announce_commits(session: AsyncSession, feed: AlertFeed) -> None:
    """The alert moves noted in ``session`` go to ``feed`` when it commits (a request's session, a job's)."""
    session.info[_FEED] = feed


def note_move(session: AsyncSession | Session, change: AlertChange) -> None:
    """Remember ``change`` until the session commits (the last move of an alert in a transaction wins)."""
    changes: dict[str, AlertChange] = session.info.setdefault(_CHANGES, {})
    changes.pop(change.alert_id, None)
    changes[change.alert_id] = change


@event.listens_for(Session, "after_commit")
def _publish(session: Session) -> None:
    changes: dict[str, AlertChange] | None = session.info.pop(_CHANGES, None)
    feed: AlertFeed | None = session.info.get(_FEED)
    if changes and feed is not None:
        feed.publish(list(changes.values()))


@event.listens_for(Session, "after_soft_rollback")
def _forget(session: Session, _previous: Any) -> None:
    session.info.pop(_CHANGES, None)

"""Revoked tokens, sessions and subjects, shared between the identity provider (which revokes) and the gateway
(which refuses): a logout or a disabled account ends access at the gateway within seconds, not at token expiry.

The gateway asks on every request, so the question is answered from memory (:meth:`Revocations.revoked`: three
dictionary lookups). :class:`LocalRevocations` is that memory, for one process (the embedded hub, where provider
and gateway share it). :class:`RedisRevocations` adds Redis for several processes: a revocation is stored as a key
that expires when the last token it can concern has expired, and published on a channel; every process keeps a
subscriber that copies what is published into its memory, and reloads every key when it (re)connects, so a
message missed while disconnected is not a revocation missed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

import orjson
import redis.asyncio as aioredis

log = logging.getLogger(__name__)

CHANNEL = "zhijian:revoked"
PREFIX = "zhijian:revoked:"


class Revoked(StrEnum):
    """What a revocation names: one access token, every token of an SSO session, or every token of a subject
    issued up to the moment of revocation (a disabled account)."""

    TOKEN = "jti"
    SESSION = "sid"
    SUBJECT = "sub"


@dataclass(frozen=True, slots=True)
class TokenIds:
    """What a validated access token says about where it came from, for the revocation check."""

    subject: str
    jti: str | None
    sid: str | None
    issued_at: float


class Revocations(Protocol):
    """Records and answers revocations; :meth:`revoked` is the gateway's hot path (no I/O)."""

    async def revoke(self, kind: Revoked, value: str, *, ttl: float) -> None:
        """Revoke ``value`` of ``kind`` for ``ttl`` seconds (the longest any token it concerns can still live)."""

    def revoked(self, token: TokenIds) -> bool:
        """True when the token, its session or its subject (issued no later than the revocation) is revoked."""

    async def start(self) -> None: ...

    async def close(self) -> None: ...


class LocalRevocations:
    """Revocations in this process's memory; what :class:`RedisRevocations` mirrors, and enough on its own when
    the provider and the gateway share a process. One dictionary per kind, keyed by plain strings: the check is
    three lookups."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._tokens: dict[str, tuple[float, float]] = {}
        self._sessions: dict[str, tuple[float, float]] = {}
        self._subjects: dict[str, tuple[float, float]] = {}
        """value → (revoked at, forget after)."""
        self._kinds = {Revoked.TOKEN: self._tokens, Revoked.SESSION: self._sessions, Revoked.SUBJECT: self._subjects}
        self._size = 0

    def remember(self, kind: Revoked, value: str, at: float, until: float) -> None:
        entries = self._kinds[kind]
        known = entries.get(value)
        if known is None or known[0] < at:
            entries[value] = (at, until)
        self._size += 1
        if self._size % 1024 == 0:
            self._forget_expired()

    async def revoke(self, kind: Revoked, value: str, *, ttl: float) -> None:
        now = self._clock()
        self.remember(kind, value, now, now + ttl)

    def revoked(self, token: TokenIds) -> bool:
        if token.jti is not None and token.jti in self._tokens:
            return True
        if token.sid is not None and token.sid in self._sessions:
            return True
        subject = self._subjects.get(token.subject)
        return subject is not None and token.issued_at <= subject[0]

    def _forget_expired(self) -> None:
        now = self._clock()
        for entries in self._kinds.values():
            for value in [value for value, (_, until) in entries.items() if until < now]:
                del entries[value]

    async def start(self) -> None:
        return None

    async def close(self) -> None:
        return None


class RedisRevocations:
    """Revocations shared through Redis by every provider and gateway process of a deployment."""

    def __init__(
        self,
        client: aioredis.Redis,
        *,
        clock: Callable[[], float] = time.time,
        reconnect_after: float = 1.0,
        namespace: str = "",
    ) -> None:
        self._redis = client
        self._channel = f"{CHANNEL}{namespace}"
        self._prefix = f"{PREFIX}{namespace}"
        self._clock = clock
        self._local = LocalRevocations(clock)
        self._reconnect_after = reconnect_after
        self._listener: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()

    @classmethod
    def from_url(cls, url: str, *, clock: Callable[[], float] = time.time, namespace: str = "") -> RedisRevocations:
        """Revocations at ``url``; ``namespace`` keeps deployments (or tests) sharing one Redis database apart."""
        return cls(aioredis.Redis.from_url(url, decode_responses=True), clock=clock, namespace=namespace)

    async def revoke(self, kind: Revoked, value: str, *, ttl: float) -> None:
        now = self._clock()
        await self._redis.set(f"{self._prefix}{kind.value}:{value}", str(now), px=max(1, int(ttl * 1000)))
        await self._redis.publish(self._channel, orjson.dumps([kind.value, value, now, now + ttl]))
        self._local.remember(kind, value, now, now + ttl)

    def revoked(self, token: TokenIds) -> bool:
        return self._local.revoked(token)

    async def start(self) -> None:
        """Subscribe, then load what is stored; returns once both are done (revocations from then on are seen)."""
        if self._listener is None:
            self._listener = asyncio.create_task(self._listen(), name="revocations")
            await self._ready.wait()

    async def _listen(self) -> None:
        while True:
            try:
                async with self._redis.pubsub() as pubsub:
                    await pubsub.subscribe(self._channel)
                    await self._load()
                    self._ready.set()
                    async for message in pubsub.listen():
                        if message.get("type") == "message":
                            self._apply(str(message["data"]))
            except asyncio.CancelledError:
                raise
            except Exception as error:  # Redis went away: keep what we know, reload when it is back
                log.warning("revocation channel lost (%s); reconnecting", type(error).__name__)
                self._ready.set()
                await asyncio.sleep(self._reconnect_after)

    async def _load(self) -> None:
        async for key in self._redis.scan_iter(match=f"{self._prefix}*", count=500):
            kind, _, value = str(key).removeprefix(self._prefix).partition(":")
            if kind not in Revoked._value2member_map_:
                continue
            at, ttl = await self._redis.get(key), await self._redis.pttl(key)
            if at is not None and ttl > 0:
                self._local.remember(Revoked(kind), value, float(at), self._clock() + ttl / 1000)

    def _apply(self, message: str) -> None:
        try:
            kind, value, at, until = orjson.loads(message)
            self._local.remember(Revoked(kind), str(value), float(at), float(until))
        except (ValueError, TypeError):
            log.warning("ignored a malformed revocation message")

    async def close(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
            self._listener = None
        await self._redis.aclose()

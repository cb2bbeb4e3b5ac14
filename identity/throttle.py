"""Throttling of guesses: passwords at ``/login``, client credentials at ``/token``, ``/introspect``, ``/revoke``.

Counters live in a :class:`CounterStore`: Redis when several provider processes serve (they then count together),
or this process's memory. Keys hold hashes, never a username or a secret.

Sign-in (OWASP Authentication Cheat Sheet, "account lockout"): a per-address cap on attempts per minute, and a
*progressive delay* per account name and per address once failures pile up (1 s, 2 s, 4 s … at most
``max_delay``), never a hard lock: nobody can lock an officer out at will. A browser in which the account signed in
before (its ``zj_device`` cookie) is not slowed by failures of the account elsewhere. Unknown usernames are counted
and answered exactly like real ones, so the answers reveal nothing about which accounts exist. ``zhijian users
unlock`` clears an account's counter.

Client authentication (RFC 6749 §2.3.1: "protect against brute force"): after ``limit`` failures within the
window per client id or per address, the endpoint answers ``429`` before it verifies anything, so a flood of bad
credentials cannot buy Argon2 work either.
"""

from __future__ import annotations

import hashlib
import hmac
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import redis.asyncio as aioredis

PREFIX = "zhijian:throttle:"


@dataclass(frozen=True, slots=True)
class Failures:
    """How many failures a key has had recently, and when the last one was."""

    count: int
    last_at: float


NONE = Failures(0, 0.0)


class CounterStore(Protocol):
    """Counts events per key for a while; shared by every process that uses the same store."""

    async def hit(self, key: str, window: float) -> int:
        """Count one event in the current ``window``-second bucket of ``key``; the bucket's count."""

    async def failure(self, key: str, forget_after: float) -> Failures:
        """Record a failure for ``key``, remembered for ``forget_after`` seconds after the last one."""

    async def failures(self, key: str) -> Failures:
        """The failures of ``key`` still remembered."""

    async def clear(self, key: str) -> None: ...

    async def close(self) -> None: ...


class MemoryCounters:
    """Counters of one process."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._hits: dict[str, tuple[float, int]] = {}
        self._failures: dict[str, tuple[Failures, float]] = {}

    async def hit(self, key: str, window: float) -> int:
        bucket = self._clock() // window * window
        known = self._hits.get(key)
        count = known[1] + 1 if known is not None and known[0] == bucket else 1
        self._hits[key] = (bucket, count)
        self._sweep()
        return count

    async def failure(self, key: str, forget_after: float) -> Failures:
        now = self._clock()
        found = await self.failures(key)
        recorded = Failures(found.count + 1, now)
        self._failures[key] = (recorded, now + forget_after)
        self._sweep()
        return recorded

    async def failures(self, key: str) -> Failures:
        known = self._failures.get(key)
        if known is None or known[1] < self._clock():
            return NONE
        return known[0]

    async def clear(self, key: str) -> None:
        self._failures.pop(key, None)

    def _sweep(self) -> None:
        if len(self._hits) + len(self._failures) < 10_000:
            return
        now = self._clock()
        self._failures = {k: v for k, v in self._failures.items() if v[1] >= now}
        self._hits = {k: v for k, v in self._hits.items() if v[0] >= now - 3600}

    async def close(self) -> None:
        return None


class RedisCounters:
    """Counters in Redis (``INCR`` per time bucket; a hash of count and last time per failure key), with expiry."""

    def __init__(self, client: aioredis.Redis, clock: Callable[[], float] = time.time, namespace: str = "") -> None:
        self._redis = client
        self._clock = clock
        self._prefix = f"{PREFIX}{namespace}"

    @classmethod
    def from_url(cls, url: str, clock: Callable[[], float] = time.time, namespace: str = "") -> RedisCounters:
        """Counters at ``url``; ``namespace`` keeps deployments (or tests) sharing one Redis database apart."""
        return cls(aioredis.Redis.from_url(url, decode_responses=True), clock, namespace)

    async def hit(self, key: str, window: float) -> int:
        bucket = int(self._clock() // window)
        name = f"{self._prefix}hits:{key}:{bucket}"
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.incr(name)
            pipe.expire(name, int(window) + 1)
            count, _ = await pipe.execute()
        return int(count)

    async def failure(self, key: str, forget_after: float) -> Failures:
        now, name = self._clock(), f"{self._prefix}failures:{key}"
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hincrby(name, "count", 1)
            pipe.hset(name, "last", str(now))
            pipe.expire(name, max(1, int(forget_after)))
            count, _, _ = await pipe.execute()
        return Failures(int(count), now)

    async def failures(self, key: str) -> Failures:
        found: dict[str, str] = await self._redis.hgetall(f"{self._prefix}failures:{key}")  # type: ignore[misc]
        if not found:
            return NONE
        return Failures(int(found.get("count", 0)), float(found.get("last", 0)))

    async def clear(self, key: str) -> None:
        await self._redis.delete(f"{self._prefix}failures:{key}")

    async def close(self) -> None:
        await self._redis.aclose()


def _key(*parts: str) -> str:
    """A counter key that holds no username or address in clear."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:32]


def account_key(population: str, username: str) -> str:
    """The key of a sign-in name, whether or not an account has it (NFKC, case-folded)."""
    return _key("account", population, unicodedata.normalize("NFKC", username).casefold().strip())


@dataclass(frozen=True, slots=True)
class LoginPolicy:
    """How sign-in attempts are slowed (see the module docstring)."""

    attempts_per_address_per_minute: int = 30
    free_failures: int = 5
    """Failures of an account name (or address) before the delay starts."""
    max_delay: float = 60.0
    forget_after: float = 900.0
    """Seconds after the last failure when the failures are forgotten."""
    address_free_failures: int = 20


@dataclass(frozen=True, slots=True)
class Verdict:
    """Whether an attempt may go on; when not, ``retry_after`` seconds and why (``throttled`` / ``slowed``)."""

    allowed: bool
    reason: str = ""
    retry_after: int = 0


def _delay(failures: Failures, free: int, policy: LoginPolicy) -> float:
    if failures.count < free:
        return 0.0
    return float(min(policy.max_delay, 2 ** (failures.count - free)))


class LoginThrottle:
    """Sign-in throttling over a :class:`CounterStore`; a process-wide resource."""

    def __init__(
        self, store: CounterStore, policy: LoginPolicy, device_secret: bytes, clock: Callable[[], float] = time.time
    ) -> None:
        self.store = store
        self.policy = policy
        self._device_secret = device_secret
        self._clock = clock

    def device_token(self, population: str, username: str) -> str:
        """The ``zj_device`` cookie value of a browser where this account signed in."""
        return hmac.new(self._device_secret, account_key(population, username).encode(), hashlib.sha256).hexdigest()

    def _known_device(self, population: str, username: str, cookie: str | None) -> bool:
        return bool(cookie) and hmac.compare_digest(self.device_token(population, username), cookie or "")

    async def check(self, population: str, username: str, address: str, device: str | None) -> Verdict:
        """Before the password is checked: may this attempt go on? (The same answer for unknown usernames.)"""
        policy, now = self.policy, self._clock()
        if await self.store.hit(_key("address", address), 60.0) > policy.attempts_per_address_per_minute:
            return Verdict(False, "throttled", 60 - int(now % 60))
        from_address = await self.store.failures(_key("address-failures", address))
        waits = [_delay(from_address, policy.address_free_failures, policy) - (now - from_address.last_at)]
        if not self._known_device(population, username, device):
            account = await self.store.failures(account_key(population, username))
            waits.append(_delay(account, policy.free_failures, policy) - (now - account.last_at))
        wait = max(waits)
        if wait > 0:
            return Verdict(False, "slowed", max(1, int(wait + 0.999)))
        return Verdict(True)

    async def failed(self, population: str, username: str, address: str) -> None:
        forget = self.policy.forget_after
        await self.store.failure(account_key(population, username), forget)
        await self.store.failure(_key("address-failures", address), forget)

    async def succeeded(self, population: str, username: str) -> None:
        await self.store.clear(account_key(population, username))

    async def unlock(self, population: str, username: str) -> None:
        """The administrator's unlock path: forget the account's failures."""
        await self.store.clear(account_key(population, username))


@dataclass(frozen=True, slots=True)
class ClientAuthPolicy:
    limit: int = 10
    """Failed client authentications per client id, and per address, within the window."""
    window: float = 300.0


class ClientAuthThrottle:
    """Failed client authentication at the token, introspection and revocation endpoints, per client and address."""

    def __init__(self, store: CounterStore, policy: ClientAuthPolicy, clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.policy = policy
        self._clock = clock

    def _keys(self, client_id: str | None, address: str) -> list[str]:
        keys = [_key("client-address", address)]
        if client_id:
            keys.append(_key("client", client_id))
        return keys

    async def retry_after(self, client_id: str | None, address: str) -> int:
        """Seconds to wait before this client or address may try again; 0 when it may now."""
        now = self._clock()
        waits = [0.0]
        for key in self._keys(client_id, address):
            found = await self.store.failures(key)
            if found.count >= self.policy.limit:
                waits.append(found.last_at + self.policy.window - now)
        return max(0, int(max(waits) + 0.999))

    async def failed(self, client_id: str | None, address: str) -> None:
        for key in self._keys(client_id, address):
            await self.store.failure(key, self.policy.window)

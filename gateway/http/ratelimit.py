"""Rate limits per caller: a token bucket per officer, machine client or (without a token) address.

Two implementations of `RateLimiter`: `RedisTokenBuckets` (one Lua script per request, so every gateway process of a
deployment draws from the same buckets) and `LocalTokenBuckets` (in process, for the embedded hub or one process).
Keys are digests: no officer id or address is stored in clear.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from hashlib import blake2b
from typing import Protocol

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from gateway.errors import ClientError
from kernel.principal import Principal

_log = logging.getLogger("zhijian.gateway")

# tokens refill at `rate` per second up to `burst`; one request takes one; returns the wait for the next token
_TAKE = """
local rate, burst, now = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens, at = tonumber(state[1]) or burst, tonumber(state[2]) or now
if now > at then
  tokens = math.min(burst, tokens + (now - at) * rate)
  at = now
end
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = (1 - tokens) / rate end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(at))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)
return tostring(wait)
"""


class RateLimited(ClientError):
    """The caller's bucket is empty: answered 429 with `Retry-After`."""

    code = "RATE_LIMITED"


@dataclass(frozen=True, slots=True)
class RateLimit:
    """`per_second` requests on average, `burst` at once."""

    per_second: float
    burst: int


class RateLimiter(Protocol):
    """Takes one request's token from a caller's bucket."""

    async def take(self, caller: str) -> float:
        """0 when the request may run; otherwise the seconds until the caller's next token."""
        ...

    async def aclose(self) -> None: ...


def caller_key(principal: Principal | None, address: str | None) -> str:
    """The bucket of a request: its token's subject at its issuer, or its client address."""
    raw = f"sub\0{principal.issuer}\0{principal.subject}" if principal is not None else f"addr\0{address or '-'}"
    return blake2b(raw.encode(), digest_size=16).hexdigest()


class LocalTokenBuckets:
    """Buckets in this process; idle full buckets are forgotten."""

    def __init__(self, limit: RateLimit, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._swept = clock()

    async def take(self, caller: str) -> float:
        now = self._clock()
        rate, burst = self.limit.per_second, self.limit.burst
        tokens, at = self._buckets.get(caller, (float(burst), now))
        tokens = min(burst, tokens + max(0.0, now - at) * rate)
        wait = 0.0
        if tokens >= 1:
            tokens -= 1
        else:
            wait = (1 - tokens) / rate
        self._buckets[caller] = (tokens, now)
        if now - self._swept > burst / rate:
            self._sweep(now)
        return wait

    def _sweep(self, now: float) -> None:
        full_after = self.limit.burst / self.limit.per_second
        self._buckets = {k: v for k, v in self._buckets.items() if now - v[1] < full_after}
        self._swept = now

    async def aclose(self) -> None:
        self._buckets.clear()


class RedisTokenBuckets:
    """Buckets in Redis, shared by every gateway process using the same `namespace`.

    If Redis cannot be reached, requests are let through (logged): a rate limiter must not take sign-in down.
    """

    def __init__(
        self, client: aioredis.Redis, limit: RateLimit, clock: Callable[[], float] = time.time, namespace: str = ""
    ) -> None:
        self.limit = limit
        self._redis = client
        self._clock = clock
        self._prefix = f"zhijian:gateway:rate:{namespace}"
        self._take = client.register_script(_TAKE)

    @classmethod
    def from_url(cls, url: str, limit: RateLimit, namespace: str = "") -> RedisTokenBuckets:
        return cls(aioredis.Redis.from_url(url, decode_responses=True), limit, namespace=namespace)

    async def take(self, caller: str) -> float:
        arguments = [self.limit.per_second, self.limit.burst, self._clock()]
        try:
            wait = await self._take(keys=[self._prefix + caller], args=arguments)
        except RedisError as error:
            _log.warning("rate limits not applied: Redis is unavailable (%s)", type(error).__name__)
            return 0.0
        return float(wait)

    async def aclose(self) -> None:
        await self._redis.aclose()


def retry_after(wait: float) -> str:
    """`Retry-After` in whole seconds, at least 1."""
    return str(max(1, math.ceil(wait)))

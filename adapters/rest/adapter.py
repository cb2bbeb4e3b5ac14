"""The REST adapter: pages after the cursor; transient errors (timeouts, 429, 5xx) retried with backoff and jitter
(``Retry-After`` honoured), each call under the endpoint's rate limit and circuit breaker."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx

from adapters.errors import AdapterCode
from adapters.protocol import SourceBatch, SourceRecord
from adapters.resilience import CircuitBreaker, RateLimit
from adapters.rest.mapping import flatten, to_permit_input
from adapters.settings import AdapterSettings
from adapters.sync import SourceUnavailable
from adapters.targets import PERMITS
from kernel.clock import Clock
from kernel.db import Database
from kernel.jobs.retry import RetryPolicy

TRANSIENT = frozenset({408, 425, 429, 500, 502, 503, 504})
SOURCE = "permits-api"


@dataclass(slots=True)
class RestClient:
    base_url: str
    http: httpx.AsyncClient
    limit: RateLimit
    breaker: CircuitBreaker
    retry: RetryPolicy = field(default_factory=lambda: RetryPolicy(tries=4, first_delay=0.5, max_delay=10.0))
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    failures: list[str] = field(default_factory=list)

    async def page(self, cursor: str | None, size: int) -> tuple[list[dict[str, Any]], str | None]:
        """One page after ``cursor`` and the next cursor (None: the end)."""
        for attempt in range(1, self.retry.tries + 1):
            await self.breaker.allow()
            await self.limit.acquire()
            params = {"limit": str(size), **({"cursor": cursor} if cursor else {})}
            wait: float | None = None
            try:
                response = await self.http.get(f"{self.base_url}/api/v1/permits", params=params)
            except httpx.TransportError as error:
                problem = f"{type(error).__name__} calling the permit API"
            else:
                if response.status_code == 200:
                    await self.breaker.succeeded()
                    body = response.json()
                    return list(body["data"]), body.get("nextCursor")
                if response.status_code not in TRANSIENT:
                    raise SourceUnavailable(
                        f"the permit API refused the call: HTTP {response.status_code}",
                        code=AdapterCode.SOURCE_UNAVAILABLE,
                    )
                problem = f"HTTP {response.status_code}"
                wait = _retry_after(response)
            self.failures.append(problem)
            await self.breaker.failed()
            if self.retry.gives_up_after(attempt):
                raise SourceUnavailable(
                    f"the permit API failed {attempt} times after cursor {cursor}: {problem}",
                    code=AdapterCode.SOURCE_UNAVAILABLE,
                )
            await self.sleep(self.retry.delay(attempt) if wait is None else wait)
        raise AssertionError("unreachable")  # pragma: no cover


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after")
    try:
        return None if value is None else max(float(value), 0.0)
    except ValueError:
        return None


@dataclass(slots=True)
class RestAdapter:
    client: RestClient
    name: str = "rest"
    target: str = PERMITS.name

    async def read(self, checkpoint: str | None, size: int) -> AsyncIterator[SourceBatch]:
        await self.client.breaker.load()
        cursor = checkpoint
        while True:
            data, following = await self.client.page(cursor, size)
            if data:
                start = int(cursor or 0)
                records = [SourceRecord(f"item {start + n + 1}", flatten(item)) for n, item in enumerate(data)]
                yield SourceBatch(SOURCE, records, following or str(start + len(data)))
            if following is None or not data:
                return
            cursor = following

    def map(self, record: SourceRecord) -> dict[str, Any]:
        return to_permit_input(record.fields)


@asynccontextmanager
async def open_rest(settings: AdapterSettings, database: Database, clock: Clock) -> AsyncIterator[RestAdapter]:
    assert settings.permits_api_url is not None
    async with httpx.AsyncClient(timeout=settings.permits_api_timeout) as http:
        breaker = CircuitBreaker(database, "rest", clock=clock)
        limit = RateLimit(settings.permits_api_rate, burst=max(1.0, settings.permits_api_rate))
        yield RestAdapter(RestClient(settings.permits_api_url.rstrip("/"), http, limit, breaker))

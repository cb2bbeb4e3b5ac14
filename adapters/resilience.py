"""Calling a fragile endpoint: a token-bucket rate limit, and a circuit breaker whose state is kept in the
integration tables, so every worker respects it and operators see it (integration view, metrics)."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from adapters.errors import AdapterCode
from adapters.sync import SourceUnavailable
from kernel.clock import Clock, system_clock
from kernel.db import Database
from subgraphs.integration import store
from subgraphs.integration.vocabulary import CircuitState


@dataclass(slots=True)
class RateLimit:
    """At most ``rate`` calls per second on average, ``burst`` at once."""

    rate: float
    burst: float = 1.0
    monotonic: Callable[[], float] = time.monotonic
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    _tokens: float = -1.0
    _at: float = 0.0
    waited: float = 0.0

    async def acquire(self) -> None:
        now = self.monotonic()
        if self._tokens < 0:
            self._tokens, self._at = self.burst, now
        self._tokens = min(self.burst, self._tokens + (now - self._at) * self.rate)
        self._at = now
        if self._tokens < 1.0:
            wait = (1.0 - self._tokens) / self.rate
            self.waited += wait
            await self.sleep(wait)
            self._tokens, self._at = 1.0, self._at + wait
        self._tokens -= 1.0


class CircuitOpen(SourceUnavailable):
    """The endpoint failed too often; it is left alone until the cool-down has passed."""


@dataclass(slots=True)
class CircuitBreaker:
    """CLOSED → OPEN after ``threshold`` failures in a row; OPEN → HALF_OPEN after ``cooldown``; a half-open trial
    that succeeds closes it, one that fails opens it again."""

    database: Database
    adapter: str
    threshold: int = 5
    cooldown: dt.timedelta = dt.timedelta(minutes=2)
    clock: Clock = system_clock
    state: CircuitState = CircuitState.CLOSED
    failures: int = 0
    opened_at: dt.datetime | None = field(default=None)

    async def load(self) -> None:
        found = await store.state_of(self.database, self.adapter)
        if found is not None:
            self.state, self.failures, self.opened_at = (
                CircuitState(found.circuit),
                found.circuit_failures,
                found.circuit_opened_at,
            )

    async def allow(self) -> None:
        """Go ahead, or ``CircuitOpen``."""
        if self.state is CircuitState.OPEN:
            assert self.opened_at is not None
            reopens = self.opened_at + self.cooldown
            if self.clock() < reopens:
                raise CircuitOpen(
                    f"the circuit of {self.adapter} is open after {self.failures} failures in a row; "
                    f"next try after {reopens.isoformat()}",
                    code=AdapterCode.CIRCUIT_OPEN,
                )
            await self._set(CircuitState.HALF_OPEN)

    async def succeeded(self) -> None:
        if self.state is not CircuitState.CLOSED or self.failures:
            self.failures, self.opened_at = 0, None
            await self._set(CircuitState.CLOSED)

    async def failed(self) -> None:
        self.failures += 1
        if self.state is CircuitState.HALF_OPEN or self.failures >= self.threshold:
            self.opened_at = self.clock()
            await self._set(CircuitState.OPEN)
        else:
            await self._set(self.state)

    async def _set(self, state: CircuitState) -> None:
        self.state = state
        await store.record_circuit(self.database, self.adapter, state, self.failures, self.opened_at, self.clock())

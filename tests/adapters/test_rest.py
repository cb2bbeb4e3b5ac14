"""The REST adapter: transient answers (503, 429 with Retry-After, 500, timeouts) tried again with backoff; a rate
limit per endpoint; a circuit that opens after failures in a row, stops calls while open (and says so in the
integration state), and closes again after a good half-open trial."""

from __future__ import annotations

import collections
import datetime as dt
from collections.abc import AsyncIterator

import httpx
import pytest

from adapters.resilience import CircuitBreaker, RateLimit
from adapters.rest.adapter import RestAdapter, RestClient
from adapters.rest.simulator import PermitApi, create_app, generate_permits
from adapters.sync import sync
from kernel.jobs.retry import RetryPolicy
from subgraphs.integration import store
from subgraphs.integration.vocabulary import CircuitState, RunStatus
from tests.adapters.harness import sink
from tests.gateway.servers import serving
from tests.support.clock import Clock
from tests.support.hub import RunningHub

NO_WAIT = RetryPolicy(tries=3, first_delay=0.0, max_delay=0.0)


@pytest.fixture
async def api() -> AsyncIterator[tuple[PermitApi, str]]:
    simulated = PermitApi(generate_permits(8), slow_seconds=3.0)
    async with serving(create_app(simulated)) as url:
        yield simulated, url


async def run(hub: RunningHub, url: str, clock: Clock, threshold: int = 5) -> tuple[RunStatus, int, str | None]:
    breaker = CircuitBreaker(hub.hub.database, "rest", threshold=threshold, clock=clock)
    async with httpx.AsyncClient(timeout=0.5) as http:
        client = RestClient(url, http, RateLimit(1000.0, burst=100.0), breaker, retry=NO_WAIT)
        report = await sync(RestAdapter(client), hub.hub.database, sink(hub, "rest"), batch=3, clock=clock)
    return report.status, report.counts.applied, report.error


async def test_transient_answers_are_tried_again(hub: RunningHub, api: tuple[PermitApi, str]) -> None:
    simulated, url = api
    simulated.script = collections.deque(["503", "", "429", "", "slow", "500"])
    assert await run(hub, url, Clock()) == (RunStatus.SUCCEEDED, 8, None)
    assert simulated.calls == 6 + 1  # three pages, three of them answered badly first, one timed out


async def test_the_circuit_opens_stops_calling_and_closes_after_a_good_trial(
    hub: RunningHub, api: tuple[PermitApi, str]
) -> None:
    simulated, url = api
    clock = Clock()
    simulated.script = collections.deque(["500"] * 3)
    status, applied, error = await run(hub, url, clock, threshold=3)
    assert (status, applied) == (RunStatus.FAILED, 0) and error is not None and "HTTP 500" in error
    state = await store.state_of(hub.hub.database, "rest")
    assert state is not None and (state.circuit, state.circuit_failures) == (CircuitState.OPEN.value, 3)

    calls = simulated.calls
    status, _, error = await run(hub, url, clock, threshold=3)
    assert status is RunStatus.FAILED and error is not None and "circuit of rest is open" in error
    assert simulated.calls == calls, "an open circuit must not call the endpoint"

    clock.at += dt.timedelta(minutes=3)
    assert await run(hub, url, clock, threshold=3) == (RunStatus.SUCCEEDED, 8, None)
    state = await store.state_of(hub.hub.database, "rest")
    assert state is not None and (state.circuit, state.circuit_failures) == (CircuitState.CLOSED.value, 0)


async def test_the_rate_limit_spaces_calls_to_the_configured_rate() -> None:
    now = [0.0]
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    limit = RateLimit(rate=4.0, burst=2.0, monotonic=lambda: now[0], sleep=sleep)
    for _ in range(6):
        await limit.acquire()
    assert waits == [0.25, 0.25, 0.25, 0.25]  # two at once (the burst), then one every quarter second
    assert now[0] == 1.0

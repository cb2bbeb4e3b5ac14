"""The registry WebService adapter against its simulator over real HTTP: SOAP faults and slow answers are tried
again; a registry that keeps failing, or an answer with a gap in the change numbers, ends the run with the reason
and the checkpoint before the trouble, and the next run goes on from there — never a silent gap."""

from __future__ import annotations

import collections
from collections.abc import AsyncIterator

import httpx
import pytest

from adapters.registry.adapter import RegistryAdapter
from adapters.registry.client import RegistryClient
from adapters.registry.records import generate_changes
from adapters.registry.simulator import RegistryLog, create_app
from adapters.sync import sync
from kernel.jobs.retry import RetryPolicy
from subgraphs.entities.models import MarketEntityRow
from subgraphs.integration import store
from subgraphs.integration.vocabulary import RunStatus
from tests.adapters.harness import count, sink
from tests.gateway.servers import serving
from tests.support.hub import RunningHub

NO_WAIT = RetryPolicy(tries=3, first_delay=0.0, max_delay=0.0)


def establishments(count_: int) -> list[dict[str, str]]:
    changes = [c for c in generate_changes(count_ * 2, seed=11) if c["changeType"] == "SL"][:count_]
    for number, change in enumerate(changes, start=1):
        change["changeNo"] = str(number)
    return changes


@pytest.fixture
async def registry() -> AsyncIterator[tuple[RegistryLog, str]]:
    log = RegistryLog(changes=establishments(12), slow_seconds=3.0)
    async with serving(create_app(log)) as url:
        yield log, f"{url}/registry"


async def run(hub: RunningHub, address: str) -> tuple[RunStatus, int, str | None, RegistryClient]:
    async with httpx.AsyncClient(timeout=0.5) as http:
        client = RegistryClient(address, http, retry=NO_WAIT)
        report = await sync(RegistryAdapter(client), hub.hub.database, sink(hub, "registry"), batch=5)
    return report.status, report.counts.applied, report.error, client


async def test_a_fault_and_a_slow_answer_are_tried_again(hub: RunningHub, registry: tuple[RegistryLog, str]) -> None:
    log, address = registry
    log.script = collections.deque(["fault", "slow"])
    status, applied, error, client = await run(hub, address)
    assert (status, applied, error) == (RunStatus.SUCCEEDED, 12, None)
    assert client.failures[0].startswith("SOAP fault") and "server busy" in client.failures[0]
    assert client.failures[1].startswith("no answer in time")
    assert await count(hub.hub.database, MarketEntityRow) == 12


async def test_a_registry_failing_on_every_try_is_reported_and_the_next_run_resumes(
    hub: RunningHub, registry: tuple[RegistryLog, str]
) -> None:
    log, address = registry
    log.script = collections.deque(["", "fault", "fault", "fault"])
    status, applied, error, _ = await run(hub, address)
    assert (status, applied) == (RunStatus.PARTIAL, 5)
    assert error is not None and "failed 3 times after change 5" in error and "server busy" in error
    state = await store.state_of(hub.hub.database, "registry")
    assert state is not None and state.checkpoint == "5" and state.caught_up_at is None

    status, applied, error, _ = await run(hub, address)
    assert (status, applied, error) == (RunStatus.SUCCEEDED, 7, None)
    assert await count(hub.hub.database, MarketEntityRow) == 12


async def test_a_gap_in_the_change_numbers_stops_the_run_before_it(
    hub: RunningHub, registry: tuple[RegistryLog, str]
) -> None:
    log, address = registry
    log.script = collections.deque(["gap"])  # the first answer lacks change 3 of 1–5
    status, applied, error, _ = await run(hub, address)
    assert (status, applied) == (RunStatus.PARTIAL, 2)
    assert error is not None and "lacks change(s) 3" in error
    state = await store.state_of(hub.hub.database, "registry")
    assert state is not None and state.checkpoint == "2"

    status, applied, _, _ = await run(hub, address)
    assert (status, applied) == (RunStatus.SUCCEEDED, 10)
    assert await count(hub.hub.database, MarketEntityRow) == 12

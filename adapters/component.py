"""The adapters as a component the hub runs: each adapter's machine client, its scheduled sync (long queue), and
the application of corrected records (short queue)."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from adapters.errors import AdapterCode
from adapters.protocol import LegacyAdapter
from adapters.settings import AdapterSettings
from adapters.sink import GraphSink
from adapters.sync import RunReport, apply_resubmitted, sync
from kernel.clock import Clock
from kernel.db import Database
from kernel.errors import ClientError
from kernel.jobs.retry import RetryPolicy
from kernel.machine_client import GraphClient
from subgraphs.common.component import Consumer, Job, MachineClient, Queue, Wiring
from subgraphs.common.services import SubgraphServices
from subgraphs.integration.store import resubmitted

Opened = AbstractAsyncContextManager[LegacyAdapter] | None
Opener = Callable[[AdapterSettings, Database, Clock], Opened]
"""Opens an adapter on its source for one run (None: not configured here)."""


@dataclass(frozen=True, slots=True)
class AdapterSpec:
    name: str
    client: MachineClient
    """Its own client-credentials identity: only the write scope of the subgraph it feeds, city-wide."""
    open: Opener


def _registry(settings: AdapterSettings, database: Database, clock: Clock) -> Opened:
    from adapters.registry.adapter import open_registry

    return None if settings.registry_url is None else open_registry(settings.registry_url, settings.registry_timeout)


def _exchange(settings: AdapterSettings, database: Database, clock: Clock) -> Opened:
    from adapters.exchange.adapter import open_exchange

    return None if settings.exchange_url is None else open_exchange(settings.exchange_url, clock)


def _files(settings: AdapterSettings, database: Database, clock: Clock) -> Opened:
    from adapters.files.adapter import open_drop

    return None if settings.drop_dir is None else open_drop(settings.drop_dir, database, clock)


def _rest(settings: AdapterSettings, database: Database, clock: Clock) -> Opened:
    from adapters.rest.adapter import open_rest

    return None if settings.permits_api_url is None else open_rest(settings, database, clock)


_FEED_ROLES = {"entities": ("registry_feed",), "permits": ("permit_archive",)}
"""The machine role each feed acts in (``kernel/reference/roles.toml``)."""


def _client(name: str, feeds: str, what: str) -> MachineClient:
    scopes = (f"{feeds}:read", f"{feeds}:write", "jurisdiction:city")
    return MachineClient(f"zhijian-adapter-{name}", f"adapter {name}: {what}", scopes, _FEED_ROLES[feeds])


SPECS: Mapping[str, AdapterSpec] = {
    spec.name: spec
    for spec in (
        AdapterSpec("registry", _client("registry", "entities", "商事登记 WebService (SOAP) → entities"), _registry),
        AdapterSpec("exchange", _client("exchange", "entities", "前置库 abnormal listings → entities"), _exchange),
        AdapterSpec("files", _client("files", "permits", "permit file drops (CSV, .xlsx) → permits"), _files),
        AdapterSpec("rest", _client("rest", "permits", "legacy permit system (REST/JSON) → permits"), _rest),
    )
}


INGEST_CLIENT = MachineClient(
    "zhijian-adapter-ingest",
    "adapter ingest: edge devices (gRPC) → detection",
    ("detection:read", "detection:write", "jurisdiction:city"),
    ("device_gateway",),
)
"""The ingestion server's identity at the gateway (:mod:`adapters.ingest.graph`): devices' detections and readings."""


@dataclass(frozen=True, slots=True)
class AdapterServices(SubgraphServices):
    """Where the sources are, and how each adapter reaches the gateway as its own machine client."""

    settings: AdapterSettings = field(default_factory=AdapterSettings)
    graph: Callable[[MachineClient], GraphClient] | None = None

    @classmethod
    def build(cls, wiring: Wiring) -> AdapterServices:
        return cls(clock=wiring.clock, org_tree=wiring.org_tree, settings=AdapterSettings.from_env(wiring.environ),
                   graph=wiring.graph)  # fmt: skip

    def sink(self, name: str) -> GraphSink:
        if self.graph is None:
            raise ClientError("adapters need the gateway (no graph access is wired)", code=AdapterCode.NOT_CONFIGURED)
        return GraphSink(self.graph(SPECS[name].client))

    @asynccontextmanager
    async def open(self, name: str, database: Database) -> AsyncIterator[LegacyAdapter | None]:
        if name not in SPECS:
            raise ClientError(f"no adapter {name!r}; known: {', '.join(SPECS)}", code=AdapterCode.NOT_CONFIGURED)
        opened = SPECS[name].open(self.settings, database, self.clock)
        if opened is None:
            yield None
            return
        async with opened as adapter:
            yield adapter


async def run_sync(
    database: Database, services: AdapterServices, name: str, *, trigger: str = "schedule", **options: Any
) -> RunReport | None:
    """One sync of adapter ``name`` (None: its source is not configured here)."""
    async with services.open(name, database) as adapter:
        if adapter is None:
            return None
        return await sync(adapter, database, services.sink(name), trigger=trigger, clock=services.clock, **options)


def _sync_job(name: str) -> Job[AdapterServices]:
    async def run(database: Database, services: AdapterServices) -> int:
        report = await run_sync(database, services, name)
        return 0 if report is None else report.counts.applied

    return Job(
        f"adapters.sync_{name}", run, daily_at=None, every=dt.timedelta(minutes=10), queue=Queue.LONG,
        timeout=dt.timedelta(hours=2), retry=RetryPolicy(tries=1),
    )  # fmt: skip


async def apply_corrections(database: Database, services: AdapterServices) -> int:
    """Job ``adapters.apply_corrections``: every adapter applies the records operators corrected."""
    done = 0
    for name in SPECS:
        if not await resubmitted(database, name, limit=1):
            continue
        async with services.open(name, database) as adapter:
            if adapter is not None:
                done += await apply_resubmitted(adapter, database, services.sink(name), services.clock)
    return done


@dataclass(frozen=True, slots=True)
class AdaptersComponent:
    """What the hub runs for the adapters (a job owner, like a subgraph)."""

    name: str = "adapters"
    services: Callable[[Wiring], Any] = AdapterServices.build
    jobs: tuple[Job[Any], ...] = (
        *(_sync_job(name) for name in SPECS),
        Job("adapters.apply_corrections", apply_corrections, daily_at=None, every=dt.timedelta(minutes=1)),
    )
    consumers: tuple[Consumer[Any, Any], ...] = ()
    machine_clients: tuple[MachineClient, ...] = (*(spec.client for spec in SPECS.values()), INGEST_CLIENT)


component = AdaptersComponent()

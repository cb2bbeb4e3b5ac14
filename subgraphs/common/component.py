"""The component manifest: everything the hub, the worker, migrations, seeding and schema export need from a subgraph.

Each subgraph folder has a ``component.py`` that builds one :class:`SubgraphComponent`; the hub's registry
(``hub/components.py``) lists them, and everything else iterates that list. Adding a subgraph touches its own
folder and that one line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase

from kernel.clock import Clock, system_clock
from kernel.db import Database
from kernel.errors import ErrorCode
from kernel.jobs.events import Event, EventType
from kernel.jobs.retry import RetryPolicy
from kernel.machine_client import GraphClient
from kernel.migrations import MigrationHistory
from kernel.orgtree import OrgTree, default_org_tree
from subgraphs.common.jurisdiction import Scopes
from subgraphs.common.services import SubgraphServices

if TYPE_CHECKING:
    import strawberry

    from subgraphs.common.app import SubgraphApp
    from subgraphs.common.signature import Authentication

ServicesT = TypeVar("ServicesT", bound=SubgraphServices)
LoadersT = TypeVar("LoadersT")
P = TypeVar("P")


@dataclass(frozen=True, slots=True)
class MachineClient:
    """The client-credentials identity a component uses to ask the federated graph through the gateway."""

    client_id: str
    name: str
    scopes: tuple[str, ...]
    """Narrow on purpose: what the component's questions need, never a write scope of another component."""
    roles: tuple[str, ...] = ()
    """Machine roles of ``kernel/reference/roles.toml`` (``registry_feed``…), for a client that takes actions."""


@dataclass(frozen=True, slots=True)
class Wiring:
    """What the hub hands a component's services factory."""

    clock: Clock = system_clock
    org_tree: OrgTree = field(default_factory=default_org_tree)
    graph: Callable[[MachineClient], GraphClient] | None = None
    """Opens a client of the gateway acting as the given machine client; None where no gateway is reachable."""
    environ: Mapping[str, str] = field(default_factory=dict)
    """The process environment as the entry point read it, for components configured by ``ZHIJIAN_*`` variables of
    their own (the adapters' sources)."""


@dataclass(frozen=True, slots=True)
class Holder:
    """A market entity as other components' seeds need it: who holds permits, is inspected, is sampled."""

    uscc: str
    name: str
    premises: str
    region_code: str


@dataclass(frozen=True, slots=True)
class SeedRequest:
    """What ``zhijian seed`` (or the demo seed) asks of one component."""

    count: int
    progress: bool = True
    holders: tuple[Holder, ...] = ()
    """Entities seeded before this component (registry order), for records that belong to an entity."""


@dataclass(frozen=True, slots=True)
class SeedOutcome:
    """What a seed did, for the report, and the entities later components may attach records to."""

    report: str
    holders: tuple[Holder, ...] = ()
    refusal: str | None = None
    """Why nothing could be seeded (e.g. permits without entities to hold them); the command fails with it."""


Seed = Callable[[Database, ServicesT, SeedRequest], Awaitable[SeedOutcome]]


class Queue(StrEnum):
    """Which workers run a job: short jobs must not wait behind long ones (a crashed job is re-run only after its
    worker's longest timeout, so long jobs get workers of their own)."""

    SHORT = "short"
    LONG = "long"


JobIds = Mapping[str, str]
"""What a job is given: ids by name (never objects), so that it can be queued, retried and replayed."""


@dataclass(frozen=True, slots=True)
class Job(Generic[ServicesT]):
    """A job a component runs on a schedule or on demand; its effect is idempotent.

    Delivery is at least once (a retry, a crashed worker, a replay): a job whose second run would repeat its
    effect records a receipt (:func:`kernel.jobs.receipts.first_time`) in the effect's own transaction.
    """

    name: str
    """Unique across components: ``<component>.<what>``."""
    run: Callable[..., Awaitable[int]]
    """``run(database, services, **ids)``: does the work, returns the number of records changed."""
    daily_at: dt.time | None = dt.time(0, 5)
    """Beijing time at which it runs each day (just after the legal date turns); None: not daily."""
    every: dt.timedelta | None = None
    """Runs at each multiple of this period (Beijing time), e.g. every 10 minutes; whole minutes that divide an
    hour, or whole hours that divide a day."""
    ids: tuple[str, ...] = ()
    """The names of the ids it takes; a scheduled job takes none."""
    queue: Queue = Queue.SHORT
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    """Transient failures are tried again with backoff; then (or on any other failure) it is dead-lettered."""
    timeout: dt.timedelta = dt.timedelta(minutes=5)

    def __post_init__(self) -> None:
        if self.every is not None:
            minutes, rest = divmod(self.every.total_seconds(), 60)
            day = 24 * 60
            if rest or minutes <= 0 or not (60 % minutes == 0 or (minutes % 60 == 0 and day % minutes == 0)):
                raise ValueError(f"job {self.name}: every={self.every} does not divide an hour or a day evenly")


@dataclass(frozen=True, slots=True)
class Consumer(Generic[ServicesT, P]):
    """A component's handler of one kind of cross-domain event (see ``subgraphs/README.md``, "Events and jobs").

    The hub delivers each event at least once; ``handle`` runs in a transaction of its own that also holds the
    consumer's receipt for the event, so its effect happens once. A handler raises ``TransientError`` to be tried
    again later, anything else (or too many tries) dead-letters the delivery.
    """

    name: str
    """Unique across components: ``<component>.<what it does>`` (its receipts are kept under this name)."""
    event_type: EventType[P]
    handle: Callable[[AsyncSession, ServicesT, P, Event], Awaitable[None]]


class JobOwner(Protocol):
    """Anything the hub runs jobs and event consumers for: every subgraph, the adapters."""

    @property
    def name(self) -> str: ...

    @property
    def services(self) -> Callable[[Wiring], Any]: ...

    @property
    def jobs(self) -> tuple[Job[Any], ...]: ...

    @property
    def consumers(self) -> tuple[Consumer[Any, Any], ...]: ...


@dataclass(frozen=True, slots=True)
class SubgraphComponent(Generic[ServicesT, LoadersT]):
    """One subgraph: its name, port, schema, tables, scopes, services, loaders, jobs and seeds."""

    name: str
    port: int
    """Default local port (ARCHITECTURE.md "Local addresses"); ``ZHIJIAN_<NAME>_PORT`` overrides it."""
    schema: strawberry.federation.Schema
    models: type[DeclarativeBase]
    """The declarative base of the component's tables (all in PostgreSQL schema ``name``)."""
    scopes: Scopes
    """What a machine client needs to read and change this component's records."""
    codes: type[ErrorCode]
    """The component's error catalogue (besides :class:`kernel.errors.Code` and :class:`CommonCode`)."""
    services: Callable[[Wiring], ServicesT]
    loaders: Callable[[AsyncSession, ServicesT], LoadersT]
    jobs: tuple[Job[ServicesT], ...] = ()
    consumers: tuple[Consumer[ServicesT, Any], ...] = ()
    """Handlers of other components' events (``subgraphs.common.events``)."""
    seed_demo: Seed[ServicesT] | None = None
    seed: Seed[ServicesT] | None = None
    """``zhijian seed --<name> N``: realistic records at scale."""
    machine_client: MachineClient | None = None
    """Set when the component asks the federated graph (through the gateway) about other components' records."""
    app: Callable[..., SubgraphApp] | None = None
    """The app class, where the component serves more than GraphQL on its port (default :class:`SubgraphApp`)."""
    advisory_checks: Callable[[ServicesT, Database], Mapping[str, Callable[[], Awaitable[None]]]] | None = None
    """Dependencies its ``/ready`` reports without becoming unready (a configured Triton; an adapter's open
    circuit): each check returns when the dependency is usable and raises with a short reason otherwise
    (``hub.probes``)."""

    @property
    def migrations(self) -> MigrationHistory:
        return MigrationHistory(schema=self.name, package=f"subgraphs.{self.name}")

    def create_app(self, database: Database, services: ServicesT, auth: Authentication) -> SubgraphApp:
        """The component's ASGI app over an already migrated ``database``."""
        from subgraphs.common.app import SubgraphApp

        return (self.app or SubgraphApp)(self, database, services, auth=auth)

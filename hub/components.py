"""The hub's one registry of components: every subgraph, in the order they are migrated, seeded and served.

Adding a subgraph is its own folder (with ``component.py``) and one line here.
"""

from __future__ import annotations

from typing import Any

from adapters.component import INGEST_CLIENT
from adapters.component import SPECS as ADAPTERS
from adapters.component import component as adapters
from identity.component import MIGRATIONS as IDENTITY_MIGRATIONS
from kernel.jobs import MIGRATIONS as JOB_MIGRATIONS
from kernel.migrations import MigrationHistory
from subgraphs.common.component import JobOwner, MachineClient, SubgraphComponent
from subgraphs.detection.component import component as detection
from subgraphs.enforcement.component import component as enforcement
from subgraphs.entities.component import component as entities
from subgraphs.integration.component import component as integration
from subgraphs.permits.component import component as permits
from subgraphs.supervision.component import component as supervision

SUBGRAPHS: tuple[SubgraphComponent[Any, Any], ...] = (
    entities,
    permits,
    supervision,
    detection,
    enforcement,
    integration,
)
"""Entities first: later components' seeds attach their records to its entities."""

JOB_OWNERS: tuple[JobOwner, ...] = (*SUBGRAPHS, adapters)
"""Every component whose jobs and event consumers the workers (and the embedded hub) run."""

MACHINE_CLIENTS: tuple[tuple[str, MachineClient], ...] = (
    *((c.name, c.machine_client) for c in SUBGRAPHS if c.machine_client is not None),
    *((f"adapter_{spec.name}", spec.client) for spec in ADAPTERS.values()),
    ("adapter_ingest", INGEST_CLIENT),
)
"""Every machine client a component acts as, under the name its secret is configured by
(``ZHIJIAN_<NAME>_CLIENT_SECRET``, e.g. ``ZHIJIAN_ADAPTER_REGISTRY_CLIENT_SECRET``)."""

MIGRATIONS: tuple[MigrationHistory, ...] = (
    JOB_MIGRATIONS,
    *(subgraph.migrations for subgraph in SUBGRAPHS),
    IDENTITY_MIGRATIONS,
)
"""Every component's Alembic history, in the order ``zhijian migrate`` applies them."""

SCHEMAS: tuple[str, ...] = tuple(history.schema for history in MIGRATIONS)
"""Every component's PostgreSQL schema (translated away on SQLite)."""


def subgraph(name: str) -> SubgraphComponent[Any, Any]:
    """The subgraph called ``name``; ``KeyError`` naming the known ones otherwise."""
    for component in SUBGRAPHS:
        if component.name == name:
            return component
    raise KeyError(f"unknown subgraph {name!r}; known: {', '.join(c.name for c in SUBGRAPHS)}")

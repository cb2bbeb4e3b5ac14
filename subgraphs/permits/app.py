"""The permits subgraph as an ASGI app (default address 127.0.0.1:4002)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from subgraphs.common.app import SubgraphApp, create_subgraph_app
from subgraphs.common.db import Database
from subgraphs.common.signature import Authentication
from subgraphs.permits.deadlines import PermitClock
from subgraphs.permits.loaders import PermitLoaders
from subgraphs.permits.registry import EntityRegistry
from subgraphs.permits.schema import schema
from subgraphs.permits.services import PermitServices, utc_now


def create_app(
    database: Database,
    registry: EntityRegistry,
    auth: Authentication,
    *,
    now: Callable[[], dt.datetime] = utc_now,
    periods: PermitClock | None = None,
) -> SubgraphApp:
    """Serve the permits schema over ``database``; ``registry`` answers automatic approval's registry questions;
    ``auth`` is the gateway's ``IdentityVerifier`` (every request must carry its signature)."""
    services = PermitServices(registry=registry, periods=periods or PermitClock.default(), clock=now)

    return create_subgraph_app(schema, database, PermitLoaders, auth=auth, services=services)

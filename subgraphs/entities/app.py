"""The entities subgraph as an ASGI app (served on :4001, or mounted in-process by the hub)."""

from __future__ import annotations

from subgraphs.common.app import Identify, SubgraphApp, create_subgraph_app
from subgraphs.common.db import Database
from subgraphs.entities.loaders import make_loaders
from subgraphs.entities.schema import schema


def create_app(database: Database, *, identify: Identify | None = None) -> SubgraphApp:
    """The entities GraphQL endpoint over ``database`` (already migrated: component ``entities``)."""
    return create_subgraph_app(schema, database, make_loaders, identify=identify)

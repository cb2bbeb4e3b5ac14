"""The entities subgraph as an ASGI app (served on :4001, or mounted in-process by the hub)."""

from __future__ import annotations

from subgraphs.common.app import SubgraphApp, create_subgraph_app
from subgraphs.common.db import Database
from subgraphs.common.signature import Authentication
from subgraphs.entities.loaders import make_loaders
from subgraphs.entities.schema import schema


def create_app(database: Database, auth: Authentication) -> SubgraphApp:
    """The entities GraphQL endpoint over ``database`` (already migrated: component ``entities``); ``auth`` is the
    gateway's ``IdentityVerifier`` (every request must carry its signature)."""
    return create_subgraph_app(schema, database, make_loaders, auth=auth)

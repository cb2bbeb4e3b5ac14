"""A real subgraph for tests: its component's tables migrated into a fresh database, its app over them."""

from __future__ import annotations

from typing import Any

import strawberry
from sqlalchemy.orm import DeclarativeBase

from kernel.db import Database
from kernel.jobs import MIGRATIONS as JOB_MIGRATIONS
from kernel.migrations import upgrade
from subgraphs.common.app import SubgraphApp
from subgraphs.common.component import SubgraphComponent
from subgraphs.common.errors import CommonCode
from subgraphs.common.jurisdiction import Scopes
from subgraphs.common.services import SubgraphServices
from subgraphs.common.signature import Authentication
from tests.support.identities import verifier


async def migrated(url: str, *components: SubgraphComponent[Any, Any]) -> Database:
    """A database at ``url`` with the job layer's and the components' tables at head (each in its own PostgreSQL
    schema): any component may emit events to the outbox."""
    histories = [JOB_MIGRATIONS, *(component.migrations for component in components)]
    database = Database.from_url(url, [history.schema for history in histories])
    await upgrade(database, histories)
    return database


def app_of(
    component: SubgraphComponent[Any, Any], database: Database, services: Any, auth: Authentication | None = None
) -> SubgraphApp:
    """The component's app, verifying the test gateway's signature unless ``auth`` says otherwise."""
    return component.create_app(database, services, verifier() if auth is None else auth)


class BareBase(DeclarativeBase):
    """No tables."""


def bare_component(schema: strawberry.federation.Schema) -> SubgraphComponent[SubgraphServices, None]:
    """A component around a bare schema: the shared subgraph machinery without a domain or tables."""
    return SubgraphComponent(
        name="bare",
        port=0,
        schema=schema,
        models=BareBase,
        scopes=Scopes(read=("bare:read",), write="bare:write"),
        codes=CommonCode,
        services=lambda _wiring: SubgraphServices(),
        loaders=lambda _session, _services: None,
    )

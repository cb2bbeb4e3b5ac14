"""The all-in-one hub (``zhijian up``): gateway, subgraphs and identity provider in one process.

The gateway reaches the subgraphs in process (no sockets); each subgraph and the provider are also served
on their own local ports so they can be called directly.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import httpx
from sqlalchemy import select
from starlette.applications import Starlette

from gateway.auth import IdentitySigner, IdentityVerifier, TokenValidator, builtin_issuer
from gateway.execution.asgi_client import AsgiSubgraphClient
from gateway.http.app import GatewayApp, create_app
from gateway.settings import GatewaySettings
from hub.jobs import JobContext
from hub.servers import Listener
from hub.settings import Settings
from hub.supergraph import compose_code
from identity.app import create_app as create_identity_app
from identity.seed import DEMO_BROWSER_CLIENT, DEMO_CONSOLE_CLIENT, seed_demo_identity
from identity.settings import IdentitySettings
from subgraphs.common.app import SubgraphApp
from subgraphs.common.db import Database
from subgraphs.common.forwarding_secret import forwarding_secret
from subgraphs.common.migrate import upgrade
from subgraphs.entities.app import create_app as create_entities_app
from subgraphs.entities.models import MarketEntityRow
from subgraphs.entities.seed import seed_demo
from subgraphs.permits.app import create_app as create_permits_app
from subgraphs.permits.registry_graphql import GraphQLEntityRegistry
from subgraphs.permits.seed import seed_demo_permits
from subgraphs.permits.services import PermitServices

CONSOLE_DIST = Path(__file__).resolve().parents[1] / "console" / "dist"
"""The officers' console as `make up` builds it; served at `/console/` unless ZHIJIAN_GATEWAY_CONSOLE_DIR says else."""

COMPONENTS: tuple[str, ...] = ("entities", "permits", "identity")
"""Components with tables, migrated in this order."""


async def migrate(database: Database) -> None:
    """Bring every component's tables up to date."""
    await upgrade(database, COMPONENTS)


async def seed_demo_data(database: Database, identity: IdentitySettings) -> bool:
    """Seed the small demo data set when the database holds no entities yet; True when it did."""
    report = await seed_demo(database)
    if report.entities:
        async with database.transaction() as session:
            holders = (
                await session.scalars(
                    select(MarketEntityRow.uscc)
                    .where(MarketEntityRow.status == "EXISTING")
                    .order_by(MarketEntityRow.uscc)
                    .limit(8)
                )
            ).all()
        await seed_demo_permits(database, holders)
    await seed_demo_identity(database, identity)
    return bool(report.entities)


@dataclass(frozen=True, slots=True)
class Hub:
    """Every app of the embedded hub and the resources they share."""

    database: Database
    gateway: GatewayApp
    subgraphs: dict[str, SubgraphApp]
    identity: Starlette
    registry_client: httpx.AsyncClient
    jobs: JobContext
    jwks_client: httpx.AsyncClient | None = None
    """Reaches the provider's JWKS in process (lazily, on the first token), so startup never waits on it."""

    def listeners(self, settings: Settings) -> tuple[Listener, ...]:
        return (
            Listener("gateway", self.gateway, settings.gateway_port, "/graphql"),
            Listener("identity provider", self.identity, settings.identity_port, "/.well-known/openid-configuration"),
            *(
                Listener(f"{name} subgraph", app, settings.subgraph_ports[name], "/graphql")
                for name, app in self.subgraphs.items()
            ),
        )

    async def close(self) -> None:
        await self.registry_client.aclose()
        if self.jwks_client is not None:
            await self.jwks_client.aclose()
        await self.database.dispose()


def _gateway_settings(settings: Settings, identity: IdentitySettings) -> GatewaySettings:
    """The gateway on the hub's address; GraphiQL and the console sign in at the built-in provider with demo clients.

    The demo client's redirect URIs name the default gateway address; elsewhere set ``ZHIJIAN_GATEWAY_OIDC_*``.
    """
    configured = GatewaySettings.from_env()
    demo_address = settings.host == "127.0.0.1" and settings.gateway_port == 4000
    return replace(
        configured,
        host=settings.host,
        port=settings.gateway_port,
        oidc_issuer=configured.oidc_issuer or identity.issuer,
        oidc_client_id=configured.oidc_client_id
        or (DEMO_BROWSER_CLIENT if settings.seed_demo and demo_address else None),
        console_dir=configured.console_dir or str(CONSOLE_DIST),
        console_client_id=configured.console_client_id
        or (DEMO_CONSOLE_CLIENT if settings.seed_demo and demo_address else None),
    )


def build_hub(settings: Settings, database: Database, identity: IdentitySettings) -> Hub:
    """Wire the apps: subgraphs over the database, the gateway in front of them in process."""
    secret = forwarding_secret(settings.forwarding_secret, settings.data_dir)
    verifier, signer = IdentityVerifier.from_secret(secret), IdentitySigner.from_secret(secret)
    entities = create_entities_app(database, verifier)
    registry_client = httpx.AsyncClient(transport=httpx.ASGITransport(app=entities), base_url="http://entities")
    registry = GraphQLEntityRegistry(registry_client, signer)
    permits = create_permits_app(database, registry, verifier)
    subgraphs: dict[str, SubgraphApp] = {"entities": entities, "permits": permits}
    gateway_settings = _gateway_settings(settings, identity)
    transports = {name: AsgiSubgraphClient(name, app) for name, app in subgraphs.items()}
    provider = create_identity_app(database, identity)
    jwks_client = httpx.AsyncClient(transport=httpx.ASGITransport(app=provider), base_url=identity.issuer)
    validator = TokenValidator([builtin_issuer(identity.issuer, identity.gateway_audience)], jwks_client)
    gateway = create_app(
        compose_code(settings.host, settings.subgraph_ports),
        gateway_settings,
        transports,
        validator=validator,
        signer=signer,
    )
    jobs = JobContext(database, PermitServices(registry=registry))
    return Hub(database, gateway, subgraphs, provider, registry_client, jobs, jwks_client)

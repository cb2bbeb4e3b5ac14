"""The all-in-one hub (``zhijian up``): gateway, subgraphs and identity provider in one process.

The gateway reaches the subgraphs in process (no sockets); each subgraph and the provider are also served
on their own local ports so they can be called directly. Only the gateway holds the forwarding key; subgraphs
get its public half. A component that asks the federated graph does so as its own machine client, through
the gateway, with a token from the provider — in process here, over HTTP in a split deployment.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy.engine import make_url
from starlette.applications import Starlette
from starlette.types import ASGIApp, Receive, Scope, Send

from gateway.auth import TokenValidator
from gateway.execution.asgi_client import AsgiSubgraphClient
from gateway.http.app import GatewayApp, create_app
from gateway.http.auth import EdgeAuth, issuers_from_settings
from gateway.http.server import GraphQLHttpToolsProtocol
from gateway.settings import GatewaySettings
from hub.components import JOB_OWNERS, MACHINE_CLIENTS, MIGRATIONS, SUBGRAPHS
from hub.jobs import JobContext
from hub.servers import Listener
from hub.settings import Settings
from hub.supergraph import compose_code
from identity.app import create_app as create_identity_app
from identity.directory import Directory
from identity.passwords import generate_secret
from identity.seed import DEMO_BROWSER_CLIENT, DEMO_CONSOLE_CLIENT, seed_demo_identity
from identity.settings import IdentitySettings
from kernel.db import Database
from kernel.forwarding import IdentitySigner, kept_private_pem
from kernel.keyfiles import kept_secret
from kernel.machine_client import ClientCredentials, GraphClient
from kernel.migrations import upgrade
from kernel.orgtree import default_org_tree
from kernel.revocation import LocalRevocations, RedisRevocations, Revocations
from kernel.settings import Secret
from subgraphs.common.app import SubgraphApp
from subgraphs.common.component import Holder, MachineClient, SeedRequest, Wiring

CONSOLE_DIST = Path(__file__).resolve().parents[1] / "console" / "dist"
"""The officers' console as `make up` builds it; served at `/console/` unless ZHIJIAN_GATEWAY_CONSOLE_DIR says else."""


async def migrate(database: Database) -> None:
    """Bring every component's tables up to date."""
    await upgrade(database, MIGRATIONS)


def open_database(settings: Settings) -> Database:
    """The hub's database with every component's schema; a SQLite file is kept readable by its owner only (it holds
    password hashes and personal data), created so before SQLite would create it with the process umask."""
    from hub.components import SCHEMAS

    url = make_url(settings.database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        path = Path(url.database)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
        path.chmod(0o600)  # SQLite gives its -wal and -shm files the database file's mode
    return Database.from_url(settings.database_url, SCHEMAS, read_url=settings.database_read_url)


async def seed_demo_data(database: Database, identity: IdentitySettings, services: Mapping[str, Any]) -> list[str]:
    """Each component's demo data, in registry order, where the component has none yet; the report lines."""
    report: list[str] = []
    holders: tuple[Holder, ...] = ()
    for component in SUBGRAPHS:
        if component.seed_demo is None:
            continue
        outcome = await component.seed_demo(database, services[component.name], SeedRequest(0, False, holders))
        holders = outcome.holders or holders
        if outcome.report:
            report.append(outcome.report)
    futian = [holder for holder in holders if "福田区" in holder.premises] or list(holders)
    await seed_demo_identity(database, identity, [(holder.uscc, "法定代表人") for holder in futian[:1]])
    return report


def client_secret(settings: Settings, component: str, client: MachineClient) -> Secret:
    """A component's machine-client secret: configured, or generated once under the data directory."""
    configured = settings.client_secrets.get(component)
    if configured is not None:
        return configured
    path = settings.data_dir / "clients" / f"{client.client_id}.secret"
    return Secret(kept_secret(path, generate_secret))


def token_url(settings: Settings, identity: IdentitySettings) -> str:
    """Where machine clients ask for tokens: the provider inside the deployment (``ZHIJIAN_IDENTITY_URL``), else the
    public issuer's endpoint."""
    return f"{settings.provider_address}/token" if settings.provider_address else identity.token_endpoint


def graph_access(
    settings: Settings, provider: httpx.AsyncClient, token_url: str, gateway: httpx.AsyncClient, path: str = "/graphql"
) -> Callable[[MachineClient], GraphClient]:
    """How components reach the federated graph: the provider's token endpoint and the gateway, via these
    clients (in process or over the network), each component as its own machine client."""
    secrets_of = {client.client_id: client_secret(settings, owner, client) for owner, client in MACHINE_CLIENTS}

    def graph(client: MachineClient) -> GraphClient:
        credentials = ClientCredentials(
            provider, token_url, client.client_id, secrets_of[client.client_id], client.scopes
        )
        return GraphClient(gateway, credentials, path)

    return graph


async def provision_machine_clients(database: Database, settings: Settings) -> None:
    """Register each component's machine client at the built-in provider with its secret (idempotent)."""
    directory = Directory(database)
    known = {client.client_id for client in await directory.clients()}
    for owner, client in MACHINE_CLIENTS:
        secret = client_secret(settings, owner, client).reveal()
        generated = owner not in settings.client_secrets  # 256 random bits: checked cheaply
        if client.client_id in known:
            await directory.set_client_secret(client.client_id, secret, generated=generated)
        else:
            await directory.add_client(
                client.client_id,
                client.name,
                token_endpoint_auth_method="client_secret_basic",
                grant_types=("client_credentials",),
                scopes=client.scopes,
                secret=secret,
                secret_generated=generated,
                roles=client.roles,
            )


class _Later:
    """An ASGI app named before it exists: the gateway, which the subgraphs' services must already point at."""

    def __init__(self) -> None:
        self.app: ASGIApp | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        assert self.app is not None, "the gateway is wired before the hub serves"
        await self.app(scope, receive, send)


@dataclass(slots=True)
class Hub:
    """Every app of the embedded hub and the resources they share."""

    database: Database
    gateway: GatewayApp
    subgraphs: dict[str, SubgraphApp]
    identity: Starlette
    jobs: JobContext
    clients: list[httpx.AsyncClient] = field(default_factory=list)
    """In-process HTTP clients (JWKS, tokens, the components' graph clients), closed with the hub."""
    validator: TokenValidator | None = None
    """The gateway's token validator (the ingestion server checks devices' tokens with it too)."""

    def listeners(self, settings: Settings) -> tuple[Listener, ...]:
        return (
            Listener("gateway", self.gateway, settings.gateway_port, "/graphql", GraphQLHttpToolsProtocol),
            Listener("identity provider", self.identity, settings.identity_port, "/.well-known/openid-configuration"),
            *(
                Listener(f"{name} subgraph", app, settings.subgraph_ports[name], "/graphql")
                for name, app in self.subgraphs.items()
            ),
        )

    async def close(self) -> None:
        for client in self.clients:
            await client.aclose()
        await self.identity.state.identity.provider.close()
        await self.database.dispose()


def _gateway_settings(settings: Settings, identity: IdentitySettings, configured: GatewaySettings) -> GatewaySettings:
    """The gateway on the hub's address; GraphiQL and the console sign in at the built-in provider with demo clients.

    The demo clients' redirect URIs follow the gateway's address (``identity.gateway_origin``); another provider is
    chosen with ``ZHIJIAN_GATEWAY_OIDC_*``. An enterprise IdP (``ZHIJIAN_GATEWAY_EXTERNAL_ISSUER``) is trusted
    besides the built-in provider.
    """
    return replace(
        configured,
        host=settings.host,
        port=settings.gateway_port,
        issuer=identity.issuer,
        audience=identity.gateway_audience,
        oidc_issuer=configured.oidc_issuer or identity.issuer,
        oidc_client_id=configured.oidc_client_id or (DEMO_BROWSER_CLIENT if settings.seed_demo else None),
        console_dir=configured.console_dir or str(CONSOLE_DIST),
        console_client_id=configured.console_client_id or (DEMO_CONSOLE_CLIENT if settings.seed_demo else None),
    )


def build_hub(
    settings: Settings, database: Database, identity: IdentitySettings, gateway_settings: GatewaySettings
) -> Hub:
    """Wire the apps: subgraphs over the database, the gateway in front of them in process."""
    pem = (
        settings.forwarding_key_file.read_text(encoding="ascii")
        if settings.forwarding_key_file is not None
        else kept_private_pem(settings.data_dir)
    )
    signer = IdentitySigner.from_private_pem(pem)
    verifier = signer.verifier()
    revocations: Revocations = (
        RedisRevocations.from_url(settings.redis_url) if settings.redis_url else LocalRevocations()
    )
    provider = create_identity_app(database, identity, revocations=revocations)
    clients: list[httpx.AsyncClient] = []

    def in_process(app: ASGIApp, base_url: str) -> httpx.AsyncClient:
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=base_url)
        clients.append(client)
        return client

    later_gateway = _Later()
    provider_http = in_process(provider, identity.issuer)
    gateway_http = in_process(later_gateway, f"http://{settings.host}:{settings.gateway_port}")
    graph = graph_access(settings, provider_http, identity.token_endpoint, gateway_http)
    wiring = Wiring(org_tree=default_org_tree(), graph=graph, environ=settings.environ)
    services = {owner.name: owner.services(wiring) for owner in JOB_OWNERS}
    subgraphs = {c.name: c.create_app(database, services[c.name], verifier) for c in SUBGRAPHS}
    transports = {name: AsgiSubgraphClient(name, app) for name, app in subgraphs.items()}
    hub_gateway = _gateway_settings(settings, identity, gateway_settings)
    # the built-in provider's keys in process, an external IdP's over the network
    jwks_http = httpx.AsyncClient(mounts={identity.issuer: httpx.ASGITransport(app=provider)}, timeout=10.0)
    clients.append(jwks_http)
    validator = TokenValidator(issuers_from_settings(hub_gateway), jwks_http)
    gateway = create_app(
        compose_code(settings.host, settings.subgraph_ports),
        hub_gateway,
        transports,
        validator=EdgeAuth(validator, revocations=revocations),
        signer=signer,
    )
    later_gateway.app = gateway
    jobs = JobContext.build(database, JOB_OWNERS, services=services)
    return Hub(database, gateway, subgraphs, provider, jobs, clients, validator)

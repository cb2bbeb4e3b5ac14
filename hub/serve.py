"""``zhijian serve COMPONENT``: one component as its own server, the way a split deployment runs the hub.

``gateway``, ``identity`` or a subgraph's name. Each process is configured only by ``ZHIJIAN_*`` variables (and
the files they name), listens on ``ZHIJIAN_HOST`` and the component's port, answers ``/health`` and ``/ready``
(:mod:`hub.probes`), and on SIGTERM stops accepting, lets in-flight requests finish within
``ZHIJIAN_SHUTDOWN_GRACE`` seconds and exits 0. Migrations and machine-client registration are ``zhijian migrate``'s
work (a Job before rollout), never a server's: a server whose tables are behind is not ready.

What each needs beyond the database: the gateway the forwarding private key (``ZHIJIAN_FORWARDING_KEY_FILE``) and
where the subgraphs and the provider's keys are (``ZHIJIAN_<NAME>_URL``, ``ZHIJIAN_GATEWAY_JWKS_URL`` or
``ZHIJIAN_IDENTITY_URL``); a subgraph the public half (``ZHIJIAN_FORWARDING_PUBLIC_KEY_FILE``) and, when it asks the
graph, its machine-client secret and the gateway's and provider's internal addresses.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, replace
from typing import Any

import httpx
from starlette.types import ASGIApp

from gateway.http.app import create_app as create_gateway_app
from gateway.settings import GatewaySettings
from hub.components import JOB_OWNERS, SUBGRAPHS
from hub.embedded import graph_access, open_database, token_url
from hub.probes import Check, Probes, database_check, http_check, redis_check
from hub.servers import Listener, PortInUse, bind_all, serve_all
from hub.settings import Settings
from hub.supergraph import compose_urls
from identity.app import create_app as create_identity_app
from identity.component import MIGRATIONS as IDENTITY_MIGRATIONS
from identity.logredact import install as install_log_redaction
from identity.settings import IdentitySettings
from kernel.db import Database
from kernel.forwarding import IdentitySigner, IdentityVerifier
from kernel.jobs import MIGRATIONS as JOB_MIGRATIONS
from kernel.logs import REQUEST_ID_HEADER, RequestLog, configure_logging, current_request_id
from kernel.orgtree import default_org_tree
from kernel.revocation import LocalRevocations, RedisRevocations, Revocations
from kernel.settings import SettingsError
from subgraphs.common.component import Wiring

COMPONENTS = ("gateway", "identity", *(component.name for component in SUBGRAPHS))
"""What ``zhijian serve`` can run, one per process."""


@dataclass(slots=True)
class Served:
    """One component's app (probes in front), its port, and what to close after it stops."""

    app: ASGIApp
    port: int
    database: Database | None = None
    http: httpx.AsyncClient | None = None

    async def close(self) -> None:
        if self.http is not None:
            await self.http.aclose()
        if self.database is not None:
            await self.database.dispose()


def _redis_checks(url: str | None) -> dict[str, Check]:
    return {} if url is None else {"redis": redis_check(url)}


def _revocations(settings: Settings) -> Revocations:
    return RedisRevocations.from_url(settings.redis_url) if settings.redis_url else LocalRevocations()


async def _pass_request_id(request: httpx.Request) -> None:
    """A subgraph asking the graph (or the provider) while serving a request passes that request's id on."""
    rid = current_request_id.get()
    if rid is not None and REQUEST_ID_HEADER not in request.headers:
        request.headers[REQUEST_ID_HEADER] = rid


def gateway_settings(settings: Settings, identity: IdentitySettings, configured: GatewaySettings) -> GatewaySettings:
    """The gateway on the hub's address, trusting the built-in provider unless told otherwise; its keys are fetched
    from inside the deployment when ``ZHIJIAN_IDENTITY_URL`` says where the provider is."""
    jwks = configured.jwks_url or (f"{settings.provider_address}/jwks.json" if settings.provider_address else None)
    return replace(
        configured,
        host=settings.host,
        port=settings.gateway_port,
        issuer=configured.issuer or identity.issuer,
        audience=configured.audience or identity.gateway_audience,
        jwks_url=jwks,
        redis_url=configured.redis_url or settings.redis_url,
        forwarding_key_file=configured.forwarding_key_file or settings.forwarding_key_file,
    )


def build_gateway(settings: Settings, identity: IdentitySettings, configured: GatewaySettings) -> Served:
    chosen = gateway_settings(settings, identity, configured)
    if chosen.forwarding_key_file is None:
        raise SettingsError("ZHIJIAN_FORWARDING_KEY_FILE must name the gateway's Ed25519 private key (PEM)")
    signer = IdentitySigner.from_private_pem(chosen.forwarding_key_file.read_bytes())
    urls = {component.name: settings.subgraph_url(component.name) for component in SUBGRAPHS}
    app = create_gateway_app(compose_urls(urls), chosen, signer=signer)
    http = httpx.AsyncClient(timeout=2.0)
    subgraphs = {name: http_check(http, url.removesuffix("/graphql") + "/health") for name, url in urls.items()}
    jwks = chosen.jwks_url or f"{chosen.issuer}/jwks.json"
    checks = {"jwks": http_check(http, jwks), **_redis_checks(chosen.redis_url)}
    return Served(Probes(app, "gateway", checks, advisory=subgraphs), settings.gateway_port, http=http)


def build_identity(settings: Settings, identity: IdentitySettings) -> Served:
    database = open_database(settings)
    app = create_identity_app(database, identity, revocations=_revocations(settings))
    checks = {"database": database_check(database, (IDENTITY_MIGRATIONS,)), **_redis_checks(settings.redis_url)}
    return Served(RequestLog(Probes(app, "identity", checks), "identity"), settings.identity_port, database=database)


def build_subgraph(name: str, settings: Settings, identity: IdentitySettings) -> Served:
    component = next(c for c in SUBGRAPHS if c.name == name)
    if settings.forwarding_public_key_file is None:
        raise SettingsError("ZHIJIAN_FORWARDING_PUBLIC_KEY_FILE must name the gateway's Ed25519 public key (PEM)")
    if component.machine_client is not None and name not in settings.client_secrets:
        raise SettingsError(f"ZHIJIAN_{name.upper()}_CLIENT_SECRET must be set (registered by zhijian migrate)")
    verifier = IdentityVerifier.from_public_pem(settings.forwarding_public_key_file.read_bytes())
    database = open_database(settings)
    http = httpx.AsyncClient(timeout=30.0, event_hooks={"request": [_pass_request_id]})
    graph = graph_access(settings, http, token_url(settings, identity), http, settings.gateway_url)
    wiring = Wiring(org_tree=default_org_tree(), graph=graph, environ=settings.environ)
    owner: Any = next(o for o in JOB_OWNERS if o.name == name)
    services = owner.services(wiring)
    app = component.create_app(database, services, verifier)
    histories = (JOB_MIGRATIONS, component.migrations)
    checks = {"database": database_check(database, histories), **_redis_checks(settings.redis_url)}
    # a read replica is reported ("degraded") but leaves the subgraph in service: its mutations still work
    advisory = component.advisory_checks(services, database) if component.advisory_checks is not None else {}
    if database.replica_link is not None:  # reads fall back to the primary while the replica is away
        advisory = {**advisory, "replica": database.replica_link.check}
    served = RequestLog(Probes(app, name, checks, advisory=advisory), name)
    return Served(served, settings.subgraph_ports[name], database=database, http=http)


def build(component: str, settings: Settings, identity: IdentitySettings, gateway: GatewaySettings) -> Served:
    if component == "gateway":
        return build_gateway(settings, identity, gateway)
    if component == "identity":
        return build_identity(settings, identity)
    return build_subgraph(component, settings, identity)


async def run_serve(component: str, settings: Settings, identity: IdentitySettings, gateway: GatewaySettings) -> int:
    """Serve ``component`` until SIGTERM/SIGINT, then drain within the grace period and exit 0."""
    configure_logging(settings.log_level, settings.log_format)
    install_log_redaction()
    try:
        served = build(component, settings, identity, gateway)
    except (SettingsError, OSError) as error:
        reason = error.message if isinstance(error, SettingsError) else str(error)
        print(f"zhijian serve {component}: {reason}", file=sys.stderr)
        return 2
    try:
        listeners = [Listener(component, served.app, served.port)]
        sockets = bind_all(listeners, settings.host)
    except PortInUse as error:
        await served.close()
        print(f"zhijian serve {component}: {error}", file=sys.stderr)
        return 1
    print(f"zhijian serve {component}: http://{settings.host}:{served.port}", file=sys.stderr, flush=True)
    try:
        grace = settings.shutdown_grace
        await serve_all(listeners, sockets, log_level=settings.log_level, lifespan="auto", grace=grace)
    finally:
        await served.close()
    print(f"zhijian serve {component}: stopped", file=sys.stderr, flush=True)
    return 0

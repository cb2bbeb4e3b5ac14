"""The embedded hub in a test, in process: real provider, gateway and subgraphs over one fresh database.

Callers act as machine clients registered for the test (client credentials at the real provider, GraphQL at the
real gateway), so what a test sees is what an integration would see.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from gateway.settings import GatewaySettings
from hub.embedded import Hub, build_hub, migrate, open_database, provision_machine_clients
from hub.settings import Settings
from identity.directory import Directory
from identity.passwords import generate_secret
from identity.settings import IdentitySettings


@dataclass
class RunningHub:
    """A hub under test and the HTTP clients that reach its provider and gateway in process."""

    hub: Hub
    settings: Settings
    identity: IdentitySettings
    provider: httpx.AsyncClient
    gateway: httpx.AsyncClient

    async def machine_client(self, *scopes: str, org_path: str | None = None, roles: tuple[str, ...] = ()) -> str:
        """Register a confidential client with ``scopes`` (and integration ``roles``) at the provider; returns an
        access token for it."""
        client_id, secret = f"test-{secrets.token_hex(4)}", generate_secret()
        await Directory(self.hub.database).add_client(
            client_id,
            "test client",
            token_endpoint_auth_method="client_secret_basic",
            grant_types=("client_credentials",),
            scopes=scopes,
            secret=secret,
            secret_generated=True,
            org_path=org_path,
            roles=roles,
        )
        response = await self.provider.post(
            "/token", data={"grant_type": "client_credentials", "scope": " ".join(scopes)}, auth=(client_id, secret)
        )
        assert response.status_code == 200, response.text
        return str(response.json()["access_token"])

    async def graphql(self, token: str, query: str, **variables: Any) -> dict[str, Any]:
        """One operation at the gateway with ``token``; the response body."""
        response = await self.gateway.post(
            "/graphql", json={"query": query, "variables": variables}, headers={"authorization": f"Bearer {token}"}
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body


@asynccontextmanager
async def running_hub(
    database_url: str, data_dir: Path, gateway_env: Mapping[str, str] | None = None
) -> AsyncIterator[RunningHub]:
    """The embedded hub over ``database_url`` (migrated, machine clients provisioned, no demo data); the gateway
    configured by ``gateway_env`` (``ZHIJIAN_GATEWAY_*``)."""
    settings = Settings.from_env(
        {"ZHIJIAN_DATA_DIR": str(data_dir), "ZHIJIAN_DATABASE_URL": database_url, "ZHIJIAN_SEED_DEMO": "false"}
    )
    identity = IdentitySettings.from_env({"ZHIJIAN_IDENTITY_KEY_DIR": str(data_dir / "keys")})
    database = open_database(settings)
    await migrate(database)
    hub = build_hub(settings, database, identity, GatewaySettings.from_env(gateway_env or {}))
    await provision_machine_clients(database, settings)
    provider = httpx.AsyncClient(transport=httpx.ASGITransport(app=hub.identity), base_url=identity.issuer)
    gateway = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=hub.gateway), base_url=f"http://{settings.host}:{settings.gateway_port}"
    )
    try:
        yield RunningHub(hub, settings, identity, provider, gateway)
    finally:
        await provider.aclose()
        await gateway.aclose()
        await hub.close()

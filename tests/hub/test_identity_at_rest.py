"""What the embedded hub keeps on disk and where its addresses come from: keys under ZHIJIAN_DATA_DIR (sealed), the
SQLite file 0600, every address-shaped default of the provider following the host and port settings, and an
enterprise IdP (ZHIJIAN_GATEWAY_EXTERNAL_ISSUER) trusted by the gateway of ``zhijian up``."""

from __future__ import annotations

import json
import os
from pathlib import Path

import httpx

from gateway.settings import GatewaySettings
from hub.embedded import build_hub, migrate, open_database
from hub.settings import Settings
from identity.directory import Directory
from identity.seed import DEMO_BROWSER_CLIENT, seed_demo_identity
from identity.settings import IdentitySettings
from tests.gateway.servers import serving
from tests.identity.test_gateway_validator import KeycloakLike

MOVED = {"ZHIJIAN_HOST": "127.0.0.1", "ZHIJIAN_GATEWAY_PORT": "4100", "ZHIJIAN_IDENTITY_PORT": "4110"}


def test_every_address_default_of_the_provider_follows_the_host_and_port_settings(tmp_path: Path) -> None:
    identity = IdentitySettings.from_env({**MOVED, "ZHIJIAN_DATA_DIR": str(tmp_path)})
    assert identity.issuer == "http://127.0.0.1:4110" == Settings.from_env(MOVED).issuer
    assert identity.gateway_audience == "http://127.0.0.1:4100/graphql" == Settings.from_env(MOVED).gateway_url
    assert identity.gateway_origin == "http://127.0.0.1:4100"
    assert identity.cors_origins[0] == "http://127.0.0.1:4100"
    assert identity.key_dir == tmp_path / "keys"
    assert (
        IdentitySettings.from_env({"ZHIJIAN_HOST": "::1", "ZHIJIAN_IDENTITY_PORT": "4110"}).issuer
        == "http://[::1]:4110"
    )


async def test_the_demo_clients_redirect_to_the_gateway_where_it_is(tmp_path: Path) -> None:
    settings = Settings.from_env({**MOVED, "ZHIJIAN_DATA_DIR": str(tmp_path)})
    identity = IdentitySettings.from_env({**MOVED, "ZHIJIAN_DATA_DIR": str(tmp_path)})
    database = open_database(settings)
    try:
        await migrate(database)
        await seed_demo_identity(database, identity)
        client = await Directory(database).client(DEMO_BROWSER_CLIENT)
    finally:
        await database.dispose()
    assert client is not None and "http://127.0.0.1:4100/auth/callback" in client.redirect_uris
    assert "http://127.0.0.1:4000/auth/callback" not in client.redirect_uris


async def test_keys_live_under_the_data_dir_sealed_and_the_database_file_is_private(tmp_path: Path) -> None:
    environ = {"ZHIJIAN_DATA_DIR": str(tmp_path), "ZHIJIAN_SEED_DEMO": "false"}
    settings, identity = Settings.from_env(environ), IdentitySettings.from_env(environ)
    database = open_database(settings)
    try:
        await migrate(database)
        hub = build_hub(settings, database, identity, GatewaySettings.from_env({}))
        await hub.close()
    finally:
        await database.dispose()
    assert (tmp_path / "zhijian.db").stat().st_mode & 0o777 == 0o600
    signing = list((tmp_path / "keys" / "signing").glob("*.json"))
    assert signing and all(path.stat().st_mode & 0o777 == 0o600 for path in signing)
    assert all('"d"' not in path.read_text() and "sealed" in json.loads(path.read_text()) for path in signing)
    assert (tmp_path / "secrets" / "key-encryption.key").stat().st_mode & 0o777 == 0o600  # the demo's own KEK
    assert oct(os.stat(tmp_path / "keys" / "signing").st_mode & 0o777) == oct(0o700)


async def test_an_external_issuer_is_trusted_by_the_gateway_of_zhijian_up(tmp_path: Path) -> None:
    keycloak = KeycloakLike()
    async with serving(keycloak.app) as base:
        realm = f"{base}/realms/samr"
        environ = {"ZHIJIAN_DATA_DIR": str(tmp_path), "ZHIJIAN_SEED_DEMO": "false"}
        settings, identity = Settings.from_env(environ), IdentitySettings.from_env(environ)
        gateway = GatewaySettings.from_env({"ZHIJIAN_GATEWAY_EXTERNAL_ISSUER": realm})
        database = open_database(settings)
        await migrate(database)
        hub = build_hub(settings, database, identity, gateway)
        try:
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=hub.gateway), base_url="http://gw") as http:
                answer = await http.post(
                    "/graphql", json={"query": "{ entities(first: 1) { edges { node { uscc } } } }"},
                    headers={"authorization": f"Bearer {keycloak.token(iss=realm, aud=identity.gateway_audience)}"},
                )  # fmt: skip
        finally:
            await hub.close()
    assert answer.status_code == 200, answer.text
    assert answer.json()["data"] == {"entities": {"edges": []}}

"""Fixtures for the identity provider: a migrated, seeded database and the app behind real HTTP (httpx ASGI)."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from identity.app import create_app
from identity.component import MIGRATIONS
from identity.directory import Directory
from identity.keys import KeyRing, key_wrapper
from identity.seed import seed_demo_identity
from identity.settings import IdentitySettings
from kernel.db import Database
from kernel.migrations import upgrade
from tests.identity.browser import Browser

ISSUER = "http://127.0.0.1:4010"
KEY_ENCRYPTION_KEY = "test-key-encryption-key-0123456789abcdef"


def settings_for(key_dir: Path, issuer: str = ISSUER, **environ: str) -> IdentitySettings:
    """Provider settings for a test: keys under ``key_dir``, sealed with the test key-encryption key."""
    values = {"ZHIJIAN_IDENTITY_ISSUER": issuer, "ZHIJIAN_IDENTITY_KEY_ENCRYPTION_KEY": KEY_ENCRYPTION_KEY, **environ}
    return replace(IdentitySettings.from_env(values), key_dir=key_dir)


def key_ring(settings: IdentitySettings) -> KeyRing:
    """The key ring the provider with ``settings`` uses."""
    wrapper = key_wrapper(settings.key_dir, settings.key_encryption_key)
    return KeyRing(settings.key_dir, settings.max_token_ttl, wrapper, publish_ahead=settings.key_publish_ahead)


@pytest.fixture
def identity_settings(tmp_path: Path) -> IdentitySettings:
    return settings_for(tmp_path / "keys")


RESOURCE_SERVER = ("test-resource-server", "test-resource-server-secret-0123456789abcdef")
"""A resource server (the gateway, were it to introspect): the only kind of client that may use /introspect."""


async def migrated(url: str, settings: IdentitySettings, *, seed: bool = True) -> Database:
    """The identity tables; with ``seed``, the demo accounts and clients plus :data:`RESOURCE_SERVER`."""
    database = Database.from_url(url, [MIGRATIONS.schema])
    await upgrade(database, [MIGRATIONS])
    if seed:
        await seed_demo_identity(database, settings)
        await Directory(database).add_client(
            RESOURCE_SERVER[0],
            "the gateway as a resource server",
            token_endpoint_auth_method="client_secret_basic",
            grant_types=["client_credentials"],
            scopes=[],
            secret=RESOURCE_SERVER[1],
            secret_generated=True,
            resource_audience=settings.gateway_audience,
        )
    return database


@pytest.fixture(scope="session")
async def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated, seeded SQLite file and key directory, made once; each test gets a copy of both."""
    folder = tmp_path_factory.mktemp("identity-template")
    settings = settings_for(folder / "keys")
    db = await migrated(f"sqlite+aiosqlite:///{folder / 'zhijian.db'}", settings)
    key_ring(settings).load()
    await db.dispose()
    return folder


@pytest.fixture
def database_file(seeded_template: Path, tmp_path: Path, identity_settings: IdentitySettings) -> Path:
    """A copy of the template database and keys for one test."""
    for path in seeded_template.glob("zhijian.db*"):
        shutil.copy(path, tmp_path / path.name)
    shutil.copytree(seeded_template / "keys", identity_settings.key_dir)
    return tmp_path / "zhijian.db"


@pytest.fixture
async def database(database_file: Path) -> AsyncIterator[Database]:
    """SQLite, migrated and seeded (a copy of the session's template): fast, for most tests."""
    db = Database.from_url(f"sqlite+aiosqlite:///{database_file}", [MIGRATIONS.schema])
    yield db
    await db.dispose()


@pytest.fixture
async def any_database(database_url: str, identity_settings: IdentitySettings) -> AsyncIterator[Database]:
    """The same test on SQLite and PostgreSQL: migrated, not seeded."""
    db = await migrated(database_url, identity_settings, seed=False)
    yield db
    await db.dispose()


@pytest.fixture
def app(database: Database, identity_settings: IdentitySettings) -> Starlette:
    return create_app(database, identity_settings)


@pytest.fixture
async def http(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=ISSUER) as client:
        yield client


@pytest.fixture
def browser(http: httpx.AsyncClient) -> Browser:
    return Browser(http)

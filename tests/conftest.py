"""Fixtures every suite may use: real databases (SQLite and PostgreSQL) and Redis."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from tests.support.services import postgres_url, redis_url


@pytest.fixture(scope="session")
def postgres_server_url() -> str:
    return postgres_url()


@pytest.fixture(scope="session")
def redis_server_url() -> str:
    return redis_url()


def _admin_dsn(server_url: str) -> str:
    return make_url(server_url).set(drivername="postgresql").render_as_string(hide_password=False)


async def _fresh_postgres_database(server_url: str) -> tuple[str, str]:
    """Create an empty database on the server; returns (its URL, its name)."""
    url = make_url(server_url)
    name = f"zhijian_test_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(_admin_dsn(server_url))
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    return url.set(database=name).render_as_string(hide_password=False), name


async def _drop_postgres_database(server_url: str, name: str) -> None:
    admin = await asyncpg.connect(_admin_dsn(server_url))
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@pytest.fixture
async def postgres_database_url(postgres_server_url: str) -> AsyncIterator[str]:
    """A new, empty PostgreSQL database for one test, dropped afterwards."""
    url, name = await _fresh_postgres_database(postgres_server_url)
    yield url
    await _drop_postgres_database(postgres_server_url, name)


@pytest.fixture
def sqlite_database_url(tmp_path: Path) -> Iterator[str]:
    """A new, empty SQLite file for one test."""
    yield f"sqlite+aiosqlite:///{tmp_path / 'zhijian.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path, postgres_server_url: str) -> AsyncIterator[str]:
    """The same test on SQLite and on PostgreSQL: a new, empty database each time."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'zhijian.db'}"
        return
    url, name = await _fresh_postgres_database(postgres_server_url)
    yield url
    await _drop_postgres_database(postgres_server_url, name)

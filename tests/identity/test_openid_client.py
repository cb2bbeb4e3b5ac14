"""The certified RP library ``openid-client`` (npm, v6) completes our flows against a live provider on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
import logging
import shutil
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import uvicorn
from joserfc.jwk import KeySet, RSAKey

from identity.app import create_app
from identity.directory import Directory
from identity.seed import DEMO_BROWSER_CLIENT, DEMO_MACHINE_CLIENT, DEMO_MACHINE_SECRET, DEMO_PASSWORD
from identity.settings import IdentitySettings
from kernel.db import Database
from tests.gateway.servers import free_port
from tests.identity.browser import REDIRECT_URI
from tests.identity.conftest import migrated

RP_DIR = Path(__file__).parent / "rp"


async def _npm_ci() -> None:
    if (RP_DIR / "node_modules" / "openid-client").exists():
        return
    npm = shutil.which("npm")
    assert npm, "npm is required for the openid-client conformance check"
    process = await asyncio.create_subprocess_exec(npm, "ci", "--no-audit", "--no-fund", cwd=RP_DIR)
    assert await process.wait() == 0


class AccessLog(logging.Handler):
    """Keeps uvicorn's access-log lines as they would be printed."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@pytest.fixture
def access_log() -> Iterator[AccessLog]:
    handler = AccessLog()
    logger = logging.getLogger("uvicorn.access")
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)


JWT_CLIENT = "samr-exchange-db"
JWT_KEY = RSAKey.generate_key(2048, {"kid": "exchange-1", "alg": "RS256"}, private=True)


@pytest.fixture
async def live_issuer(sqlite_database_url: str, tmp_path: Path) -> AsyncIterator[str]:
    port = free_port()
    issuer = f"http://127.0.0.1:{port}"
    settings = replace(IdentitySettings.from_env({"ZHIJIAN_IDENTITY_ISSUER": issuer}), key_dir=tmp_path / "keys")
    database: Database = await migrated(sqlite_database_url, settings)
    await Directory(database).add_client(
        JWT_CLIENT, "前置库 exchange", token_endpoint_auth_method="private_key_jwt", grant_types=["client_credentials"],
        scopes=["entities:write"], jwks=KeySet([JWT_KEY]).as_dict(private=False),
    )  # fmt: skip
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(database, settings),
            host="127.0.0.1",
            port=port,
            log_level="info",
            log_config=None,
            lifespan="off",
        )
    )
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn exposes only a flag, no event
        await asyncio.sleep(0.02)
    yield issuer
    server.should_exit = True
    await task
    await database.dispose()


async def test_openid_client_completes_code_refresh_and_client_credentials(
    live_issuer: str, access_log: AccessLog
) -> None:
    await _npm_ci()
    node = shutil.which("node")
    assert node
    process = await asyncio.create_subprocess_exec(
        node,
        "check.mjs",
        live_issuer,
        DEMO_BROWSER_CLIENT,
        REDIRECT_URI,
        "futian.case",
        DEMO_PASSWORD,
        DEMO_MACHINE_CLIENT,
        DEMO_MACHINE_SECRET,
        JWT_CLIENT,
        json.dumps(JWT_KEY.as_dict(private=True)),
        cwd=RP_DIR,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 0, stderr.decode()
    result = json.loads(stdout)
    assert result["org_path"] == "440300/440304"
    assert result["userinfo_org_path"] == "440300/440304"
    assert result["refreshed_rotated"] is True
    assert result["refreshed_sub"] == result["sub"]
    assert result["machine_scope"] == "jurisdiction:city entities:read entities:write permits:read"
    assert result["machine_token_type"].lower() == "bearer"
    assert result["jwt_client_scope"] == "entities:write"
    authorize = [line for line in access_log.lines if "GET /authorize?" in line]
    assert authorize and all("state=***" in line and "nonce=***" in line for line in authorize)
    login = [line for line in access_log.lines if "GET /login?" in line]
    assert login and all("state%3D***" in line for line in login)

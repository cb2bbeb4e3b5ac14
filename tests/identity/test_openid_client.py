"""The certified RP library ``openid-client`` (npm, v6) completes our flows against a live provider on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
import logging
import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import uvicorn
from joserfc.jwk import KeySet, RSAKey

from identity.app import create_app
from identity.directory import Directory
from identity.seed import (
    DEMO_BROWSER_CLIENT,
    DEMO_ENTERPRISE_CLIENT,
    DEMO_MACHINE_CLIENT,
    DEMO_MACHINE_SECRET,
    DEMO_PASSWORD,
)
from kernel.db import Database
from tests.gateway.servers import free_port
from tests.identity.browser import REDIRECT_URI
from tests.identity.conftest import migrated, settings_for

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
CONFIDENTIAL_CLIENT = "samr-case-portal"
CONFIDENTIAL_KEY = RSAKey.generate_key(2048, {"kid": "portal-1", "alg": "RS256"}, private=True)
ENTERPRISE_USER, ENTERPRISE_USCC = "hq.owner", "91440300MA5H7K2P12"


@pytest.fixture
async def live_issuer(sqlite_database_url: str, tmp_path: Path) -> AsyncIterator[str]:
    port = free_port()
    issuer = f"http://127.0.0.1:{port}"
    settings = settings_for(tmp_path / "keys", issuer)
    database: Database = await migrated(sqlite_database_url, settings)
    directory = Directory(database)
    await directory.add_client(
        JWT_CLIENT, "前置库 exchange", token_endpoint_auth_method="private_key_jwt", grant_types=["client_credentials"],
        scopes=["entities:write"], jwks=KeySet([JWT_KEY]).as_dict(private=False),
    )  # fmt: skip
    await directory.add_client(
        CONFIDENTIAL_CLIENT, "办案门户 (confidential)", token_endpoint_auth_method="private_key_jwt",
        grant_types=["authorization_code", "refresh_token"], scopes=["openid", "profile", "offline_access"],
        redirect_uris=[REDIRECT_URI], jwks=KeySet([CONFIDENTIAL_KEY]).as_dict(private=False),
    )  # fmt: skip
    await directory.add_enterprise_user(ENTERPRISE_USER, DEMO_PASSWORD, "华强 管理员", ENTERPRISE_USCC, "张伟")
    await directory.decide_binding(ENTERPRISE_USER, ENTERPRISE_USCC, confirmed=True, by="officer-1", method="officer")
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


async def test_openid_client_completes_code_refresh_and_client_credentials_for_every_kind_of_client(
    live_issuer: str, access_log: AccessLog
) -> None:
    await _npm_ci()
    node = shutil.which("node")
    assert node
    arguments = {
        "issuer": live_issuer,
        "redirectUri": REDIRECT_URI,
        "password": DEMO_PASSWORD,
        "officer": "futian.case",
        "public": DEMO_BROWSER_CLIENT,
        "confidential": {"clientId": CONFIDENTIAL_CLIENT, "jwk": CONFIDENTIAL_KEY.as_dict(private=True)},
        "enterprise": {"clientId": DEMO_ENTERPRISE_CLIENT, "username": ENTERPRISE_USER},
        "machine": {"clientId": DEMO_MACHINE_CLIENT, "secret": DEMO_MACHINE_SECRET},
        "jwtMachine": {"clientId": JWT_CLIENT, "jwk": JWT_KEY.as_dict(private=True)},
    }
    process = await asyncio.create_subprocess_exec(
        node, "check.mjs", json.dumps(arguments), cwd=RP_DIR,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=90)
    assert process.returncode == 0, stderr.decode()
    result = json.loads(stdout)
    for flow in ("officer", "confidential"):  # public + PKCE, and confidential with private_key_jwt
        assert result[flow]["population"] == "officer"
        assert result[flow]["org_path"] == result[flow]["userinfo_org_path"] == "440300/440304"
        assert result[flow]["refreshed_rotated"] is True
        assert result[flow]["refreshed_sub"] == result[flow]["sub"]
    enterprise = result["enterprise"]
    assert enterprise["population"] == "enterprise" and enterprise["org_path"] is None
    assert enterprise["usccs"] == enterprise["userinfo_usccs"] == [ENTERPRISE_USCC]
    assert enterprise["refreshed_rotated"] is True
    assert result["machine_scope"] == "jurisdiction:city entities:read entities:write permits:read permits:write"
    assert result["machine_token_type"].lower() == "bearer"
    assert result["jwt_client_scope"] == "entities:write"
    authorize = [line for line in access_log.lines if "GET /authorize?" in line]
    assert authorize and all("state=***" in line and "nonce=***" in line for line in authorize)
    login = [line for line in access_log.lines if "GET /login?" in line]
    assert login and all("state%3D***" in line for line in login)

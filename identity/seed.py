"""Demo officers and clients for a local ``zhijian up`` (documented passwords: local demo only, never production)."""

from __future__ import annotations

from identity.directory import Directory
from identity.records import Level, Role
from identity.settings import IdentitySettings
from kernel.db import Database

DEMO_PASSWORD = "zhijian-demo-2026"
"""Password of every demo officer — for a laptop demo only."""
DEMO_MACHINE_SECRET = "zhijian-demo-machine-secret"
"""Secret of the demo machine client — for a laptop demo only."""
DEMO_BROWSER_CLIENT = "zhijian-officer-app"
DEMO_MACHINE_CLIENT = "zhijian-demo-adapter"
DEMO_CONSOLE_CLIENT = "zhijian-console"
"""The officers' console at ``<gateway>/console/`` (public, code + PKCE), for the default local addresses."""

DEMO_OFFICERS: tuple[tuple[str, str, tuple[Role, ...], Level, str], ...] = (
    ("city.admin", "市局管理员 李明", (Role.ADMIN, Role.LEGAL_REVIEWER), Level.CITY, "440300"),
    ("futian.case", "福田监管局 王芳", (Role.CASE_OFFICER, Role.INSPECTOR), Level.DISTRICT, "440300/440304"),
    ("futian.station", "南园监管所 张伟", (Role.INSPECTOR,), Level.STATION, "440300/440304/440304001"),
)


async def seed_demo_identity(database: Database, settings: IdentitySettings) -> None:
    """Create the demo officers and clients that do not exist yet (idempotent)."""
    directory = Directory(database)
    known = {officer.username for officer in await directory.officers()}
    for username, name, roles, level, org_path in DEMO_OFFICERS:
        if username not in known:
            await directory.add_officer(username, DEMO_PASSWORD, name, roles, level, org_path)
    clients = {client.client_id for client in await directory.clients()}
    if DEMO_BROWSER_CLIENT not in clients:
        await directory.add_client(
            DEMO_BROWSER_CLIENT,
            "政务通 officer app (demo)",
            token_endpoint_auth_method="none",
            grant_types=("authorization_code", "refresh_token"),
            scopes=("openid", "profile", "offline_access"),
            redirect_uris=("http://127.0.0.1:4000/auth/callback", "http://localhost:5173/auth/callback"),
            post_logout_redirect_uris=("http://127.0.0.1:4000/", "http://localhost:5173/"),
        )
    if DEMO_CONSOLE_CLIENT not in clients:
        await directory.add_client(
            DEMO_CONSOLE_CLIENT,
            "智监 officers' console (demo)",
            token_endpoint_auth_method="none",
            grant_types=("authorization_code", "refresh_token"),
            scopes=("openid", "profile", "offline_access"),
            redirect_uris=(
                "http://127.0.0.1:4000/console/auth/callback",
                "http://localhost:5173/console/auth/callback",
            ),
            post_logout_redirect_uris=("http://127.0.0.1:4000/console/", "http://localhost:5173/console/"),
        )
    if DEMO_MACHINE_CLIENT not in clients:
        await directory.add_client(
            DEMO_MACHINE_CLIENT,
            "前置库 exchange adapter (demo)",
            token_endpoint_auth_method="client_secret_basic",
            grant_types=("client_credentials",),
            scopes=("jurisdiction:city", "entities:read", "entities:write", "permits:read"),
            secret=DEMO_MACHINE_SECRET,
            org_path="440300",
        )

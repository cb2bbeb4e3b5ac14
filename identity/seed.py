"""Demo accounts and clients for a local ``zhijian up`` (documented passwords: local demo only, never production).

Redirect URIs follow the gateway's address (``IdentitySettings.gateway_origin``, from ``ZHIJIAN_HOST`` and
``ZHIJIAN_GATEWAY_PORT``), besides the console's development server on ``localhost:5173``.
"""

from __future__ import annotations

from collections.abc import Sequence

from identity.directory import BindingStatus, Directory, DirectoryError
from identity.records import Level
from identity.settings import IdentitySettings
from kernel.db import Database
from kernel.roles import Role

DEMO_PASSWORD = "zhijian-demo-2026"
"""Password of every demo account — for a laptop demo only."""
DEMO_MACHINE_SECRET = "zhijian-demo-machine-secret"
"""Secret of the demo machine client — for a laptop demo only."""
DEMO_BROWSER_CLIENT = "zhijian-officer-app"
DEMO_ENTERPRISE_CLIENT = "zhijian-enterprise-app"
"""市场通 (demo): the public app of enterprise users, code + PKCE."""
DEMO_MACHINE_CLIENT = "zhijian-demo-adapter"
DEMO_CONSOLE_CLIENT = "zhijian-console"
"""The officers' console at ``<gateway>/console/`` (public, code + PKCE)."""
DEMO_ENTERPRISE_USER = "demo.owner"
"""Owner of the first demo entity, the legal representative's confirmation recorded (by the demo seed)."""
DEV_ORIGIN = "http://localhost:5173"

OFFICER_APP_SCOPES = (
    "openid",
    "profile",
    "offline_access",
    "entities:write",
    "permits:write",
    "supervision:write",
    "enforcement:write",
    "detection:write",
)
"""What the officers' apps may be delegated: sign-in, and changes (which ones, the officer's roles decide)."""
ENTERPRISE_APP_SCOPES = (
    "openid",
    "profile",
    "offline_access",
    "entities:read",
    "permits:read",
    "permits:write",
    "supervision:read",
    "detection:read",
    "detection:write",
)

DEMO_OFFICERS: tuple[tuple[str, str, tuple[Role, ...], Level, str], ...] = (
    ("city.admin", "市局管理员 李明", (Role.ADMIN, Role.LEGAL_REVIEWER), Level.CITY, "440300"),
    ("city.analyst", "市局数据分析员 陈静", (Role.ANALYST,), Level.CITY, "440300"),
    ("futian.head", "福田监管局局长 刘强", (Role.AGENCY_HEAD,), Level.DISTRICT, "440300/440304"),
    ("futian.case", "福田监管局 王芳", (Role.CASE_OFFICER, Role.INSPECTOR), Level.DISTRICT, "440300/440304"),
    ("futian.station", "南园监管所 张伟", (Role.INSPECTOR,), Level.STATION, "440300/440304/440304001"),
)


async def seed_demo_identity(
    database: Database, settings: IdentitySettings, enterprises: Sequence[tuple[str, str]] = ()
) -> None:
    """Create the demo accounts and clients that do not exist yet (idempotent). ``enterprises`` are demo entities
    as (USCC, legal representative); the first gets a confirmed owner account."""
    directory = Directory(database)
    known = {officer.username for officer in await directory.officers()}
    for username, name, roles, level, org_path in DEMO_OFFICERS:
        if username not in known:
            await directory.add_officer(username, DEMO_PASSWORD, name, roles, level, org_path)
    gateway = settings.gateway_origin
    clients = {client.client_id for client in await directory.clients()}
    browser_clients = (
        (DEMO_BROWSER_CLIENT, "政务通 officer app (demo)", OFFICER_APP_SCOPES, "/auth/callback", "/"),
        (
            DEMO_CONSOLE_CLIENT,
            "智监 officers' console (demo)",
            OFFICER_APP_SCOPES,
            "/console/auth/callback",
            "/console/",
        ),
        (DEMO_ENTERPRISE_CLIENT, "市场通 enterprise app (demo)", ENTERPRISE_APP_SCOPES, "/auth/callback", "/"),
    )
    for client_id, name, scopes, callback, home in browser_clients:
        if client_id not in clients:
            await directory.add_client(
                client_id,
                name,
                token_endpoint_auth_method="none",
                grant_types=("authorization_code", "refresh_token"),
                scopes=scopes,
                redirect_uris=tuple(dict.fromkeys((f"{gateway}{callback}", f"{DEV_ORIGIN}{callback}"))),
                post_logout_redirect_uris=tuple(dict.fromkeys((f"{gateway}{home}", f"{DEV_ORIGIN}{home}"))),
            )
    if DEMO_MACHINE_CLIENT not in clients:
        await directory.add_client(
            DEMO_MACHINE_CLIENT,
            "前置库 exchange adapter (demo)",
            token_endpoint_auth_method="client_secret_basic",
            grant_types=("client_credentials",),
            scopes=("jurisdiction:city", "entities:read", "entities:write", "permits:read", "permits:write"),
            secret=DEMO_MACHINE_SECRET,
            org_path="440300",
            roles=(Role.REGISTRY_FEED, Role.PERMIT_ARCHIVE),
        )
    if enterprises and not await directory.bindings():
        uscc, legal_representative = enterprises[0]
        try:
            await directory.add_enterprise_user(
                DEMO_ENTERPRISE_USER, DEMO_PASSWORD, f"{legal_representative}（企业管理员）", uscc, legal_representative
            )
        except DirectoryError:
            return
        pending = [b for b in await directory.bindings(BindingStatus.PENDING) if b.username == DEMO_ENTERPRISE_USER]
        for binding in pending:
            await directory.decide_binding(
                binding.username, binding.uscc, confirmed=True, by="demo-seed", method="seed"
            )

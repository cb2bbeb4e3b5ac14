"""``zhijian users|enterprises|clients|keys …`` commands (see :func:`register`), mounted by ``hub/cli.py``."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from identity.directory import BindingStatus, Directory, DirectoryError
from identity.keys import KeyRing, key_wrapper
from identity.passwords import generate_secret
from identity.provider import Provider
from identity.records import Level
from identity.seed import OFFICER_APP_SCOPES
from identity.settings import IdentitySettings
from identity.throttle import LoginPolicy, LoginThrottle
from kernel.db import Database
from kernel.roles import ROLE_POPULATIONS, Population, Role

OFFICER_ROLES = [role.value for role in Role if ROLE_POPULATIONS[role] is Population.OFFICER]
MACHINE_ROLES = [role.value for role in Role if ROLE_POPULATIONS[role] is Population.MACHINE]
MIN_PASSWORD = 12


def register(subparsers: Any) -> None:
    """Add the ``users``, ``enterprises``, ``clients`` and ``keys`` command groups to the hub's subparsers."""
    users = subparsers.add_parser("users", help="officers who sign in (执法人员)")
    user_commands = users.add_subparsers(dest="identity_command", required=True)
    add = user_commands.add_parser("add", help="add an officer; the password is read from stdin")
    add.add_argument("username")
    add.add_argument("--name", required=True, help="display name")
    add.add_argument("--role", action="append", required=True, choices=OFFICER_ROLES)
    add.add_argument("--level", required=True, choices=[lv.value for lv in Level])
    add.add_argument("--org-path", required=True, help="jurisdiction code path, e.g. 440300/440304")
    user_commands.add_parser("list", help="list officers")
    disable = user_commands.add_parser("disable", help="disable an officer: sessions end, tokens are revoked")
    disable.add_argument("username")
    unlock = user_commands.add_parser("unlock", help="forget an account's failed sign-ins (officers and enterprises)")
    unlock.add_argument("username")
    unlock.add_argument("--enterprise", action="store_true", help="an enterprise user, not an officer")
    users.set_defaults(identity_group="users")

    enterprises = subparsers.add_parser("enterprises", help="enterprise users (市场通) and the entities they act for")
    enterprise_commands = enterprises.add_subparsers(dest="identity_command", required=True)
    enterprise_commands.add_parser("list", help="registrations and their confirmation")
    for name, what in (("confirm", "record the legal representative's confirmation"), ("reject", "refuse it")):
        decide = enterprise_commands.add_parser(name, help=what)
        decide.add_argument("username")
        decide.add_argument("uscc")
        decide.add_argument("--officer", required=True, help="username of the officer who checked it")
    staff = enterprise_commands.add_parser("add-staff", help="an owner adds a staff account (password from stdin)")
    staff.add_argument("owner")
    staff.add_argument("uscc")
    staff.add_argument("username")
    staff.add_argument("--name", required=True)
    enterprises.set_defaults(identity_group="enterprises")

    clients = subparsers.add_parser("clients", help="OAuth clients: browser apps and machine adapters")
    client_commands = clients.add_subparsers(dest="identity_command", required=True)
    cadd = client_commands.add_parser("add", help="register a client")
    cadd.add_argument("client_id")
    cadd.add_argument("--name", required=True)
    cadd.add_argument("--kind", required=True, choices=["browser", "machine"])
    cadd.add_argument("--scope", action="append", default=[], help="an allowed scope (repeat)")
    cadd.add_argument("--role", action="append", default=[], choices=MACHINE_ROLES, help="a machine client's role")
    cadd.add_argument("--redirect-uri", action="append", default=[], help="exact redirect URI (browser)")
    cadd.add_argument("--post-logout-redirect-uri", action="append", default=[])
    cadd.add_argument("--jwks-file", type=Path, help="public JWK set: the client uses private_key_jwt")
    cadd.add_argument("--org-path", help="jurisdiction of a machine client")
    cadd.add_argument("--third-party", action="store_true", help="its users are asked for consent")
    cadd.add_argument("--resource-audience", help="a resource server: may introspect tokens for this audience")
    client_commands.add_parser("list", help="list clients")
    rotate = client_commands.add_parser("rotate-secret", help="issue a new client secret (printed once)")
    rotate.add_argument("client_id")
    clients.set_defaults(identity_group="clients")

    keys = subparsers.add_parser("keys", help="the provider's token signing keys")
    key_commands = keys.add_subparsers(dest="identity_command", required=True)
    key_commands.add_parser("list", help="list signing keys (pending, active, retired)")
    key_commands.add_parser(
        "rotate", help="make a new key: published at once, signing after ZHIJIAN_IDENTITY_KEY_PUBLISH_AHEAD seconds"
    )
    keys.set_defaults(identity_group="keys")


async def run(args: argparse.Namespace, database: Database, settings: IdentitySettings) -> int:
    """Execute a parsed identity command; returns the process exit status."""
    directory = Directory(database)
    try:
        if args.identity_group == "users":
            return await _users(args, database, settings)
        if args.identity_group == "enterprises":
            return await _enterprises(args, directory)
        if args.identity_group == "keys":
            return _keys(args, settings)
        return await _clients(args, directory)
    except (DirectoryError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


def _password() -> str | None:
    password = sys.stdin.readline().rstrip("\n")
    if len(password) < MIN_PASSWORD:
        print(f"error: the password (read from stdin) must have at least {MIN_PASSWORD} characters", file=sys.stderr)
        return None
    return password


async def _users(args: argparse.Namespace, database: Database, settings: IdentitySettings) -> int:
    directory = Directory(database)
    if args.identity_command == "add":
        password = _password()
        if password is None:
            return 2
        officer = await directory.add_officer(
            args.username, password, args.name, [Role(r) for r in args.role], Level(args.level), args.org_path
        )
        print(f"added officer {officer.username} ({officer.id})")
    elif args.identity_command == "list":
        for officer in await directory.officers():
            state = "disabled" if officer.disabled else "active"
            roles = ",".join(officer.roles)
            level = officer.level.value if officer.level else "-"
            print(f"{officer.username}\t{level}\t{officer.org_path}\t{roles}\t{state}")
    elif args.identity_command == "unlock":
        provider = Provider.build(database, settings)
        try:
            population = Population.ENTERPRISE if args.enterprise else Population.OFFICER
            await LoginThrottle(provider.counters, LoginPolicy(), b"").unlock(population, args.username)
        finally:
            await provider.close()
        print(f"cleared the failed sign-ins of {args.username}")
    else:
        provider = Provider.build(database, settings)
        try:
            await provider.disable(await directory.set_officer_disabled(args.username))
        finally:
            await provider.close()
        reach = "every gateway sharing ZHIJIAN_REDIS_URL" if settings.redis_url else "the gateway at token expiry"
        print(f"disabled officer {args.username}: sessions ended, tokens revoked (refused by {reach})")
    return 0


async def _enterprises(args: argparse.Namespace, directory: Directory) -> int:
    if args.identity_command == "list":
        for binding in await directory.bindings():
            by = f"{binding.method}:{binding.decided_by}" if binding.decided_by else "-"
            print(f"{binding.username}\t{binding.uscc}\t{binding.role.value}\t{binding.status}\t{by}")
    elif args.identity_command in ("confirm", "reject"):
        officer = next((o for o in await directory.officers() if o.username == args.officer), None)
        if officer is None or officer.disabled or Role.ADMIN not in officer.roles:
            raise DirectoryError(f"{args.officer!r} is not an active administrator")
        binding = await directory.decide_binding(
            args.username, args.uscc, confirmed=args.identity_command == "confirm", by=officer.id, method="officer"
        )
        print(f"{binding.username} for {binding.uscc}: {binding.status.lower()}")
    else:
        password = _password()
        if password is None:
            return 2
        owner = next((b for b in await directory.bindings(BindingStatus.CONFIRMED) if b.username == args.owner), None)
        if owner is None:
            raise DirectoryError(f"{args.owner!r} is not a confirmed enterprise user")
        staff = await directory.add_enterprise_staff(owner.user_id, args.uscc, args.username, password, args.name)
        print(f"added staff {staff.username} for {args.uscc}")
    return 0


async def _clients(args: argparse.Namespace, directory: Directory) -> int:
    if args.identity_command == "add":
        secret: str | None = None
        grant_types: tuple[str, ...]
        jwks = json.loads(args.jwks_file.read_text()) if args.jwks_file else None
        if args.kind == "browser":
            method, grant_types = ("private_key_jwt" if jwks else "none"), ("authorization_code", "refresh_token")
        elif jwks is not None:
            method, grant_types = "private_key_jwt", ("client_credentials",)
        else:
            method, grant_types, secret = "client_secret_basic", ("client_credentials",), generate_secret()
        await directory.add_client(
            args.client_id,
            args.name,
            token_endpoint_auth_method=method,
            grant_types=grant_types,
            scopes=args.scope or (OFFICER_APP_SCOPES if args.kind == "browser" else ()),
            redirect_uris=args.redirect_uri,
            post_logout_redirect_uris=args.post_logout_redirect_uri,
            secret=secret,
            secret_generated=True,
            jwks=jwks,
            org_path=args.org_path,
            roles=args.role,
            first_party=not args.third_party,
            resource_audience=args.resource_audience,
        )
        print(f"added client {args.client_id} ({method})")
        if secret:
            print(f"client secret (shown once): {secret}")
    elif args.identity_command == "list":
        for client in await directory.clients():
            state = "disabled" if client.disabled else "active"
            roles = ",".join(client.roles) or "-"
            print(
                f"{client.client_id}\t{client.token_endpoint_auth_method}\t{' '.join(client.scopes)}\t{roles}\t{state}"
            )
    else:
        secret = generate_secret()
        await directory.set_client_secret(args.client_id, secret, generated=True)
        print(f"new client secret for {args.client_id} (shown once): {secret}")
    return 0


def _keys(args: argparse.Namespace, settings: IdentitySettings) -> int:
    ring = KeyRing(
        settings.key_dir,
        settings.max_token_ttl,
        key_wrapper(settings.key_dir, settings.key_encryption_key),
        publish_ahead=settings.key_publish_ahead,
    ).load()
    if args.identity_command == "rotate":
        fresh = ring.rotate()
        starts = time.strftime("%F %T", time.gmtime(fresh.activates_at))
        print(f"new signing key {fresh.kid}: published now, signs from {starts} UTC (running providers pick it up)")
        return 0
    for key in ring.published():
        created = time.strftime("%F %T", time.gmtime(key.created_at))
        print(f"{key.kid}\t{created}\t{ring.state(key)}")
    return 0

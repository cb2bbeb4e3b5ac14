"""``zhijian users|clients|keys …`` commands (see :func:`register`), mounted by ``hub/cli.py``."""

from __future__ import annotations

import argparse
import json
import secrets
import sys
import time
from pathlib import Path
from typing import Any

from identity.directory import Directory, DirectoryError
from identity.keys import KeyRing
from identity.records import Level, Role
from identity.settings import IdentitySettings
from kernel.db import Database


def register(subparsers: Any) -> None:
    """Add the ``users`` and ``clients`` command groups to the hub's ``argparse`` subparsers."""
    users = subparsers.add_parser("users", help="officers who sign in (执法人员)")
    user_commands = users.add_subparsers(dest="identity_command", required=True)
    add = user_commands.add_parser("add", help="add an officer; the password is read from stdin")
    add.add_argument("username")
    add.add_argument("--name", required=True, help="display name")
    add.add_argument("--role", action="append", required=True, choices=[r.value for r in Role])
    add.add_argument("--level", required=True, choices=[lv.value for lv in Level])
    add.add_argument("--org-path", required=True, help="jurisdiction code path, e.g. 440300/440304")
    user_commands.add_parser("list", help="list officers")
    disable = user_commands.add_parser("disable", help="disable an officer")
    disable.add_argument("username")
    users.set_defaults(identity_group="users")

    clients = subparsers.add_parser("clients", help="OAuth clients: browser apps and machine adapters")
    client_commands = clients.add_subparsers(dest="identity_command", required=True)
    cadd = client_commands.add_parser("add", help="register a client")
    cadd.add_argument("client_id")
    cadd.add_argument("--name", required=True)
    cadd.add_argument("--kind", required=True, choices=["browser", "machine"])
    cadd.add_argument("--scope", action="append", default=[], help="an allowed scope (repeat)")
    cadd.add_argument("--redirect-uri", action="append", default=[], help="exact redirect URI (browser)")
    cadd.add_argument("--post-logout-redirect-uri", action="append", default=[])
    cadd.add_argument("--jwks-file", type=Path, help="public JWK set: the machine client uses private_key_jwt")
    cadd.add_argument("--org-path", help="jurisdiction of a machine client")
    client_commands.add_parser("list", help="list clients")
    rotate = client_commands.add_parser("rotate-secret", help="issue a new client secret (printed once)")
    rotate.add_argument("client_id")
    clients.set_defaults(identity_group="clients")

    keys = subparsers.add_parser("keys", help="the provider's token signing keys")
    key_commands = keys.add_subparsers(dest="identity_command", required=True)
    key_commands.add_parser("list", help="list signing keys (active, retired)")
    key_commands.add_parser("rotate", help="make a new active key; the old one stays published while its tokens live")
    keys.set_defaults(identity_group="keys")


async def run(args: argparse.Namespace, database: Database, settings: IdentitySettings) -> int:
    """Execute a parsed ``users``/``clients`` command; returns the process exit status."""
    directory = Directory(database)
    try:
        if args.identity_group == "users":
            return await _users(args, directory)
        if args.identity_group == "keys":
            return _keys(args, settings)
        return await _clients(args, directory)
    except (DirectoryError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


async def _users(args: argparse.Namespace, directory: Directory) -> int:
    if args.identity_command == "add":
        password = sys.stdin.readline().rstrip("\n")
        if len(password) < 12:
            print("error: the password (read from stdin) must have at least 12 characters", file=sys.stderr)
            return 2
        officer = await directory.add_officer(
            args.username, password, args.name, [Role(r) for r in args.role], Level(args.level), args.org_path
        )
        print(f"added officer {officer.username} ({officer.id})")
    elif args.identity_command == "list":
        for officer in await directory.officers():
            state = "disabled" if officer.disabled else "active"
            roles = ",".join(officer.roles)
            print(f"{officer.username}\t{officer.level.value}\t{officer.org_path}\t{roles}\t{state}")
    else:
        await directory.set_officer_disabled(args.username)
        print(f"disabled officer {args.username}")
    return 0


async def _clients(args: argparse.Namespace, directory: Directory) -> int:
    if args.identity_command == "add":
        secret: str | None = None
        grant_types: tuple[str, ...]
        jwks = json.loads(args.jwks_file.read_text()) if args.jwks_file else None
        if args.kind == "browser":
            method, grant_types = "none", ("authorization_code", "refresh_token")
        elif jwks is not None:
            method, grant_types = "private_key_jwt", ("client_credentials",)
        else:
            method, grant_types, secret = "client_secret_basic", ("client_credentials",), secrets.token_urlsafe(32)
        await directory.add_client(
            args.client_id,
            args.name,
            token_endpoint_auth_method=method,
            grant_types=grant_types,
            scopes=args.scope or (("openid", "profile", "offline_access") if args.kind == "browser" else ()),
            redirect_uris=args.redirect_uri,
            post_logout_redirect_uris=args.post_logout_redirect_uri,
            secret=secret,
            jwks=jwks,
            org_path=args.org_path,
        )
        print(f"added client {args.client_id} ({method})")
        if secret:
            print(f"client secret (shown once): {secret}")
    elif args.identity_command == "list":
        for client in await directory.clients():
            state = "disabled" if client.disabled else "active"
            print(f"{client.client_id}\t{client.token_endpoint_auth_method}\t{' '.join(client.scopes)}\t{state}")
    else:
        secret = secrets.token_urlsafe(32)
        await directory.set_client_secret(args.client_id, secret)
        print(f"new client secret for {args.client_id} (shown once): {secret}")
    return 0


def _keys(args: argparse.Namespace, settings: IdentitySettings) -> int:
    ring = KeyRing(settings.key_dir, settings.max_token_ttl).load()
    if args.identity_command == "rotate":
        print(f"new signing key {ring.rotate().kid}; running providers pick it up on their next token")
        return 0
    for key in ring.published():
        created = time.strftime("%F %T", time.gmtime(key.created_at))
        state = "active" if key.retired_at is None else f"retired {time.strftime('%F %T', time.gmtime(key.retired_at))}"
        print(f"{key.kid}\t{created}\t{state}")
    return 0

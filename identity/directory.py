"""Officers and clients in the database: lookup, registration, lockout bookkeeping."""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import anyio.to_thread
from sqlalchemy import select, update

from identity.models import ClientRow, OfficerRow
from identity.passwords import hash_password, verify_password
from identity.records import Client, Level, Officer, Role, check_org_path
from kernel.db import Database


class DirectoryError(ValueError):
    """A registration request that cannot be honoured (duplicate, unknown, malformed)."""

    code = "IDENTITY_DIRECTORY"


def officer_from_row(row: OfficerRow) -> Officer:
    """The frozen record of an officer row (also read by :mod:`identity.sessions`, joined to the session)."""
    return Officer(
        id=row.id,
        username=row.username,
        display_name=row.display_name,
        roles=tuple(Role(r) for r in row.roles),
        level=Level(row.level),
        org_path=row.org_path,
        disabled=row.disabled,
    )


def _client(row: ClientRow) -> Client:
    return Client(
        client_id=row.client_id,
        name=row.name,
        token_endpoint_auth_method=row.token_endpoint_auth_method,
        secret_hash=row.secret_hash,
        jwks=row.jwks,
        redirect_uris=tuple(row.redirect_uris),
        post_logout_redirect_uris=tuple(row.post_logout_redirect_uris),
        grant_types=tuple(row.grant_types),
        scopes=tuple(row.scopes),
        org_path=row.org_path,
        first_party=row.first_party,
        disabled=row.disabled,
    )


@dataclass(frozen=True, slots=True)
class LoginCheck:
    """Outcome of a password check: the officer on success, else why not (``locked`` / ``invalid``)."""

    officer: Officer | None
    failure: str | None = None


@dataclass(frozen=True, slots=True)
class Directory:
    """Officer and client records of one database."""

    database: Database

    async def add_officer(
        self, username: str, password: str, display_name: str, roles: Sequence[Role], level: Level, org_path: str
    ) -> Officer:
        check_org_path(level, org_path)
        if not roles:
            raise DirectoryError("an officer needs at least one role")
        row = OfficerRow(
            id=str(uuid.uuid4()),
            username=username,
            display_name=display_name,
            password_hash=hash_password(password),
            roles=[Role(r).value for r in roles],
            level=level.value,
            org_path=org_path,
            disabled=False,
            failed_logins=0,
            locked_until=0,
            created_at=int(time.time()),
        )
        async with self.database.transaction() as session:
            if await session.scalar(select(OfficerRow.id).where(OfficerRow.username == username)):
                raise DirectoryError(f"an officer named {username!r} already exists")
            session.add(row)
        return officer_from_row(row)

    async def officer(self, officer_id: str) -> Officer | None:
        async with self.database.sessions() as session:
            row = await session.get(OfficerRow, officer_id)
        return None if row is None else officer_from_row(row)

    async def officers(self) -> list[Officer]:
        async with self.database.sessions() as session:
            rows = (await session.scalars(select(OfficerRow).order_by(OfficerRow.username))).all()
        return [officer_from_row(r) for r in rows]

    async def set_officer_disabled(self, username: str, disabled: bool = True) -> None:
        async with self.database.transaction() as session:
            result = await session.execute(
                update(OfficerRow).where(OfficerRow.username == username).values(disabled=disabled)
            )
            if result.rowcount == 0:  # type: ignore[attr-defined]
                raise DirectoryError(f"no officer named {username!r}")

    async def check_password(self, username: str, password: str, *, threshold: int, lockout_seconds: int) -> LoginCheck:
        """Verify a password; count failures and lock the account after ``threshold`` in a row."""
        now = int(time.time())
        async with self.database.sessions() as session:
            row = await session.scalar(select(OfficerRow).where(OfficerRow.username == username))
        if row is not None and row.locked_until > now:
            return LoginCheck(None, "locked")
        # Argon2 takes tens of milliseconds of CPU: off the event loop, so other requests keep being served
        ok = await anyio.to_thread.run_sync(verify_password, row.password_hash if row else None, password)
        if row is None or row.disabled:
            return LoginCheck(None, "invalid")
        async with self.database.transaction() as session:
            if ok:
                await session.execute(
                    update(OfficerRow).where(OfficerRow.id == row.id).values(failed_logins=0, locked_until=0)
                )
                return LoginCheck(officer_from_row(row))
            failures = row.failed_logins + 1
            locked_until = now + lockout_seconds if failures >= threshold else 0
            await session.execute(
                update(OfficerRow)
                .where(OfficerRow.id == row.id)
                .values(failed_logins=0 if locked_until else failures, locked_until=locked_until)
            )
        return LoginCheck(None, "locked" if locked_until else "invalid")

    async def add_client(
        self,
        client_id: str,
        name: str,
        *,
        token_endpoint_auth_method: str,
        grant_types: Sequence[str],
        scopes: Sequence[str],
        redirect_uris: Sequence[str] = (),
        post_logout_redirect_uris: Sequence[str] = (),
        secret: str | None = None,
        jwks: Mapping[str, Any] | None = None,
        org_path: str | None = None,
        first_party: bool = True,
    ) -> Client:
        if token_endpoint_auth_method not in ("none", "client_secret_basic", "private_key_jwt"):
            raise DirectoryError(f"unsupported token_endpoint_auth_method {token_endpoint_auth_method!r}")
        if (token_endpoint_auth_method == "client_secret_basic") != (secret is not None):
            raise DirectoryError("a client_secret_basic client needs a secret, and only it")
        if (token_endpoint_auth_method == "private_key_jwt") != (jwks is not None):
            raise DirectoryError("a private_key_jwt client needs a JWK set, and only it")
        if jwks is not None:
            keys = jwks.get("keys")
            if not isinstance(keys, list) or not keys or any(not isinstance(k, dict) or "d" in k for k in keys):
                raise DirectoryError("the JWK set must hold the client's public keys only")
        if token_endpoint_auth_method == "none" and "client_credentials" in grant_types:
            raise DirectoryError("a public client cannot use client_credentials")
        row = ClientRow(
            client_id=client_id,
            name=name,
            token_endpoint_auth_method=token_endpoint_auth_method,
            secret_hash=hash_password(secret) if secret else None,
            jwks=dict(jwks) if jwks is not None else None,
            redirect_uris=list(redirect_uris),
            post_logout_redirect_uris=list(post_logout_redirect_uris),
            grant_types=list(grant_types),
            scopes=list(scopes),
            org_path=org_path,
            first_party=first_party,
            disabled=False,
            created_at=int(time.time()),
        )
        async with self.database.transaction() as session:
            if await session.get(ClientRow, client_id):
                raise DirectoryError(f"a client {client_id!r} already exists")
            session.add(row)
        return _client(row)

    async def client(self, client_id: str) -> Client | None:
        async with self.database.sessions() as session:
            row = await session.get(ClientRow, client_id)
        return None if row is None or row.disabled else _client(row)

    async def clients(self) -> list[Client]:
        async with self.database.sessions() as session:
            rows = (await session.scalars(select(ClientRow).order_by(ClientRow.client_id))).all()
        return [_client(r) for r in rows]

    async def set_client_secret(self, client_id: str, secret: str) -> None:
        async with self.database.transaction() as session:
            row = await session.get(ClientRow, client_id)
            if row is None or row.token_endpoint_auth_method != "client_secret_basic":
                raise DirectoryError(f"no client_secret_basic client {client_id!r}")
            row.secret_hash = hash_password(secret)

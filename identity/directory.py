"""Accounts and clients in the database: officers, enterprise users and their entities, OAuth clients."""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import anyio.to_thread
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from identity.models import ClientRow, EnterpriseBindingRow, EnterpriseUserRow, OfficerRow
from identity.passwords import hash_generated_secret, hash_password, verify_password
from identity.records import Account, Client, Level, check_org_path, roles_of
from kernel.db import Database
from kernel.roles import Population, Role
from kernel.uscc import InvalidUscc, parse_uscc


class DirectoryError(ValueError):
    """A registration request that cannot be honoured (duplicate, unknown, malformed)."""

    code = "IDENTITY_DIRECTORY"


def officer_from_row(row: OfficerRow) -> Account:
    """The account of an officer row (also read by :mod:`identity.sessions`, joined to the session)."""
    return Account(
        id=row.id,
        username=row.username,
        display_name=row.display_name,
        roles=tuple(Role(r) for r in row.roles),
        population=Population.OFFICER,
        disabled=row.disabled,
        level=Level(row.level),
        org_path=row.org_path,
    )


def enterprise_user_from_rows(row: EnterpriseUserRow, bindings: Sequence[EnterpriseBindingRow]) -> Account:
    """An enterprise user with the entities it acts for: confirmed bindings only, roles from them."""
    confirmed = [b for b in bindings if b.status == BindingStatus.CONFIRMED]
    return Account(
        id=row.id,
        username=row.username,
        display_name=row.display_name,
        roles=tuple(sorted({Role(b.role) for b in confirmed})),
        population=Population.ENTERPRISE,
        disabled=row.disabled,
        usccs=tuple(sorted(b.uscc for b in confirmed)),
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
        roles=tuple(Role(r) for r in row.roles or ()),
        resource_server=row.resource_server,
        resource_audience=row.resource_audience,
    )


class BindingStatus:
    """Where an enterprise user's claim to act for an entity stands."""

    PENDING = "PENDING"
    """Registered; waits for the legal representative's confirmation."""
    CONFIRMED = "CONFIRMED"
    REJECTED = "REJECTED"


@dataclass(frozen=True, slots=True)
class Binding:
    """An enterprise user's claim to act for one entity."""

    user_id: str
    username: str
    uscc: str
    role: Role
    legal_representative: str
    status: str
    decided_by: str | None
    method: str | None


@dataclass(frozen=True, slots=True)
class Directory:
    """Account and client records of one database."""

    database: Database

    # ------------------------------------------------------------------ officers

    async def add_officer(
        self, username: str, password: str, display_name: str, roles: Sequence[Role], level: Level, org_path: str
    ) -> Account:
        check_org_path(level, org_path)
        try:
            officer_roles = roles_of(Population.OFFICER, list(roles))
        except ValueError as error:
            raise DirectoryError(str(error)) from None
        row = OfficerRow(
            id=str(uuid.uuid4()),
            username=username,
            display_name=display_name,
            password_hash=hash_password(password),
            roles=[r.value for r in officer_roles],
            level=level.value,
            org_path=org_path,
            disabled=False,
            created_at=int(time.time()),
        )
        async with self.database.transaction() as session:
            if await session.scalar(select(OfficerRow.id).where(OfficerRow.username == username)):
                raise DirectoryError(f"an officer named {username!r} already exists")
            session.add(row)
        return officer_from_row(row)

    async def officer(self, officer_id: str) -> Account | None:
        async with self.database.sessions() as session:
            row = await session.get(OfficerRow, officer_id)
        return None if row is None else officer_from_row(row)

    async def officers(self) -> list[Account]:
        async with self.database.sessions() as session:
            rows = (await session.scalars(select(OfficerRow).order_by(OfficerRow.username))).all()
        return [officer_from_row(r) for r in rows]

    async def set_officer_disabled(self, username: str, disabled: bool = True) -> Account:
        async with self.database.transaction() as session:
            row = await session.scalar(select(OfficerRow).where(OfficerRow.username == username))
            if row is None:
                raise DirectoryError(f"no officer named {username!r}")
            row.disabled = disabled
        return officer_from_row(row)

    # ------------------------------------------------------------------ enterprise users (市场通)

    async def add_enterprise_user(
        self, username: str, password: str, display_name: str, uscc: str, legal_representative: str
    ) -> Account:
        """Register an enterprise user claiming to act for ``uscc`` as its owner; the claim waits for the legal
        representative's confirmation (:meth:`decide_binding`), and until then the user reaches nothing."""
        code = _uscc(uscc)
        if not legal_representative.strip():
            raise DirectoryError("name the legal representative who will confirm the registration")
        async with self.database.transaction() as session:
            row = await _new_enterprise_user(session, username, password, display_name)
            binding = _binding_row(row.id, code, Role.ENTERPRISE_OWNER, legal_representative.strip())
            session.add(binding)
        return enterprise_user_from_rows(row, [binding])

    async def add_enterprise_staff(
        self, owner_id: str, uscc: str, username: str, password: str, display_name: str
    ) -> Account:
        """An owner adds a staff account for one of its confirmed entities; it acts for that entity at once."""
        code = _uscc(uscc)
        async with self.database.transaction() as session:
            owner = await session.get(EnterpriseBindingRow, (owner_id, code))
            if owner is None or owner.status != BindingStatus.CONFIRMED or owner.role != Role.ENTERPRISE_OWNER:
                raise DirectoryError(f"only a confirmed owner of {code} may add its staff")
            row = await _new_enterprise_user(session, username, password, display_name)
            binding = _binding_row(row.id, code, Role.ENTERPRISE_STAFF, owner.legal_representative)
            binding.status, binding.decided_at = BindingStatus.CONFIRMED, int(time.time())
            binding.decided_by, binding.method = owner_id, "owner"
            session.add(binding)
        return enterprise_user_from_rows(row, [binding])

    async def decide_binding(self, username: str, uscc: str, *, confirmed: bool, by: str, method: str) -> Binding:
        """Record the legal representative's confirmation (or refusal) of a pending claim, as checked by an officer
        (``method="officer"``, ``by`` = officer id) or an external check (``method="external"``, ``by`` = its
        client id)."""
        code = _uscc(uscc)
        async with self.database.transaction() as session:
            user = await session.scalar(select(EnterpriseUserRow).where(EnterpriseUserRow.username == username))
            binding = None if user is None else await session.get(EnterpriseBindingRow, (user.id, code))
            if user is None or binding is None:
                raise DirectoryError(f"{username!r} has not asked to act for {code}")
            if binding.status != BindingStatus.PENDING:
                raise DirectoryError(f"{username!r} for {code} was already decided ({binding.status.lower()})")
            binding.status = BindingStatus.CONFIRMED if confirmed else BindingStatus.REJECTED
            binding.decided_at, binding.decided_by, binding.method = int(time.time()), by, method
        return _binding(binding, user.username)

    async def bindings(self, status: str | None = None) -> list[Binding]:
        async with self.database.sessions() as session:
            statement = select(EnterpriseBindingRow, EnterpriseUserRow.username).join(
                EnterpriseUserRow, EnterpriseUserRow.id == EnterpriseBindingRow.user_id
            )
            if status is not None:
                statement = statement.where(EnterpriseBindingRow.status == status)
            rows = (await session.execute(statement.order_by(EnterpriseBindingRow.requested_at))).all()
        return [_binding(row, username) for row, username in rows]

    async def enterprise_user(self, user_id: str) -> Account | None:
        async with self.database.sessions() as session:
            return await _enterprise_user(session, await session.get(EnterpriseUserRow, user_id))

    async def set_enterprise_user_disabled(self, username: str, disabled: bool = True) -> Account:
        async with self.database.transaction() as session:
            row = await session.scalar(select(EnterpriseUserRow).where(EnterpriseUserRow.username == username))
            if row is None:
                raise DirectoryError(f"no enterprise user named {username!r}")
            row.disabled = disabled
            found = await _enterprise_user(session, row)
        assert found is not None
        return found

    # ------------------------------------------------------------------ both populations

    async def account(self, population: Population, account_id: str) -> Account | None:
        """An officer or enterprise user by id (disabled ones included: callers decide)."""
        if population is Population.ENTERPRISE:
            return await self.enterprise_user(account_id)
        return await self.officer(account_id)

    async def check_password(self, population: Population, username: str, password: str) -> Account | None:
        """The enabled account of ``population`` whose password this is; None otherwise, after the same Argon2 work
        whether the username exists or not (no timing oracle). Throttling is :mod:`identity.throttle`'s."""
        async with self.database.sessions() as session:
            account: Account | None
            if population is Population.ENTERPRISE:
                row = await session.scalar(select(EnterpriseUserRow).where(EnterpriseUserRow.username == username))
                password_hash, account = (
                    (row.password_hash, await _enterprise_user(session, row)) if row else (None, None)
                )
            else:
                officer = await session.scalar(select(OfficerRow).where(OfficerRow.username == username))
                password_hash = officer.password_hash if officer else None
                account = officer_from_row(officer) if officer else None
        # Argon2 takes tens of milliseconds of CPU: off the event loop, so other requests keep being served
        ok = await anyio.to_thread.run_sync(verify_password, password_hash, password)
        return account if ok and account is not None and not account.disabled else None

    # ------------------------------------------------------------------ clients

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
        secret_generated: bool = False,
        jwks: Mapping[str, Any] | None = None,
        org_path: str | None = None,
        first_party: bool = True,
        roles: Sequence[str] = (),
        resource_audience: str | None = None,
    ) -> Client:
        """Register a client. ``secret_generated`` says the secret came from
        :func:`identity.passwords.generate_secret` (kept as SHA-256, cheap to check); others get Argon2id.
        ``roles`` are a machine client's integration roles; ``resource_audience`` makes it a resource server that
        may introspect tokens for that audience."""
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
        if token_endpoint_auth_method == "none" and ("client_credentials" in grant_types or resource_audience):
            raise DirectoryError("a public client cannot use client_credentials or introspect tokens")
        try:
            client_roles = roles_of(Population.MACHINE, list(roles)) if roles else ()
        except ValueError as error:
            raise DirectoryError(str(error)) from None
        if client_roles and "client_credentials" not in grant_types:
            raise DirectoryError("roles are for machine clients (client_credentials); users bring their own")
        row = ClientRow(
            client_id=client_id,
            name=name,
            token_endpoint_auth_method=token_endpoint_auth_method,
            secret_hash=_secret_hash(secret, secret_generated),
            jwks=dict(jwks) if jwks is not None else None,
            redirect_uris=list(redirect_uris),
            post_logout_redirect_uris=list(post_logout_redirect_uris),
            grant_types=list(grant_types),
            scopes=list(scopes),
            org_path=org_path,
            roles=[r.value for r in client_roles],
            resource_server=resource_audience is not None,
            resource_audience=resource_audience,
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

    async def set_client_secret(self, client_id: str, secret: str, *, generated: bool = False) -> None:
        async with self.database.transaction() as session:
            row = await session.get(ClientRow, client_id)
            if row is None or row.token_endpoint_auth_method != "client_secret_basic":
                raise DirectoryError(f"no client_secret_basic client {client_id!r}")
            row.secret_hash = _secret_hash(secret, generated)

    async def set_client_roles(self, client_id: str, roles: Sequence[str]) -> None:
        try:
            client_roles = roles_of(Population.MACHINE, list(roles)) if roles else ()
        except ValueError as error:
            raise DirectoryError(str(error)) from None
        async with self.database.transaction() as session:
            result = await session.execute(
                update(ClientRow).where(ClientRow.client_id == client_id).values(roles=[r.value for r in client_roles])
            )
            if result.rowcount == 0:  # type: ignore[attr-defined]
                raise DirectoryError(f"no client {client_id!r}")


async def _new_enterprise_user(
    session: AsyncSession, username: str, password: str, display_name: str
) -> EnterpriseUserRow:
    """A new enterprise user row, added to ``session``; a taken username is refused."""
    if await session.scalar(select(EnterpriseUserRow.id).where(EnterpriseUserRow.username == username)):
        raise DirectoryError(f"an enterprise user named {username!r} already exists")
    row = EnterpriseUserRow(
        id=str(uuid.uuid4()),
        username=username,
        display_name=display_name,
        password_hash=hash_password(password),
        disabled=False,
        created_at=int(time.time()),
    )
    session.add(row)
    return row


def _secret_hash(secret: str | None, generated: bool) -> str | None:
    if secret is None:
        return None
    return hash_generated_secret(secret) if generated else hash_password(secret)


def _uscc(uscc: str) -> str:
    try:
        return parse_uscc(uscc).code
    except InvalidUscc as error:
        raise DirectoryError(f"{uscc!r} is not a USCC: {error.message}") from None


def _binding_row(user_id: str, uscc: str, role: Role, legal_representative: str) -> EnterpriseBindingRow:
    return EnterpriseBindingRow(
        user_id=user_id,
        uscc=uscc,
        role=role.value,
        legal_representative=legal_representative,
        status=BindingStatus.PENDING,
        requested_at=int(time.time()),
        decided_at=None,
        decided_by=None,
        method=None,
    )


def _binding(row: EnterpriseBindingRow, username: str) -> Binding:
    return Binding(
        row.user_id,
        username,
        row.uscc,
        Role(row.role),
        row.legal_representative,
        row.status,
        row.decided_by,
        row.method,
    )


async def _enterprise_user(session: AsyncSession, row: EnterpriseUserRow | None) -> Account | None:
    if row is None:
        return None
    bindings = (await session.scalars(select(EnterpriseBindingRow).where(EnterpriseBindingRow.user_id == row.id))).all()
    return enterprise_user_from_rows(row, bindings)

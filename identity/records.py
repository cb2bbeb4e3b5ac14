"""Frozen records loaded from the identity tables; they speak Authlib's model protocols (RFC 6749 §2, §4.1, §6)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from identity.passwords import verify_secret
from kernel.errors import ClientError
from kernel.orgtree import OrgLevel, default_org_tree
from kernel.roles import ROLE_POPULATIONS, Population, Role


def roles_of(population: Population, roles: object) -> tuple[Role, ...]:
    """Roles of one population (``kernel.roles``); a role of another population is refused."""
    if not isinstance(roles, list | tuple) or not roles:
        raise ValueError(f"a {population} account needs at least one role")
    found = tuple(Role(role) for role in roles)
    wrong = [role.value for role in found if ROLE_POPULATIONS[role] is not population]
    if wrong:
        raise ValueError(f"{', '.join(wrong)} is not a role of the {population} population")
    return found


Level = OrgLevel
"""Jurisdiction level: 市局, 辖区局 (district bureau), 监管所 (station) — the org tree's levels."""


def check_org_path(level: Level, org_path: str) -> str:
    """An officer's jurisdiction must be a unit of the org tree at ``level`` (``440300/440304`` for a district
    bureau officer); returns it, ``ValueError`` otherwise."""
    try:
        unit = default_org_tree().unit_at(org_path)
    except ClientError as error:
        raise ValueError(error.message) from None
    if unit.level is not level:
        raise ValueError(f"org path {org_path!r} is a {unit.level.value} unit, not a {level.value} one")
    return org_path


@dataclass(frozen=True, slots=True)
class Account:
    """Someone who signs in: an officer (scoped by ``org_path``) or an enterprise user (市场通, acting for the
    confirmed ``usccs``). The two populations are kept apart: separate tables, usernames and sign-in entrances."""

    id: str
    username: str
    display_name: str
    roles: tuple[Role, ...]
    population: Population
    disabled: bool
    level: Level | None = None
    org_path: str | None = None
    usccs: tuple[str, ...] = ()
    """The entities an enterprise user acts for, legal representative's confirmation recorded."""

    def get_user_id(self) -> str:
        return self.id


@dataclass(frozen=True, slots=True)
class SignedIn:
    """The account behind an SSO session: what the authorization endpoint grants a code to."""

    account: Account
    session_id: str
    auth_time: int

    def get_user_id(self) -> str:
        return self.account.id


@dataclass(frozen=True, slots=True)
class Client:
    """A registered client; implements Authlib's ``ClientMixin`` (RFC 6749 §2, RFC 7591 §2 metadata)."""

    client_id: str
    name: str
    token_endpoint_auth_method: str
    secret_hash: str | None = field(repr=False)
    jwks: dict[str, Any] | None = field(repr=False)
    redirect_uris: tuple[str, ...]
    post_logout_redirect_uris: tuple[str, ...]
    grant_types: tuple[str, ...]
    scopes: tuple[str, ...]
    org_path: str | None
    first_party: bool
    disabled: bool
    roles: tuple[Role, ...] = ()
    """A machine client's integration role(s)."""
    resource_server: bool = False
    resource_audience: str | None = None

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str | None:
        return None

    def get_allowed_scope(self, scope: str | None) -> str | None:
        """The requested scope if every item is registered for this client, else ``None`` (invalid_scope)."""
        if not scope:
            return " ".join(self.scopes)
        requested = scope.split()
        if not set(requested) <= set(self.scopes):
            return None
        return " ".join(dict.fromkeys(requested))

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        """Exact string match only (RFC 9700 §4.1.3): no prefixes, no wildcards, no normalisation."""
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret: str) -> bool:
        return self.secret_hash is not None and verify_secret(self.secret_hash, client_secret)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return not self.disabled and method == self.token_endpoint_auth_method

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code" and "authorization_code" in self.grant_types

    def check_grant_type(self, grant_type: str) -> bool:
        return not self.disabled and grant_type in self.grant_types


@dataclass(frozen=True, slots=True)
class AuthorizationCode:
    """An authorization code just claimed for redemption (RFC 6749 §4.1.3; RFC 7636 §4.6)."""

    family_id: str
    client_id: str
    officer_id: str
    population: Population
    session_id: str
    redirect_uri: str
    scope: str
    nonce: str | None
    code_challenge: str
    code_challenge_method: str
    auth_time: int

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int:
        return self.auth_time


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """One row of ``identity_tokens``; implements Authlib's ``TokenMixin`` (RFC 7009, RFC 7662)."""

    jti: str
    family_id: str
    client_id: str
    officer_id: str | None
    """The account the token was issued to (see ``population``); None for a machine client."""
    population: Population
    session_id: str | None
    scope: str
    auth_time: int | None
    issued_at: int
    access_expires_at: int
    refresh_expires_at: int | None
    rotated_at: int | None
    revoked_at: int | None
    is_refresh: bool = False
    """True when this record was looked up by its refresh token, not its access token."""

    def check_client(self, client: Client) -> bool:
        return self.client_id == client.client_id

    def get_scope(self) -> str:
        return self.scope

    def get_expires_at(self) -> int:
        if self.is_refresh and self.refresh_expires_at is not None:
            return self.refresh_expires_at
        return self.access_expires_at

    def get_expires_in(self) -> int:
        return self.get_expires_at() - self.issued_at

    def is_expired(self) -> bool:
        return self.get_expires_at() <= int(time.time())

    def is_revoked(self) -> bool:
        return self.revoked_at is not None or (self.is_refresh and self.rotated_at is not None)

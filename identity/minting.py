"""Minting of RFC 9068 ``at+jwt`` access tokens, opaque refresh tokens and OIDC ID tokens."""

from __future__ import annotations

import hashlib
import secrets
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from identity.keys import KeyRing
from identity.records import Account, Client, SignedIn
from identity.settings import IdentitySettings
from kernel.jose import b64url_encode
from kernel.roles import Population

ACCESS_TOKEN_TYPE = "at+jwt"


def half_hash(value: str) -> str:
    """``at_hash``: left half of SHA-256, base64url (OIDC Core §3.1.3.6, RS256)."""
    digest = hashlib.sha256(value.encode("ascii")).digest()
    return b64url_encode(digest[: len(digest) // 2])


def account_claims(account: Account) -> dict[str, Any]:
    """Who an account is, as tokens and userinfo say it: population, username, roles, scope of data."""
    claims: dict[str, Any] = {
        "population": account.population.value,
        "preferred_username": account.username,
        "roles": [role.value for role in account.roles],
    }
    if account.population is Population.ENTERPRISE:
        claims["usccs"] = list(account.usccs)
    else:
        claims["org_path"] = account.org_path
        claims["jurisdiction_level"] = account.level.value if account.level else None
    return claims


@dataclass(frozen=True, slots=True)
class TokenMinter:
    """Builds token responses; registered as Authlib's ``default`` token generator."""

    settings: IdentitySettings
    keys: KeyRing
    clock: Callable[[], float] = time.time

    def access_claims(self, client: Client, user: SignedIn | None, scope: str) -> dict[str, Any]:
        """RFC 9068 §2.2 claims plus ours: ``population``, ``roles``, and the caller's scope of data: ``org_path``
        and ``jurisdiction_level`` (officers, machine clients) or ``usccs`` (enterprise users); ``sid`` names the
        SSO session, so that a logout can revoke every token of it at the gateway."""
        now = int(self.clock())
        account = user.account if user else None
        claims: dict[str, Any] = {
            "iss": self.settings.issuer,
            "aud": self.settings.gateway_audience,
            "sub": account.id if account else client.client_id,
            "client_id": client.client_id,
            "iat": now,
            "nbf": now,
            "exp": now + self.settings.access_token_ttl,
            "jti": str(uuid.uuid4()),
            "scope": scope,
            "population": account.population.value if account else Population.MACHINE.value,
            "roles": [role.value for role in (account.roles if account else client.roles)],
        }
        if account is not None and user is not None:
            claims.update(account_claims(account))
            claims["auth_time"] = user.auth_time
            if user.session_id:
                claims["sid"] = user.session_id
        elif client.org_path:
            claims["org_path"] = client.org_path
        return claims

    def __call__(
        self,
        grant_type: str,
        client: Client,
        user: SignedIn | None = None,
        scope: str | None = None,
        expires_in: int | None = None,
        include_refresh_token: bool = True,
    ) -> dict[str, Any]:
        claims = self.access_claims(client, user, scope or "")
        token: dict[str, Any] = {
            "token_type": "Bearer",
            "access_token": self.keys.sign(claims, ACCESS_TOKEN_TYPE),
            "expires_in": self.settings.access_token_ttl,
            "scope": claims["scope"],
        }
        if include_refresh_token and user is not None:
            token["refresh_token"] = secrets.token_urlsafe(32)
        return token

    def id_token(
        self, client: Client, account: Account, *, auth_time: int, nonce: str | None, access_token: str, sid: str | None
    ) -> str:
        """An ID token (OIDC Core §2) for ``client``; ``aud`` is the client, unlike the access token."""
        now = int(self.clock())
        claims: dict[str, Any] = {
            "iss": self.settings.issuer,
            "sub": account.id,
            "aud": client.client_id,
            "azp": client.client_id,
            "iat": now,
            "exp": now + self.settings.id_token_ttl,
            "auth_time": auth_time,
            "at_hash": half_hash(access_token),
            "name": account.display_name,
            **account_claims(account),
        }
        if nonce:
            claims["nonce"] = nonce
        if sid:
            claims["sid"] = sid
        return self.keys.sign(claims, "JWT")

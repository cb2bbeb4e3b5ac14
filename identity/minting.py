"""Minting of RFC 9068 ``at+jwt`` access tokens, opaque refresh tokens and OIDC ID tokens."""

from __future__ import annotations

import hashlib
import secrets
import time
import uuid
from dataclasses import dataclass
from typing import Any

from identity.keys import KeyRing
from identity.records import Client, Officer, SignedInOfficer
from identity.settings import IdentitySettings
from kernel.jose import b64url_encode

ACCESS_TOKEN_TYPE = "at+jwt"


def half_hash(value: str) -> str:
    """``at_hash``: left half of SHA-256, base64url (OIDC Core §3.1.3.6, RS256)."""
    digest = hashlib.sha256(value.encode("ascii")).digest()
    return b64url_encode(digest[: len(digest) // 2])


@dataclass(frozen=True, slots=True)
class TokenMinter:
    """Builds token responses; registered as Authlib's ``default`` token generator."""

    settings: IdentitySettings
    keys: KeyRing

    def access_claims(
        self, client: Client, officer: Officer | None, scope: str, auth_time: int | None
    ) -> dict[str, Any]:
        """RFC 9068 §2.2 claims plus ours: ``roles``, ``org_path``, ``jurisdiction_level``."""
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.settings.issuer,
            "aud": self.settings.gateway_audience,
            "sub": officer.id if officer else client.client_id,
            "client_id": client.client_id,
            "iat": now,
            "nbf": now,
            "exp": now + self.settings.access_token_ttl,
            "jti": str(uuid.uuid4()),
            "scope": scope,
            "roles": [role.value for role in officer.roles] if officer else [],
        }
        if officer:
            claims["org_path"] = officer.org_path
            claims["jurisdiction_level"] = officer.level.value
            claims["preferred_username"] = officer.username
            if auth_time is not None:
                claims["auth_time"] = auth_time
        elif client.org_path:
            claims["org_path"] = client.org_path
        return claims

    def __call__(
        self,
        grant_type: str,
        client: Client,
        user: SignedInOfficer | None = None,
        scope: str | None = None,
        expires_in: int | None = None,
        include_refresh_token: bool = True,
    ) -> dict[str, Any]:
        officer, auth_time = (user.officer, user.auth_time) if user else (None, None)
        claims = self.access_claims(client, officer, scope or "", auth_time)
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
        self, client: Client, officer: Officer, *, auth_time: int, nonce: str | None, access_token: str, sid: str | None
    ) -> str:
        """An ID token (OIDC Core §2) for ``client``; ``aud`` is the client, unlike the access token."""
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.settings.issuer,
            "sub": officer.id,
            "aud": client.client_id,
            "azp": client.client_id,
            "iat": now,
            "exp": now + self.settings.id_token_ttl,
            "auth_time": auth_time,
            "at_hash": half_hash(access_token),
            "name": officer.display_name,
            "preferred_username": officer.username,
            "roles": [role.value for role in officer.roles],
            "org_path": officer.org_path,
        }
        if nonce:
            claims["nonce"] = nonce
        if sid:
            claims["sid"] = sid
        return self.keys.sign(claims, "JWT")

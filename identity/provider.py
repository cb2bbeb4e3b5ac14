"""The provider's collaborators in one frozen bundle, built once by ``create_app`` and shared by every route."""

from __future__ import annotations

import time
from dataclasses import dataclass

from joserfc import jwt
from joserfc.errors import JoseError

from identity.audit import AuditTrail
from identity.directory import Directory
from identity.grants import GrantStore
from identity.keys import ALGORITHM, KeyRing
from identity.minting import ACCESS_TOKEN_TYPE, TokenMinter
from identity.records import IssuedToken, SignedInOfficer
from identity.sessions import SessionStore
from identity.settings import IdentitySettings
from kernel.db import Database


@dataclass(frozen=True, slots=True)
class Provider:
    """Settings, keys and stores of one running OpenID provider."""

    settings: IdentitySettings
    database: Database
    keys: KeyRing
    directory: Directory
    grants: GrantStore
    sessions: SessionStore
    audit: AuditTrail
    minter: TokenMinter

    @classmethod
    def build(cls, database: Database, settings: IdentitySettings) -> Provider:
        keys = KeyRing(settings.key_dir, settings.max_token_ttl).load()
        directory = Directory(database)
        return cls(
            settings=settings,
            database=database,
            keys=keys,
            directory=directory,
            grants=GrantStore(database),
            sessions=SessionStore(database),
            audit=AuditTrail(database),
            minter=TokenMinter(settings, keys),
        )

    def _own_jwt(self, token: str) -> jwt.Token | None:
        """A JWT signed by one of our published keys and naming us as issuer (expiry not checked), else ``None``."""
        try:
            decoded = jwt.decode(token, self.keys.verification_keys(), algorithms=[ALGORITHM])
        except (JoseError, ValueError):
            return None
        return decoded if decoded.claims.get("iss") == self.settings.issuer else None

    def own_jwt_claims(self, token: str) -> dict[str, object] | None:
        """Claims of a JWT signed by one of our published keys (expiry not checked), else ``None``."""
        decoded = self._own_jwt(token)
        return None if decoded is None else dict(decoded.claims)

    async def lookup_token(self, token: str, hint: str | None = None) -> IssuedToken | None:
        """An access token (our signed ``at+jwt``, by ``jti``) or a refresh token (by hash)."""
        if token.count(".") == 2:
            claims = self.own_jwt_claims(token)
            jti = claims.get("jti") if claims else None
            return await self.grants.access_token(jti) if isinstance(jti, str) else None
        return await self.grants.refresh_token(token)

    async def signed_in(
        self, officer_id: str | None, session_id: str | None, auth_time: int | None
    ) -> SignedInOfficer | None:
        """The officer a code or refresh token was issued to, unless since disabled or deleted."""
        officer = await self.directory.officer(officer_id) if officer_id else None
        if officer is None or officer.disabled:
            return None
        return SignedInOfficer(officer, session_id or "", auth_time or 0)

    async def verify_access_token(self, token: str) -> dict[str, object] | None:
        """Claims of one of our live ``at+jwt`` access tokens (RFC 9068 §4), else ``None``."""
        decoded = self._own_jwt(token)
        if decoded is None or decoded.header.get("typ") != ACCESS_TOKEN_TYPE:
            return None
        claims = decoded.claims
        audience = claims.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.settings.gateway_audience not in audiences or int(claims.get("exp", 0)) <= time.time():
            return None
        issued = await self.grants.access_token(str(claims.get("jti")))
        if issued is None or issued.is_revoked():
            return None
        return dict(claims)

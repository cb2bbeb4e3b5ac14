"""The provider's collaborators in one frozen bundle, built once by ``create_app`` and shared by every route."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from joserfc import jwt
from joserfc.errors import JoseError

from identity.audit import AuditTrail
from identity.consent import ConsentStore
from identity.directory import Directory
from identity.grants import GrantStore
from identity.keys import ALGORITHM, KeyRing, key_wrapper
from identity.minting import ACCESS_TOKEN_TYPE, TokenMinter
from identity.records import Account, IssuedToken, SignedIn
from identity.sessions import SessionStore
from identity.settings import IdentitySettings
from identity.throttle import CounterStore, MemoryCounters, RedisCounters
from kernel.db import Database
from kernel.revocation import LocalRevocations, RedisRevocations, Revocations, Revoked
from kernel.roles import Population


@dataclass(frozen=True, slots=True)
class Provider:
    """Settings, keys and stores of one running OpenID provider."""

    settings: IdentitySettings
    database: Database
    keys: KeyRing
    directory: Directory
    grants: GrantStore
    sessions: SessionStore
    consents: ConsentStore
    audit: AuditTrail
    minter: TokenMinter
    revocations: Revocations
    """Where logouts, revocations and disabled accounts are announced to the gateways."""
    counters: CounterStore
    """The throttles' counters: Redis when configured, so that every provider process counts together."""
    clock: Callable[[], float] = time.time

    @classmethod
    def build(
        cls,
        database: Database,
        settings: IdentitySettings,
        *,
        revocations: Revocations | None = None,
        counters: CounterStore | None = None,
        clock: Callable[[], float] = time.time,
    ) -> Provider:
        """The provider's parts; without ``revocations``/``counters`` given, Redis ones when ``redis_url`` is set,
        else this process's memory."""
        wrapper = key_wrapper(settings.key_dir, settings.key_encryption_key)
        keys = KeyRing(
            settings.key_dir, settings.max_token_ttl, wrapper, publish_ahead=settings.key_publish_ahead, clock=clock
        ).load()
        directory = Directory(database)
        if revocations is None:
            revocations = RedisRevocations.from_url(settings.redis_url) if settings.redis_url else LocalRevocations()
        if counters is None:
            counters = RedisCounters.from_url(settings.redis_url) if settings.redis_url else MemoryCounters(clock)
        return cls(
            settings=settings,
            database=database,
            keys=keys,
            directory=directory,
            grants=GrantStore(database, clock),
            sessions=SessionStore(database, directory),
            consents=ConsentStore(database, clock),
            audit=AuditTrail(database),
            minter=TokenMinter(settings, keys, clock),
            revocations=revocations,
            counters=counters,
            clock=clock,
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
        self, population: Population, account_id: str | None, session_id: str | None, auth_time: int | None
    ) -> SignedIn | None:
        """The account a code or refresh token was issued to, unless since disabled or deleted."""
        account = await self.directory.account(population, account_id) if account_id else None
        if account is None or account.disabled:
            return None
        return SignedIn(account, session_id or "", auth_time or 0)

    async def verify_access_token(self, token: str) -> dict[str, object] | None:
        """Claims of one of our live ``at+jwt`` access tokens (RFC 9068 §4), else ``None``."""
        decoded = self._own_jwt(token)
        if decoded is None or decoded.header.get("typ") != ACCESS_TOKEN_TYPE:
            return None
        claims = decoded.claims
        audience = claims.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.settings.gateway_audience not in audiences or int(claims.get("exp", 0)) <= self.clock():
            return None
        issued = await self.grants.access_token(str(claims.get("jti")))
        if issued is None or issued.is_revoked():
            return None
        return dict(claims)

    # ------------------------------------------------------------------ ending access

    @property
    def _revocation_ttl(self) -> float:
        """How long a revocation must be remembered: until every access token it can concern has expired."""
        return self.settings.access_token_ttl + 60

    async def end_session(self, session_id: str) -> None:
        """Logout: the SSO session ends, its tokens are revoked here and, within seconds, at every gateway."""
        await self.sessions.end(session_id)
        await self.grants.revoke_session(session_id)
        await self.revocations.revoke(Revoked.SESSION, session_id, ttl=self._revocation_ttl)

    async def revoke(self, token: IssuedToken) -> None:
        """RFC 7009: one access token, or a refresh token's whole grant; announced to the gateways."""
        revoked = await self.grants.revoke(token)
        for jti in revoked:
            await self.revocations.revoke(Revoked.TOKEN, jti, ttl=self._revocation_ttl)

    async def disable(self, account: Account) -> None:
        """A disabled account: its sessions end, its tokens are revoked, and every gateway refuses the tokens it
        was issued up to now."""
        for sid in await self.sessions.end_all(account):
            await self.revocations.revoke(Revoked.SESSION, sid, ttl=self._revocation_ttl)
        await self.grants.revoke_account(account.id, account.population)
        await self.revocations.revoke(Revoked.SUBJECT, account.id, ttl=self._revocation_ttl)

    async def withdraw_consent(self, account: Account, client_id: str) -> None:
        """The user withdraws a third-party client's consent: it is forgotten and the client's tokens end."""
        await self.consents.withdraw(account, client_id)
        for jti in await self.grants.revoke_account(account.id, account.population, client_id=client_id):
            await self.revocations.revoke(Revoked.TOKEN, jti, ttl=self._revocation_ttl)

    async def close(self) -> None:
        await self.counters.close()
        await self.revocations.close()

"""Authorization codes, issued tokens and their families: single use, rotation, reuse and replay detection.

RFC 6749 §4.1.2 (a replayed code revokes what it minted), RFC 9700 §4.14.2 (refresh token rotation;
reuse of a rotated token revokes the whole family), RFC 7009 (revocation).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import ColumnElement, and_, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from identity.models import AuthorizationCodeRow, TokenRow, UsedAssertionRow
from identity.passwords import fingerprint
from identity.records import AuthorizationCode, IssuedToken
from kernel.db import Database
from kernel.roles import Population

T = TypeVar("T")
RETENTION_SECONDS = 24 * 3600


async def _revoke_family(session: AsyncSession, family_id: str, now: int) -> None:
    await session.execute(
        update(TokenRow)
        .where(and_(TokenRow.family_id == family_id, TokenRow.revoked_at.is_(None)))
        .values(revoked_at=now)
    )


async def _revoke_where(session: AsyncSession, now: int, *conditions: ColumnElement[bool]) -> list[str]:
    """Revoke the live tokens matching ``conditions``; their ``jti`` values."""
    live = (*conditions, TokenRow.revoked_at.is_(None))
    jtis = list((await session.scalars(select(TokenRow.jti).where(*live))).all())
    await session.execute(update(TokenRow).where(*live).values(revoked_at=now))
    return jtis


async def _purge_expired(session: AsyncSession, now: int) -> None:
    """Forget codes and tokens a day after they expired (long enough to recognise a late replay)."""
    horizon = now - RETENTION_SECONDS
    await session.execute(delete(AuthorizationCodeRow).where(AuthorizationCodeRow.expires_at < horizon))
    await session.execute(
        delete(TokenRow).where(
            TokenRow.access_expires_at < horizon,
            or_(TokenRow.refresh_expires_at.is_(None), TokenRow.refresh_expires_at < horizon),
        )
    )


def _issued(row: TokenRow, *, is_refresh: bool) -> IssuedToken:
    return IssuedToken(
        jti=row.jti,
        family_id=row.family_id,
        client_id=row.client_id,
        officer_id=row.officer_id,
        population=Population(row.population),
        session_id=row.session_id,
        scope=row.scope,
        auth_time=row.auth_time,
        issued_at=row.issued_at,
        access_expires_at=row.access_expires_at,
        refresh_expires_at=row.refresh_expires_at,
        rotated_at=row.rotated_at,
        revoked_at=row.revoked_at,
        is_refresh=is_refresh,
    )


@dataclass(frozen=True, slots=True)
class Claim(Generic[T]):
    """Result of claiming a single-use credential: the record, or ``replayed`` when it had been used."""

    record: T | None
    replayed: bool = False
    family_id: str | None = None
    within_grace: bool = False
    """A rotated refresh token presented again within the grace period: answered, not treated as reuse."""


@dataclass(frozen=True, slots=True)
class NewToken:
    """What :meth:`GrantStore.save_token` persists for one issuance."""

    jti: str
    family_id: str
    parent_jti: str | None
    client_id: str
    officer_id: str | None
    population: Population
    session_id: str | None
    scope: str
    auth_time: int | None
    issued_at: int
    access_expires_at: int
    refresh_token: str | None
    refresh_expires_at: int | None


@dataclass(frozen=True, slots=True)
class GrantStore:
    """Persistence of codes, tokens and used client-assertion ids."""

    database: Database
    clock: Callable[[], float] = time.time

    async def save_code(
        self,
        code: str,
        *,
        client_id: str,
        officer_id: str,
        population: Population,
        session_id: str,
        redirect_uri: str,
        scope: str,
        nonce: str | None,
        code_challenge: str,
        code_challenge_method: str,
        auth_time: int,
        ttl: int,
    ) -> None:
        async with self.database.transaction() as session:
            await _purge_expired(session, int(self.clock()))
            session.add(
                AuthorizationCodeRow(
                    code_hash=fingerprint(code),
                    family_id=str(uuid.uuid4()),
                    client_id=client_id,
                    officer_id=officer_id,
                    population=population.value,
                    session_id=session_id,
                    redirect_uri=redirect_uri,
                    scope=scope,
                    nonce=nonce,
                    code_challenge=code_challenge,
                    code_challenge_method=code_challenge_method,
                    auth_time=auth_time,
                    expires_at=int(self.clock()) + ttl,
                    used_at=None,
                )
            )

    async def claim_code(self, code: str, client_id: str) -> Claim[AuthorizationCode]:
        """Mark the code used, atomically; a second use revokes every token minted from it."""
        now = int(self.clock())
        code_hash = fingerprint(code)
        async with self.database.transaction() as session:
            claimed = await session.execute(
                update(AuthorizationCodeRow)
                .where(
                    AuthorizationCodeRow.code_hash == code_hash,
                    AuthorizationCodeRow.client_id == client_id,
                    AuthorizationCodeRow.used_at.is_(None),
                    AuthorizationCodeRow.expires_at > now,
                )
                .values(used_at=now)
            )
            row = await session.get(AuthorizationCodeRow, code_hash)
            if row is None or row.client_id != client_id:
                return Claim(None)
            if claimed.rowcount != 1:  # type: ignore[attr-defined]
                if row.used_at is None:  # expired, never redeemed
                    return Claim(None)
                await _revoke_family(session, row.family_id, now)
                return Claim(None, replayed=True, family_id=row.family_id)
            return Claim(
                AuthorizationCode(
                    family_id=row.family_id,
                    client_id=row.client_id,
                    officer_id=row.officer_id,
                    population=Population(row.population),
                    session_id=row.session_id,
                    redirect_uri=row.redirect_uri,
                    scope=row.scope,
                    nonce=row.nonce,
                    code_challenge=row.code_challenge,
                    code_challenge_method=row.code_challenge_method,
                    auth_time=row.auth_time,
                ),
                family_id=row.family_id,
            )

    async def save_token(self, token: NewToken) -> None:
        async with self.database.transaction() as session:
            session.add(
                TokenRow(
                    jti=token.jti,
                    family_id=token.family_id,
                    parent_jti=token.parent_jti,
                    client_id=token.client_id,
                    officer_id=token.officer_id,
                    population=token.population.value,
                    session_id=token.session_id,
                    scope=token.scope,
                    auth_time=token.auth_time,
                    issued_at=token.issued_at,
                    access_expires_at=token.access_expires_at,
                    refresh_hash=fingerprint(token.refresh_token) if token.refresh_token else None,
                    refresh_expires_at=token.refresh_expires_at,
                    rotated_at=None,
                    revoked_at=None,
                )
            )

    async def claim_refresh(self, refresh_token: str, client_id: str, *, grace: int = 0) -> Claim[IssuedToken]:
        """Rotate: mark the refresh token used, atomically. Presenting a rotated one again within ``grace`` seconds
        (a second tab of the same app refreshing at the same moment) is answered as if it were fresh; later it
        revokes the family (RFC 9700 §4.14.2)."""
        now = int(self.clock())
        refresh_hash = fingerprint(refresh_token)
        async with self.database.transaction() as session:
            row = await session.scalar(select(TokenRow).where(TokenRow.refresh_hash == refresh_hash))
            if row is None or row.client_id != client_id:
                return Claim(None)
            claimed = await session.execute(
                update(TokenRow)
                .where(
                    TokenRow.jti == row.jti,
                    TokenRow.rotated_at.is_(None),
                    TokenRow.revoked_at.is_(None),
                    TokenRow.refresh_expires_at > now,
                )
                .values(rotated_at=now)
            )
            if claimed.rowcount == 1:  # type: ignore[attr-defined]
                return Claim(_issued(row, is_refresh=True), family_id=row.family_id)
            await session.refresh(row)
            live = row.revoked_at is None and (row.refresh_expires_at or 0) > now
            if live and grace > 0 and row.rotated_at is not None and now - row.rotated_at <= grace:
                return Claim(_issued(row, is_refresh=True), family_id=row.family_id, within_grace=True)
            if row.rotated_at is not None and row.revoked_at is None:
                await _revoke_family(session, row.family_id, now)
                return Claim(None, replayed=True, family_id=row.family_id)
            return Claim(None, family_id=row.family_id)

    async def access_token(self, jti: str) -> IssuedToken | None:
        async with self.database.sessions() as session:
            row = await session.get(TokenRow, jti)
        return None if row is None else _issued(row, is_refresh=False)

    async def refresh_token(self, refresh_token: str) -> IssuedToken | None:
        async with self.database.sessions() as session:
            row = await session.scalar(select(TokenRow).where(TokenRow.refresh_hash == fingerprint(refresh_token)))
        return None if row is None else _issued(row, is_refresh=True)

    async def revoke(self, token: IssuedToken) -> list[str]:
        """Revoke one issuance; revoking a refresh token revokes its whole grant (RFC 7009 §2.1). Returns the
        ``jti`` of every access token revoked now."""
        now = int(self.clock())
        async with self.database.transaction() as session:
            if token.is_refresh:
                return await _revoke_where(session, now, TokenRow.family_id == token.family_id)
            return await _revoke_where(session, now, TokenRow.jti == token.jti)

    async def revoke_session(self, session_id: str) -> list[str]:
        """Revoke every token issued under an SSO session (logout)."""
        async with self.database.transaction() as session:
            return await _revoke_where(session, int(self.clock()), TokenRow.session_id == session_id)

    async def revoke_account(
        self, account_id: str, population: Population, *, client_id: str | None = None
    ) -> list[str]:
        """Revoke every token of an account (disabled), or of one client for it (consent withdrawn)."""
        conditions = [TokenRow.officer_id == account_id, TokenRow.population == population.value]
        if client_id is not None:
            conditions.append(TokenRow.client_id == client_id)
        async with self.database.transaction() as session:
            return await _revoke_where(session, int(self.clock()), *conditions)

    async def family(self, family_id: str) -> list[IssuedToken]:
        async with self.database.sessions() as session:
            rows = (await session.scalars(select(TokenRow).where(TokenRow.family_id == family_id))).all()
        return [_issued(r, is_refresh=False) for r in rows]

    async def use_assertion(self, client_id: str, jti: str, expires_at: int) -> bool:
        """Remember a client assertion's ``jti``; False when it was seen before (replay)."""
        now = int(self.clock())
        async with self.database.transaction() as session:
            await session.execute(delete(UsedAssertionRow).where(UsedAssertionRow.expires_at < now - 3600))
            if await session.get(UsedAssertionRow, (jti, client_id)):
                return False
            session.add(UsedAssertionRow(jti=jti, client_id=client_id, expires_at=max(expires_at, now)))
        return True

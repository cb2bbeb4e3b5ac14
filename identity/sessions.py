"""Single-sign-on sessions behind the ``zj_sso`` cookie: a fresh id on every login (no session fixation)."""

from __future__ import annotations

import secrets
import time
import uuid
from dataclasses import dataclass

from sqlalchemy import select, update

from identity.directory import Directory
from identity.models import SessionRow
from identity.passwords import fingerprint
from identity.records import Account, SignedIn
from kernel.db import Database
from kernel.roles import Population

SESSION_COOKIE = "zj_sso"


@dataclass(frozen=True, slots=True)
class NewSession:
    """A session just opened: the cookie value (shown once) and its public ``sid`` (OIDC Front-Channel §3)."""

    cookie: str
    sid: str


@dataclass(frozen=True, slots=True)
class SessionStore:
    """Opens, resolves and ends SSO sessions; only a hash of the cookie is stored."""

    database: Database
    directory: Directory

    async def open(self, account: Account, ttl: int, replacing: str | None = None) -> NewSession:
        """A new session for ``account``; the session behind ``replacing`` (the old cookie) is ended."""
        now = int(time.time())
        cookie = secrets.token_urlsafe(32)
        sid = str(uuid.uuid4())
        async with self.database.transaction() as session:
            if replacing:
                await session.execute(
                    update(SessionRow).where(SessionRow.id_hash == fingerprint(replacing)).values(ended_at=now)
                )
            session.add(
                SessionRow(
                    id_hash=fingerprint(cookie),
                    sid=sid,
                    officer_id=account.id,
                    population=account.population.value,
                    auth_time=now,
                    expires_at=now + ttl,
                    ended_at=None,
                )
            )
        return NewSession(cookie, sid)

    async def resolve(self, cookie: str | None) -> SignedIn | None:
        """The signed-in account for a cookie value, if the session is live and the account enabled."""
        if not cookie:
            return None
        now = int(time.time())
        async with self.database.sessions() as session:
            row = await session.scalar(
                select(SessionRow).where(
                    SessionRow.id_hash == fingerprint(cookie),
                    SessionRow.ended_at.is_(None),
                    SessionRow.expires_at > now,
                )
            )
        if row is None:
            return None
        account = await self.directory.account(Population(row.population), row.officer_id)
        if account is None or account.disabled:
            return None
        return SignedIn(account, row.sid, row.auth_time)

    async def end(self, sid: str) -> None:
        async with self.database.transaction() as session:
            await session.execute(
                update(SessionRow)
                .where(SessionRow.sid == sid, SessionRow.ended_at.is_(None))
                .values(ended_at=int(time.time()))
            )

    async def end_all(self, account: Account) -> list[str]:
        """End every live session of ``account`` (it was disabled); returns their ``sid`` values."""
        now = int(time.time())
        async with self.database.transaction() as session:
            live = SessionRow.officer_id == account.id, SessionRow.population == account.population.value
            sids = list(
                (await session.scalars(select(SessionRow.sid).where(*live, SessionRow.ended_at.is_(None)))).all()
            )
            await session.execute(update(SessionRow).where(*live, SessionRow.ended_at.is_(None)).values(ended_at=now))
        return sids

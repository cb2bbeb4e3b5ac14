"""Single-sign-on sessions behind the ``zj_sso`` cookie: a fresh id on every login (no session fixation)."""

from __future__ import annotations

import secrets
import time
import uuid
from dataclasses import dataclass

from sqlalchemy import select, update

from identity.directory import officer_from_row
from identity.models import OfficerRow, SessionRow
from identity.passwords import fingerprint
from identity.records import SignedInOfficer
from kernel.db import Database

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

    async def open(self, officer_id: str, ttl: int, replacing: str | None = None) -> NewSession:
        """A new session for ``officer_id``; the session behind ``replacing`` (the old cookie) is ended."""
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
                    officer_id=officer_id,
                    auth_time=now,
                    expires_at=now + ttl,
                    ended_at=None,
                )
            )
        return NewSession(cookie, sid)

    async def resolve(self, cookie: str | None) -> SignedInOfficer | None:
        """The signed-in officer for a cookie value, if the session is live and the officer enabled."""
        if not cookie:
            return None
        now = int(time.time())
        async with self.database.sessions() as session:
            found = (
                await session.execute(
                    select(SessionRow, OfficerRow)
                    .join(OfficerRow, OfficerRow.id == SessionRow.officer_id)
                    .where(
                        SessionRow.id_hash == fingerprint(cookie),
                        SessionRow.ended_at.is_(None),
                        SessionRow.expires_at > now,
                    )
                )
            ).first()
        if found is None:
            return None
        row, officer_row = found
        officer = officer_from_row(officer_row)
        if officer.disabled:
            return None
        return SignedInOfficer(officer, row.sid, row.auth_time)

    async def end(self, sid: str) -> None:
        async with self.database.transaction() as session:
            await session.execute(
                update(SessionRow)
                .where(SessionRow.sid == sid, SessionRow.ended_at.is_(None))
                .values(ended_at=int(time.time()))
            )

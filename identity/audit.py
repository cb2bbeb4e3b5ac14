"""Audit trail of logins, token issuance and refusals (table ``identity_audit_events``); never a secret."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from identity.models import AuditEventRow
from kernel.db import Database

log = logging.getLogger("zhijian.identity.audit")

_SECRET_KEYS = frozenset(
    {
        "password",
        "client_secret",
        "code",
        "code_verifier",
        "refresh_token",
        "access_token",
        "id_token",
        "token",
        "client_assertion",
        "state",
        "nonce",
        "csrf",
    }
)


@dataclass(frozen=True, slots=True)
class AuditEvent:
    """One recorded event."""

    at: int
    kind: str
    outcome: str
    subject: str | None
    client_id: str | None
    ip: str | None
    detail: dict[str, Any]


@dataclass(frozen=True, slots=True)
class AuditTrail:
    """Writes and reads audit events; refuses detail keys that name a secret."""

    database: Database

    async def record(
        self,
        kind: str,
        outcome: str,
        *,
        subject: str | None = None,
        client_id: str | None = None,
        ip: str | None = None,
        **detail: Any,
    ) -> None:
        leaked = _SECRET_KEYS & detail.keys()
        if leaked:
            raise ValueError(f"audit detail must not carry secrets: {sorted(leaked)}")
        async with self.database.transaction() as session:
            session.add(
                AuditEventRow(
                    at=int(time.time()),
                    kind=kind,
                    outcome=outcome,
                    subject=subject,
                    client_id=client_id,
                    ip=ip,
                    detail=detail,
                )
            )
        log.info("%s %s subject=%s client=%s", kind, outcome, subject, client_id)

    async def recent(self, limit: int = 100) -> list[AuditEvent]:
        """The latest events, newest first."""
        async with self.database.sessions() as session:
            rows = (await session.scalars(select(AuditEventRow).order_by(AuditEventRow.id.desc()).limit(limit))).all()
        return [AuditEvent(r.at, r.kind, r.outcome, r.subject, r.client_id, r.ip, dict(r.detail)) for r in rows]

"""Remembered consent to third-party clients (OIDC Core §3.1.2.4): given once on the consent screen, shown and
withdrawable on ``/account/consents``; first-party clients (the bureau's own apps) never ask."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select

from identity.models import ConsentRow
from identity.records import Account
from kernel.db import Database


@dataclass(frozen=True, slots=True)
class Consent:
    """What one account allowed one client."""

    client_id: str
    scopes: frozenset[str]
    granted_at: int


@dataclass(frozen=True, slots=True)
class ConsentStore:
    database: Database
    clock: Callable[[], float] = time.time

    async def covers(self, account: Account, client_id: str, scope: str) -> bool:
        """True when a remembered, not withdrawn consent covers every scope requested."""
        async with self.database.sessions() as session:
            row = await session.get(ConsentRow, (account.id, account.population.value, client_id))
        return row is not None and row.withdrawn_at is None and set(scope.split()) <= set(row.scope.split())

    async def grant(self, account: Account, client_id: str, scope: str) -> None:
        """Remember consent to ``scope`` (added to what was allowed before, unless that was withdrawn)."""
        now = int(self.clock())
        async with self.database.transaction() as session:
            row = await session.get(ConsentRow, (account.id, account.population.value, client_id))
            if row is None:
                population = account.population.value
                session.add(ConsentRow(account_id=account.id, population=population, client_id=client_id, scope=scope,
                                       granted_at=now, withdrawn_at=None))  # fmt: skip
                return
            kept = set(row.scope.split()) if row.withdrawn_at is None else set()
            row.scope = " ".join(sorted(kept | set(scope.split())))
            row.granted_at, row.withdrawn_at = now, None

    async def withdraw(self, account: Account, client_id: str) -> bool:
        """Withdraw consent; False when there was none to withdraw."""
        async with self.database.transaction() as session:
            row = await session.get(ConsentRow, (account.id, account.population.value, client_id))
            if row is None or row.withdrawn_at is not None:
                return False
            row.withdrawn_at = int(self.clock())
        return True

    async def of(self, account: Account) -> list[Consent]:
        """The account's consents in force, newest first."""
        async with self.database.sessions() as session:
            rows = (
                await session.scalars(
                    select(ConsentRow)
                    .where(
                        ConsentRow.account_id == account.id,
                        ConsentRow.population == account.population.value,
                        ConsentRow.withdrawn_at.is_(None),
                    )
                    .order_by(ConsentRow.granted_at.desc())
                )
            ).all()
        return [Consent(row.client_id, frozenset(row.scope.split()), row.granted_at) for row in rows]

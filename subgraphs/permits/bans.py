"""The Food Safety Law Art. 135 ban, read live from the permits' own revocations on every application.

A food business whose permit was revoked (吊销) may not apply for a food permit for 5 years from the revocation
decision (食品安全法 Art. 135; rule ``entities.food_permit_revocation_ban``). The check reads the status log as it
stands now, city-wide, so a revocation recorded after the applicant registered counts, and the ban ends when the rule
says.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kernel.errors import ClientError
from subgraphs.common.jurisdiction import UNSCOPED
from subgraphs.permits.errors import PermitsCode
from subgraphs.permits.models import PermitRow, PermitStatusChangeRow
from subgraphs.permits.services import PermitServices
from subgraphs.permits.vocabulary import PermitStatus

BAN_RULE = "entities.food_permit_revocation_ban"


@dataclass(frozen=True, slots=True)
class RevocationBan:
    """The applicant's own revoked permit that bars it, and the last day of the ban."""

    permit_number: str
    revoked_on: dt.date
    ends_on: dt.date
    basis: str

    @property
    def reason(self) -> str:
        return (
            f"permit {self.permit_number} was revoked on {self.revoked_on.isoformat()}: no food permit application "
            f"until {self.ends_on.isoformat()} ({self.basis})"
        )


async def revocation_ban(
    session: AsyncSession, services: PermitServices, uscc: str, today: dt.date
) -> RevocationBan | None:
    """The ban in force on ``today`` from a revocation of one of ``uscc``'s permits, the latest ending one; None."""
    revocations = await session.execute(
        select(PermitRow.number, PermitStatusChangeRow.at)
        .join(PermitRow, PermitRow.id == PermitStatusChangeRow.permit_id)
        .where(PermitRow.holder_uscc == uscc, PermitStatusChangeRow.to_status == PermitStatus.REVOKED.value),
        execution_options={UNSCOPED: True},  # a ban holds city-wide, whoever asks
    )
    bans = []
    for number, at in revocations:
        revoked_on = services.today(at)
        rule = services.periods.rules.get(BAN_RULE, revoked_on)
        ends_on = rule.period_end(revoked_on) - dt.timedelta(days=1)
        if today <= ends_on:
            bans.append(RevocationBan(number, revoked_on, ends_on, rule.basis))
    return max(bans, key=lambda ban: ban.ends_on, default=None)


async def require_no_revocation_ban(session: AsyncSession, services: PermitServices, uscc: str, today: dt.date) -> None:
    """``APPLICANT_BANNED`` while ``uscc`` is under the Art. 135 ban."""
    ban = await revocation_ban(session, services, uscc, today)
    if ban is not None:
        raise ClientError(
            ban.reason,
            code=PermitsCode.APPLICANT_BANNED,
            details={"permitNumber": ban.permit_number, "bannedUntil": ban.ends_on.isoformat()},
        )

"""The Food Safety Law Art. 135 bans, read live on every application: the applicant's own revocations and the bans
the registry reports on the person who runs it.

¶1: a food business whose permit was revoked (吊销), and its legal representative and the persons directly
responsible, may not apply for a food permit for 5 years from the penalty decision (rule
``entities.food_permit_revocation_ban``). ¶2: a person sentenced for a food-safety crime may never do food production
or operation management work (rule ``entities.food_safety_crime_ban``), so a business run by one cannot be granted a
permit (¶3 would revoke it). The applicant's own revocations are read from the permits' status log as it stands now,
city-wide; the persons' bans from the registry's live ``foodSafetyBans`` (not its registration-day holds), asked at
the decision. Periods count from the day after the decision (民法典 Art. 201–202): the ban holds through its last
day.
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
from subgraphs.permits.registry import RegistryFacts
from subgraphs.permits.services import PermitServices
from subgraphs.permits.vocabulary import PermitStatus

BAN_RULE = "entities.food_permit_revocation_ban"


@dataclass(frozen=True, slots=True)
class RevocationBan:
    """The applicant's own revoked permit that bars it (Art. 135 ¶1), and the last day of the ban."""

    permit_number: str
    revoked_on: dt.date
    ends_on: dt.date
    basis: str

    @property
    def reason(self) -> str:
        return (
            f"permit {self.permit_number} was revoked on {self.revoked_on.isoformat()}: no food permit application "
            f"until {self.ends_on.isoformat()} inclusive ({self.basis})"
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
        ends_on = rule.period_end(revoked_on)  # the last day (民法典 Art. 201–202: counted from the next day)
        if today <= ends_on:
            bans.append(RevocationBan(number, revoked_on, ends_on, rule.basis))
    return max(bans, key=lambda ban: ban.ends_on, default=None)


async def require_no_revocation_ban(session: AsyncSession, services: PermitServices, uscc: str, today: dt.date) -> None:
    """``APPLICANT_BANNED`` while ``uscc`` is under the Art. 135 ¶1 ban from its own revocation."""
    ban = await revocation_ban(session, services, uscc, today)
    if ban is not None:
        raise ClientError(
            ban.reason,
            code=PermitsCode.APPLICANT_BANNED,
            details={"permitNumber": ban.permit_number, "bannedUntil": ban.ends_on.isoformat()},
        )


def require_no_person_ban(facts: RegistryFacts) -> None:
    """``APPLICANT_BANNED`` while the registry reports an Art. 135 ban (¶1 or ¶2) on the person running the
    applicant."""
    if facts.food_permit_ban:
        bans = "; ".join(facts.food_safety_bans) or "a Food Safety Law Art. 135 ban"
        raise ClientError(
            f"the applicant's legal representative is barred: {bans}",
            code=PermitsCode.APPLICANT_BANNED,
            details={"personBans": list(facts.food_safety_bans)},
        )


async def require_no_ban(session: AsyncSession, services: PermitServices, facts: RegistryFacts, today: dt.date) -> None:
    """Every Art. 135 ban on the applicant of ``facts`` as things stand on ``today`` (``APPLICANT_BANNED``)."""
    await require_no_revocation_ban(session, services, facts.uscc, today)
    require_no_person_ban(facts)

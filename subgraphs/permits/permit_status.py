"""A permit's status as a logged state machine: officers suspend, reinstate, revoke, cancel; the job expires.

DOMAIN.md §10.1 statuses. Revocation (吊销) is a penalty decided in an enforcement case (Food Safety Law Art. 135
attaches the 5-year ban to it); cancellation (注销) also follows an approved CANCEL application; renewal brings an
EXPIRED permit back to VALID. Every change is recorded: who, when, from, to, why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from types import MappingProxyType

from sqlalchemy.ext.asyncio import AsyncSession

from kernel.errors import ClientError, InvalidTransitionError
from subgraphs.common.records import lock_for_change
from subgraphs.permits.errors import PermitsCode
from subgraphs.permits.models import PermitRow, PermitStatusChangeRow
from subgraphs.permits.vocabulary import PermitStatus

_P = PermitStatus
OFFICER_TRANSITIONS: Mapping[PermitStatus, tuple[PermitStatus, ...]] = MappingProxyType(
    {
        _P.VALID: (_P.SUSPENDED, _P.REVOKED, _P.CANCELLED),
        _P.DEEMED_RENEWED: (_P.SUSPENDED, _P.REVOKED, _P.CANCELLED),
        _P.SUSPENDED: (_P.VALID, _P.REVOKED, _P.CANCELLED),
        _P.EXPIRED: (),
        _P.REVOKED: (),
        _P.CANCELLED: (),
    }
)
"""What an officer may do directly; EXPIRED and DEEMED_RENEWED come only from the expiry job (行政许可法 Art. 50);
EXPIRED leaves only by renewal."""


async def get_permit(session: AsyncSession, permit_id: str) -> PermitRow:
    """The permit, locked for this change (:func:`lock_for_change`), or ``NOT_FOUND``."""
    return await lock_for_change(session, PermitRow, permit_id, "permit")


def record_status_change(
    session: AsyncSession,
    permit: PermitRow,
    target: PermitStatus,
    *,
    actor: str,
    at: dt.datetime,
    reason: str | None,
) -> None:
    """Set the status and log the change (no check: callers are the officer edge, a renewal or a cancellation)."""
    session.add(
        PermitStatusChangeRow(
            permit_id=permit.id, from_status=permit.status, to_status=target.value, actor=actor, at=at, reason=reason
        )
    )
    permit.status, permit.status_reason, permit.updated_at = target.value, reason, at


async def change_permit_status(
    session: AsyncSession, permit_id: str, target: PermitStatus, *, reason: str, actor: str, at: dt.datetime
) -> PermitRow:
    """Move a permit along an officer edge; ``ILLEGAL_TRANSITION`` names the current and the allowed statuses."""
    permit = await get_permit(session, permit_id)
    current = PermitStatus(permit.status)
    allowed = OFFICER_TRANSITIONS[current]
    if target not in allowed:
        listed = ", ".join(status.value for status in allowed) or "nothing"
        hint = "; renew it instead" if current is PermitStatus.EXPIRED else ""
        raise InvalidTransitionError(
            f"permit {permit.number} is {current.value}; an officer may change it to {listed}{hint}",
            details={
                "currentStatus": current.value,
                "requestedStatus": target.value,
                "allowedNextStatuses": [status.value for status in allowed],
            },
        )
    if not reason.strip():
        raise ClientError("a status change must state its reason and legal basis", code=PermitsCode.REASON_REQUIRED)
    record_status_change(session, permit, target, actor=actor, at=at, reason=reason.strip())
    return permit

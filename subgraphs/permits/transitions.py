"""The one place an application changes state: the edge is checked, the move is logged (who, when, from, to, why)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.common.records import lock_for_change
from subgraphs.permits.models import PermitApplicationRow, PermitTransitionRow
from subgraphs.permits.workflow import ApplicationState, check_transition


async def get_application(session: AsyncSession, application_id: str) -> PermitApplicationRow:
    """The application, locked for this change (:func:`lock_for_change`), or ``NOT_FOUND``."""
    return await lock_for_change(session, PermitApplicationRow, application_id, "permit application")


def record_transition(
    session: AsyncSession,
    row: PermitApplicationRow,
    source: ApplicationState | None,
    target: ApplicationState,
    *,
    actor: str,
    at: dt.datetime,
    reason: str | None,
) -> None:
    """Log one move (or a same-state event such as an extension) without checking the edge."""
    row.updated_at = at
    session.add(
        PermitTransitionRow(
            application_id=row.id,
            from_state=source.value if source else None,
            to_state=target.value,
            actor=actor,
            at=at,
            reason=reason,
        )
    )


def move(
    session: AsyncSession,
    row: PermitApplicationRow,
    target: ApplicationState,
    *,
    actor: str,
    at: dt.datetime,
    reason: str | None,
) -> None:
    """Move along an edge of the state machine (``ILLEGAL_TRANSITION`` otherwise) and log it."""
    source = ApplicationState(row.state)
    check_transition(source, target, action=f"move to {target.value}")
    row.state = target.value
    record_transition(session, row, source, target, actor=actor, at=at, reason=reason)


def require_state(row: PermitApplicationRow, target: ApplicationState, action: str) -> None:
    """Check an edge before doing any other validation, so the error names the state first."""
    check_transition(ApplicationState(row.state), target, action=action)


def note_rule(row: PermitApplicationRow, version: str) -> None:
    """Remember a rule version a deadline was computed from (audit trail)."""
    row.rule_versions = [*row.rule_versions, version]

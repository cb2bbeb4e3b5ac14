"""Kitchen alerts (明厨亮灶, DOMAIN.md §7.2): created from a device's detections by the pipeline's rules, then moved
along the loop detected → candidate → review → confirmed / rejected → notice → rectification → verified → closed,
or escalated (a missed deadline, a failed verification), which asks supervision for an inspection task."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from kernel.errors import ClientError
from kernel.jobs.events import emit
from subgraphs.common.events import TASK_REQUESTED, TaskRequested
from subgraphs.common.records import lock_for_change
from subgraphs.detection.alert_feed import AlertChange, note_move
from subgraphs.detection.errors import DetectionCode
from subgraphs.detection.models import AlertTransitionRow, KitchenAlertRow
from subgraphs.detection.services import SYSTEM_ACTOR, DetectionServices
from subgraphs.detection.vocabulary import AlertState, check_alert_transition

ESCALATION_SOURCE = "KITCHEN_AI_ALERT"


def log_move(
    session: AsyncSession,
    row: KitchenAlertRow,
    source: AlertState | None,
    target: AlertState,
    *,
    actor: str,
    at: dt.datetime,
    reason: str | None,
) -> None:
    row.state = target.value
    row.updated_at = at
    session.add(
        AlertTransitionRow(
            alert_id=row.id,
            from_state=source.value if source else None,
            to_state=target.value,
            actor=actor,
            at=at,
            reason=reason,
        )
    )
    note_move(session, AlertChange(row.id, target.value, row.district_code, row.station_code, row.uscc))


def move(
    session: AsyncSession,
    row: KitchenAlertRow,
    target: AlertState,
    *,
    actor: str,
    at: dt.datetime,
    reason: str | None,
    action: str,
) -> None:
    """Move along an edge of the §7.2 machine (``ILLEGAL_TRANSITION`` otherwise) and log it."""
    source = AlertState(row.state)
    check_alert_transition(source, target, action=action)
    log_move(session, row, source, target, actor=actor, at=at, reason=reason)


async def get_alert(session: AsyncSession, alert_id: str) -> KitchenAlertRow:
    return await lock_for_change(session, KitchenAlertRow, alert_id, "kitchen alert")


async def start_review(
    session: AsyncSession, services: DetectionServices, alert_id: str, *, actor: str
) -> KitchenAlertRow:
    row = await get_alert(session, alert_id)
    move(session, row, AlertState.IN_REVIEW, actor=actor, at=services.now(), reason=None, action="start a review")
    return row


async def decide_review(
    session: AsyncSession, services: DetectionServices, alert_id: str, *, confirm: bool, note: str, actor: str
) -> KitchenAlertRow:
    """CONFIRMED (the frame's hash sealed as evidence, 固证) or REJECTED (a false positive, kept as a hard negative)."""
    row = await get_alert(session, alert_id)
    at = services.now()
    target = AlertState.CONFIRMED if confirm else AlertState.REJECTED
    move(session, row, target, actor=actor, at=at, reason=note or None, action="decide the review")
    row.reviewed_by, row.review_note = actor, note or None
    if confirm:
        row.evidence_sha256, row.sealed_at = row.frame_sha256, at
    return row


async def issue_notice(
    session: AsyncSession, services: DetectionServices, alert_id: str, *, rectify_by: dt.date, note: str, actor: str
) -> KitchenAlertRow:
    """告知书: the operator must rectify by ``rectify_by`` (inclusive); after it the alert escalates."""
    row = await get_alert(session, alert_id)
    check_alert_transition(AlertState(row.state), AlertState.NOTICE_ISSUED, action="issue a rectification notice")
    today = services.today()
    if rectify_by <= today:
        raise ClientError(
            f"the deadline {rectify_by.isoformat()} must be after today ({today.isoformat()})",
            code=DetectionCode.DEADLINE_IN_PAST,
        )
    row.rectify_by = rectify_by
    move(
        session,
        row,
        AlertState.NOTICE_ISSUED,
        actor=actor,
        at=services.now(),
        reason=note or None,
        action="issue a rectification notice",
    )
    return row


async def submit_rectification(
    session: AsyncSession,
    services: DetectionServices,
    alert_id: str,
    *,
    statement: str,
    photos: list[dict[str, str]],
    actor: str,
) -> KitchenAlertRow:
    """The operator's report (整改报告): a statement and at least one photo, each with its sha256."""
    row = await get_alert(session, alert_id)
    check_alert_transition(AlertState(row.state), AlertState.RECTIFICATION_SUBMITTED, action="submit a rectification")
    if not photos:
        raise ClientError("a rectification needs at least one photo", code=DetectionCode.PHOTOS_REQUIRED)
    for photo in photos:
        digest = photo["sha256"]
        if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            raise ClientError(
                f"photo {photo['ref']!r}: sha256 must be 64 lower-case hex digits",
                code=DetectionCode.INVALID_FRAME_HASH,
            )
    at = services.now()
    row.rectification = {"statement": statement, "photos": photos, "submittedAt": at.isoformat(), "by": actor}
    move(
        session,
        row,
        AlertState.RECTIFICATION_SUBMITTED,
        actor=actor,
        at=at,
        reason=None,
        action="submit a rectification",
    )
    return row


async def verify_rectification(
    session: AsyncSession, services: DetectionServices, alert_id: str, *, passed: bool, note: str, actor: str
) -> KitchenAlertRow:
    """CLOSED when the re-check (online or 现场复核) finds it rectified; ESCALATED otherwise."""
    row = await get_alert(session, alert_id)
    at = services.now()
    if passed:
        move(session, row, AlertState.CLOSED, actor=actor, at=at, reason=note or None, action="close the alert")
        row.verification_note = note or None
        return row
    row.verification_note = note or None
    await escalate(
        session, services, row, reason=f"rectification failed verification: {note}".rstrip(": "), actor=actor
    )
    return row


async def escalate(
    session: AsyncSession, services: DetectionServices, row: KitchenAlertRow, *, reason: str, actor: str = SYSTEM_ACTOR
) -> None:
    """ESCALATED, and supervision asked (through the outbox, in this transaction) for one inspection task."""
    at = services.now()
    move(session, row, AlertState.ESCALATED, actor=actor, at=at, reason=reason, action="escalate the alert")
    row.escalation_reason = reason
    await emit(
        session,
        TASK_REQUESTED,
        f"KitchenAlert:{row.id}",
        TaskRequested(
            idempotency_key=f"detection:kitchen-alert:{row.id}",
            source=ESCALATION_SOURCE,
            uscc=row.uscc,
            reason=f"明厨亮灶 {row.category} alert escalated: {reason}",
            reference=f"KitchenAlert:{row.id}",
            district_code=row.district_code,
            station_code=row.station_code,
            requested_by=actor,
            requested_on=services.today(at),
        ),
        at,
    )

"""Scheduled work of the permits subgraph; each job is idempotent and runs in one transaction.

The hub runs them in process or as arq jobs; they take the database and the component's services.
"""

from __future__ import annotations

from sqlalchemy import insert, literal, select, update

from kernel.db import Database
from kernel.timestamps import UtcDateTime
from subgraphs.common.component import Job
from subgraphs.permits.applications import accept_application
from subgraphs.permits.models import PermitApplicationRow, PermitRow, PermitStatusChangeRow
from subgraphs.permits.services import SYSTEM_ACTOR, PermitServices
from subgraphs.permits.vocabulary import PermitStatus
from subgraphs.permits.workflow import ApplicationState

EXPIRY_REASON = "validity period ended"


async def expire_permits(database: Database, services: PermitServices) -> int:
    """Mark VALID or SUSPENDED permits whose last valid day is before today EXPIRED, logged; returns how many.

    Running it again the same day changes nothing (DOMAIN.md §11.1: ``valid_to ≥ today`` for VALID).
    """
    stamp = services.now()
    today = services.today(stamp)
    lapsed = (
        PermitRow.status.in_([PermitStatus.VALID.value, PermitStatus.SUSPENDED.value]),
        PermitRow.valid_to < today,
    )
    async with database.transaction() as session:
        await session.execute(
            insert(PermitStatusChangeRow).from_select(
                ["permit_id", "from_status", "to_status", "actor", "at", "reason"],
                select(
                    PermitRow.id,
                    PermitRow.status,
                    literal(PermitStatus.EXPIRED.value),
                    literal(SYSTEM_ACTOR),
                    literal(stamp, UtcDateTime()),
                    literal(EXPIRY_REASON),
                ).where(*lapsed),
            )
        )
        result = await session.execute(
            update(PermitRow)
            .where(*lapsed)
            .values(status=PermitStatus.EXPIRED.value, status_reason=EXPIRY_REASON, updated_at=stamp)
            .execution_options(synchronize_session=False)
        )
        return int(getattr(result, "rowcount", 0) or 0)


async def deem_accepted(database: Database, services: PermitServices) -> int:
    """Accept, as of their receipt, submitted applications nobody asked materials for in time (行政许可法 Art. 32)."""
    today = services.today()
    async with database.transaction() as session:
        overdue = (
            await session.scalars(
                select(PermitApplicationRow.id).where(
                    PermitApplicationRow.state == ApplicationState.SUBMITTED.value,
                    PermitApplicationRow.materials_due_on < today,
                )
            )
        ).all()
        for application_id in overdue:
            await accept_application(session, services, application_id, actor=SYSTEM_ACTOR)
        return len(overdue)


JOBS: tuple[Job[PermitServices], ...] = (
    Job("permits.expire_permits", expire_permits),
    Job("permits.deem_accepted", deem_accepted),
)

"""Scheduled work of the permits subgraph; each job is idempotent and runs in one transaction.

The hub runs them in process or as arq jobs; they take the database and the component's services.
"""

from __future__ import annotations

from sqlalchemy import select, update

from kernel.db import Database, write_transactions
from subgraphs.common.component import Job
from subgraphs.permits.applications import accept_application
from subgraphs.permits.deadlines import RenewalTiming
from subgraphs.permits.decisions import settle_renewal_at_expiry
from subgraphs.permits.models import PermitApplicationRow, PermitRow, PermitStatusChangeRow
from subgraphs.permits.services import SYSTEM_ACTOR, PermitServices
from subgraphs.permits.vocabulary import IN_FORCE, ApplicationAction, PermitStatus
from subgraphs.permits.workflow import FINAL_STATES, ApplicationState

EXPIRY_REASON = "validity period ended"


async def expire_permits(database: Database, services: PermitServices) -> int:
    """End permits in force whose last valid day is before today, logged; returns how many expired.

    First a renewal applied for in time settles (行政许可法 Art. 50, :func:`settle_renewal_at_expiry`): undecided, it
    is deemed granted and the permit runs on as DEEMED_RENEWED; approved, it is certified. Every other lapsed permit
    becomes EXPIRED. Running it again the same day changes nothing (DOMAIN.md §11.1: ``valid_to ≥ today`` in force).
    """
    stamp = services.now()
    today = services.today(stamp)
    lapsed = (
        PermitRow.status.in_([status.value for status in IN_FORCE]),
        PermitRow.valid_to.is_not(None),  # a filing (备案) has no validity period and never expires
        PermitRow.valid_to < today,
    )
    async with database.transaction() as session:
        write_transactions(session)  # SQLite: queue behind an officer's decision instead of reading past it
        renewals = await session.scalars(
            select(PermitApplicationRow.id)
            .join(PermitRow, PermitRow.id == PermitApplicationRow.permit_id)
            .where(
                *lapsed,
                PermitApplicationRow.action == ApplicationAction.RENEW.value,
                PermitApplicationRow.renewal_timing == RenewalTiming.ON_TIME.value,
                PermitApplicationRow.state.not_in([state.value for state in FINAL_STATES]),
            )
            .order_by(PermitApplicationRow.id)
        )
        for application_id in renewals.all():
            await settle_renewal_at_expiry(session, services, application_id, today=today)
    async with database.transaction() as session:
        write_transactions(session)
        ending = (
            await session.execute(
                select(PermitRow.id, PermitRow.status).where(*lapsed).order_by(PermitRow.id).with_for_update()
            )
        ).all()
        if not ending:
            return 0
        session.add_all(
            PermitStatusChangeRow(
                permit_id=permit_id,
                from_status=status,
                to_status=PermitStatus.EXPIRED.value,
                actor=SYSTEM_ACTOR,
                at=stamp,
                reason=EXPIRY_REASON,
            )
            for permit_id, status in ending
        )
        await session.execute(
            update(PermitRow)
            .where(PermitRow.id.in_([permit_id for permit_id, _ in ending]))
            .values(status=PermitStatus.EXPIRED.value, status_reason=EXPIRY_REASON, updated_at=stamp)
            .execution_options(synchronize_session=False)
        )
        return len(ending)


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

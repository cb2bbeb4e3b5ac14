"""Scheduled work of the entities subgraph; each job is idempotent and runs in one transaction.

The hub runs them in process or as arq jobs; they take the database and the component's services.
"""

from __future__ import annotations

from kernel.db import Database, write_transactions
from subgraphs.common.component import Job
from subgraphs.entities.credit_lists import escalate_abnormal_listings, notify_coming_escalations
from subgraphs.entities.services import EntityServices
from subgraphs.entities.suspension import advance_suspensions


async def move_long_abnormal_to_serious(database: Database, services: EntityServices) -> int:
    """Abnormal for 3 years → serious list (企业信息公示暂行条例 Art. 17), each told beforehand; returns how many
    moved. The notices of a run are committed with it; the entities they name move on a later day."""
    async with database.transaction() as session:
        await notify_coming_escalations(session, services.today(), services.now())
        return await escalate_abnormal_listings(session, services.today())


async def start_and_end_suspensions(database: Database, services: EntityServices) -> int:
    """Filed 歇业 starts on its day and ends after its last (实施细则 Art. 41–42); returns how many entities changed."""
    async with database.transaction() as session:
        write_transactions(session)
        return await advance_suspensions(session, services.today())


JOBS: tuple[Job[EntityServices], ...] = (
    Job("entities.move_long_abnormal_to_serious", move_long_abnormal_to_serious),
    Job("entities.start_and_end_suspensions", start_and_end_suspensions),
)

"""Scheduled work of the entities subgraph; each job is idempotent and runs in one transaction.

The hub runs them in process or as arq jobs; they take the database and the component's services.
"""

from __future__ import annotations

from kernel.db import Database
from subgraphs.common.component import Job
from subgraphs.entities.credit_lists import escalate_abnormal_listings
from subgraphs.entities.services import EntityServices


async def move_long_abnormal_to_serious(database: Database, services: EntityServices) -> int:
    """Abnormal for 3 years → serious list (企业信息公示暂行条例 Art. 17); returns how many moved."""
    async with database.transaction() as session:
        return await escalate_abnormal_listings(session, services.today())


JOBS: tuple[Job[EntityServices], ...] = (Job("entities.move_long_abnormal_to_serious", move_long_abnormal_to_serious),)

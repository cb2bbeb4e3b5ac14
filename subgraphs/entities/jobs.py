"""Scheduled work of the entities subgraph; each job is idempotent and runs in one transaction.

The hub runs them in process or as arq jobs; they take the database and the legal date, nothing else.
"""

from __future__ import annotations

import datetime as dt

from subgraphs.common.db import Database
from subgraphs.entities.credit_lists import escalate_abnormal_listings


async def move_long_abnormal_to_serious(database: Database, *, today: dt.date) -> int:
    """Abnormal for 3 years → serious list (企业信息公示暂行条例 Art. 17); returns how many moved."""
    async with database.transaction() as session:
        return await escalate_abnormal_listings(session, today)

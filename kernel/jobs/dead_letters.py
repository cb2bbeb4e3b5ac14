"""Dead letters: jobs and event deliveries that failed for good, kept with their error until an operator replays
or discards them (``zhijian jobs list|replay|discard``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from kernel.db import Database
from kernel.errors import InvalidTransitionError, NotFoundError
from kernel.jobs.retry import JobCode
from kernel.jobs.tables import dead_letters


class LetterState(StrEnum):
    OPEN = "OPEN"
    REPLAYED = "REPLAYED"
    DISCARDED = "DISCARDED"


@dataclass(frozen=True, slots=True)
class DeadLetter:
    id: int
    job: str
    job_id: str
    ids: Mapping[str, str]
    queue: str
    attempts: int
    error_code: str
    error: str
    failed_at: dt.datetime
    state: LetterState
    settled_at: dt.datetime | None = None
    settled_by: str | None = None

    @property
    def replay_id(self) -> str:
        """The job id of this letter's replay: one per letter, so a replay requested twice runs once."""
        return f"{self.job_id}#replay-{self.id}"


def _letter(row: Any) -> DeadLetter:
    return DeadLetter(
        **{name: getattr(row, name) for name in ("id", "job", "job_id", "queue", "attempts", "error_code", "error")},
        ids=dict(row.ids),
        failed_at=row.failed_at,
        state=LetterState(row.state),
        settled_at=row.settled_at,
        settled_by=row.settled_by,
    )


async def record(
    session: AsyncSession,
    *,
    job: str,
    job_id: str,
    ids: Mapping[str, str],
    queue: str,
    attempts: int,
    error_code: str,
    error: str,
    at: dt.datetime,
) -> int:
    """Keep a failed job; returns the letter's id."""
    result = await session.execute(
        insert(dead_letters)
        .values(
            job=job,
            job_id=job_id,
            ids=dict(ids),
            queue=queue,
            attempts=attempts,
            error_code=error_code,
            error=error[:4000],
            failed_at=at,
            state=LetterState.OPEN.value,
        )
        .returning(dead_letters.c.id)
    )
    return int(result.scalar_one())


async def letters(
    database: Database, state: LetterState | None = LetterState.OPEN, limit: int = 100
) -> list[DeadLetter]:
    """Dead letters in ``state`` (all when None), oldest first."""
    statement = select(dead_letters).order_by(dead_letters.c.id).limit(limit)
    if state is not None:
        statement = statement.where(dead_letters.c.state == state.value)
    async with database.transaction() as session:
        return [_letter(row) for row in (await session.execute(statement)).all()]


async def settle(session: AsyncSession, letter_id: int, to: LetterState, by: str, at: dt.datetime) -> DeadLetter:
    """Move an open letter to REPLAYED or DISCARDED in ``session``'s transaction; exactly one of two racing
    operators succeeds, the other is told it is no longer open."""
    result = await session.execute(
        update(dead_letters)
        .where(dead_letters.c.id == letter_id, dead_letters.c.state == LetterState.OPEN.value)
        .values(state=to.value, settled_at=at, settled_by=by)
        .returning(*dead_letters.c)
    )
    row = result.first()
    if row is not None:
        return _letter(row)
    state = await session.scalar(select(dead_letters.c.state).where(dead_letters.c.id == letter_id))
    if state is None:
        raise NotFoundError(f"no dead letter {letter_id}")
    raise InvalidTransitionError(f"dead letter {letter_id} is {state}, not OPEN", code=JobCode.NOT_OPEN)

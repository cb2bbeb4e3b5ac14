"""Bulk imports from legacy systems: many records in one mutation, each applied or refused on its own.

A legacy adapter sends a batch (up to :data:`MAX_BATCH`); each record runs in a SAVEPOINT of the request's
transaction, so a refused record leaves nothing behind while the others are kept, and each gets an
:class:`ImportOutcome` naming the caller's reference: APPLIED, DUPLICATE (the record is already here — a resent
batch changes nothing) or REJECTED with the code, message and field. Jurisdiction holds per record exactly as for
the single mutations (the request session reads and writes only the caller's rows).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from enum import Enum
from typing import TypeVar

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from kernel.db import concurrency_error
from kernel.errors import ClientError, ErrorCode, ZhijianError

MAX_BATCH = 500
"""Records per bulk mutation: large enough for throughput, small enough for one short transaction."""

ItemT = TypeVar("ItemT")


@strawberry.enum(description="What became of one record of a bulk import.")
class ImportStatus(Enum):
    APPLIED = "APPLIED"
    DUPLICATE = "DUPLICATE"
    REJECTED = "REJECTED"


@strawberry.federation.type(shareable=True, description="One record's outcome; ``ref`` is the caller's reference.")
class ImportOutcome:
    ref: str
    status: ImportStatus
    code: str | None = None
    message: str | None = None
    field: str | None = strawberry.field(default=None, description="The input field at fault, where one is.")


async def import_each(
    session: AsyncSession,
    items: Sequence[ItemT],
    ref: Callable[[ItemT], str],
    apply: Callable[[ItemT], Awaitable[object]],
    duplicate: frozenset[ErrorCode],
) -> list[ImportOutcome]:
    """Apply each item in its own SAVEPOINT; a refusal with a code in ``duplicate`` means it is already here."""
    if len(items) > MAX_BATCH:
        raise ClientError(f"at most {MAX_BATCH} records per call, not {len(items)}; split the batch")
    outcomes = []
    for item in items:
        try:
            async with session.begin_nested():
                await apply(item)
        except Exception as error:
            refusal = error if isinstance(error, ZhijianError) else concurrency_error(error)
            if refusal is None:
                raise
            status = ImportStatus.DUPLICATE if refusal.code in duplicate else ImportStatus.REJECTED
            field = refusal.details.get("field")
            at = None if field is None else str(field)
            outcomes.append(
                ImportOutcome(ref=ref(item), status=status, code=str(refusal.code), message=refusal.message, field=at)
            )
            continue
        outcomes.append(ImportOutcome(ref=ref(item), status=ImportStatus.APPLIED))
    return outcomes

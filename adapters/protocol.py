"""The one seam every legacy adapter implements, and the records that cross it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from subgraphs.integration.store import Reason


class Outcome(StrEnum):
    APPLIED = "APPLIED"
    DUPLICATE = "DUPLICATE"
    REJECTED = "REJECTED"


@dataclass(frozen=True, slots=True)
class SourceRecord:
    """One legacy record as received: where it is in its source, and its fields as text."""

    ref: str
    """Unique within its batch: ``change 1003``, ``row 17``, ``id 42``."""
    fields: Mapping[str, str]
    broken: Reason | None = None
    """Set when the source could not even be read as text (a broken byte sequence): the record is refused."""


@dataclass(frozen=True, slots=True)
class RecordOutcome:
    ref: str
    outcome: Outcome
    reasons: tuple[Reason, ...] = ()


@dataclass(frozen=True, slots=True)
class SourceBatch:
    """Records read together, and what the adapter does once they were applied."""

    source: str
    """What they came in (a file name, ``registry``, an exchange table): rejection reports are per source."""
    records: Sequence[SourceRecord]
    checkpoint: str | None
    """The source position after this batch, kept in the integration tables (None: the adapter keeps its own)."""
    encoding: str | None = None
    settle: Callable[[Sequence[RecordOutcome]], Awaitable[None]] | None = field(default=None, repr=False)
    """Writes the outcomes back to the source and commits the adapter's claim (the exchange database)."""


class RecordRejected(Exception):
    """A record the mapping refuses, with the reason per field."""

    def __init__(self, reasons: Sequence[Reason]) -> None:
        super().__init__("; ".join(f"{r.field}: {r.message}" for r in reasons))
        self.reasons = tuple(reasons)


class LegacyAdapter(Protocol):
    """A legacy source: batches after a checkpoint, and a pure mapping of each record to a subgraph input."""

    @property
    def name(self) -> str: ...

    @property
    def target(self) -> str:
        """The bulk mutation its records go to (:data:`adapters.targets.TARGETS`)."""
        ...

    def read(self, checkpoint: str | None, size: int) -> AsyncIterator[SourceBatch]:
        """Batches of at most ``size`` records after ``checkpoint``, oldest first, until the source has no more."""
        ...

    def map(self, record: SourceRecord) -> dict[str, Any]:
        """The target input for one record (GraphQL variables, camelCase); ``RecordRejected`` otherwise."""
        ...

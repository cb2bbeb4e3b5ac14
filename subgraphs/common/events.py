"""The catalogue of cross-domain events (一键转办 and the like): the one place a producer and its consumers meet.

Each event type is declared here, once, as plain data — a name ``<producer>.<what happened>`` and a frozen payload
dataclass of JSON-able fields — so the producing subgraph emits it and a consuming subgraph handles it without
either importing the other. How to emit and consume: ``subgraphs/README.md``, "Events and jobs".

Declare one like this::

    @dataclass(frozen=True, slots=True)
    class InspectionFailed:
        uscc: str
        inspection_id: int
        failed_on: dt.date

    INSPECTION_FAILED = EventType("supervision.inspection_failed", InspectionFailed)
"""

from __future__ import annotations

from typing import Any

from kernel.jobs.events import EventType

CATALOGUE: tuple[EventType[Any], ...] = ()
"""Every event type; names are unique (a test checks)."""

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

import datetime as dt
from dataclasses import dataclass
from typing import Any

from kernel.jobs.events import EventType


@dataclass(frozen=True, slots=True)
class InspectionItemFailed:
    """一键转办: an inspection item found 不符合 and handed to enforcement as a lead (a case in 受理)."""

    transfer_id: str
    """The transfer's own id: a retried or repeated transfer carries the same id, so one lead results."""
    uscc: str
    inspection_id: str
    item_code: str
    finding: str
    inspected_on: dt.date
    district_code: str | None
    station_code: str | None
    transferred_by: str


INSPECTION_ITEM_FAILED = EventType("supervision.inspection_item_failed", InspectionItemFailed)


@dataclass(frozen=True, slots=True)
class EntityDeregistered:
    """A market entity was deregistered (注销) at the registry; what it held lapses with it."""

    uscc: str
    deregistered_on: dt.date


ENTITY_DEREGISTERED = EventType("entities.entity_deregistered", EntityDeregistered)
"""Emitted by entities (registry sync); permits cancels the holder's permits."""


CATALOGUE: tuple[EventType[Any], ...] = (INSPECTION_ITEM_FAILED, ENTITY_DEREGISTERED)
"""Every event type; names are unique (a test checks)."""

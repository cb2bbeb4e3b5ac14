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


@dataclass(frozen=True, slots=True)
class PartyNotified:
    """A credit-list decision told to its party (告知): listed, a serious listing coming, removed. A notification
    service delivers it; ``act_by`` is the last day the party may act (object), or the day the listing takes effect."""

    uscc: str
    notice: str
    """``ABNORMAL_LISTED``, ``SERIOUS_LISTING_COMING`` or ``ABNORMAL_REMOVED``."""
    listing_id: int
    decided_on: dt.date
    act_by: dt.date | None
    basis: str


PARTY_NOTIFIED = EventType("entities.party_notified", PartyNotified)
"""Emitted by entities when it lists, removes, or is about to escalate an abnormal listing."""


@dataclass(frozen=True, slots=True)
class PermitsNotified:
    """双告知: a registered entity's scope needs these permits or filings; the permit authority is told (DOMAIN.md
    §2.5). Emitted once per registration, with the registration."""

    uscc: str
    name: str
    permits: tuple[str, ...]
    """Permit kinds of the permits subgraph: ``JY``, ``SC``, ``PREPACK_FILING``."""
    scope_items: tuple[str, ...]
    district_code: str
    station_code: str | None
    registered_on: dt.date


PERMITS_NOTIFIED = EventType("entities.permits_notified", PermitsNotified)
"""Emitted by entities at registration (双告知); for the permits side to follow up."""


@dataclass(frozen=True, slots=True)
class TaskRequested:
    """Another domain asks supervision to open an inspection task (the task core, DOMAIN.md §4): a failed sample,
    an escalated kitchen AI alert, a complaint, a risk warning. Supervision opens exactly one task per
    ``idempotency_key``, whatever the number of deliveries or repeats."""

    idempotency_key: str
    """The producer's own id of the request (e.g. ``detection:sample:<id>``): a retry or duplicate carries the same
    key, so one task results; a different key for the same entity opens another task."""
    source: str
    """Why: ``COMPLAINT``, ``KITCHEN_AI_ALERT``, ``FAILED_SAMPLE``, ``RISK_WARNING`` or ``SPECIAL_CAMPAIGN`` (the
    task sources of ``schema/supervision.graphql`` ``TaskSource`` that other domains may raise)."""
    uscc: str
    reason: str
    """What the inspectors are to look at, shown on the task (no personal data)."""
    reference: str
    """The producer's record the task follows up (``Sample:<id>``, ``KitchenAlert:<id>``), shown as the link."""
    district_code: str | None
    """Supervising district bureau of the entity's premises, as the producer's own record holds it."""
    station_code: str | None = None
    """Supervising station; None: the district bureau assigns one."""
    requested_by: str = "SYSTEM"
    requested_on: dt.date | None = None


TASK_REQUESTED = EventType("task.requested", TaskRequested)
"""Emitted by any domain that needs an inspection (detection: failed samples, escalated kitchen alerts);
consumed by supervision (``supervision.open_requested_task``)."""


CATALOGUE: tuple[EventType[Any], ...] = (
    INSPECTION_ITEM_FAILED,
    ENTITY_DEREGISTERED,
    PARTY_NOTIFIED,
    PERMITS_NOTIFIED,
    TASK_REQUESTED,
)
"""Every event type; names are unique (a test checks)."""

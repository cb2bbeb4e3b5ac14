"""What the registry says about an applicant, fetched through the ``EntityRegistry`` seam (DOMAIN.md §2.5, §3.7).

The permits subgraph never reads entity tables. Automatic approval asks an ``EntityRegistry`` for a
``RegistryFacts`` snapshot and stores that snapshot with the decision. Two implementations: the entities
subgraph over GraphQL (:mod:`subgraphs.permits.registry_graphql`) and an in-memory table (demo, tests).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from typing import Any, Protocol

from kernel.errors import InternalError
from subgraphs.permits.errors import PermitsCode


@dataclass(frozen=True, slots=True)
class RegistryFacts:
    """One snapshot of an entity's registration and credit facts, as the registry answered at ``fetched_at``."""

    uscc: str
    found: bool
    source: str
    fetched_at: dt.datetime
    name: str | None = None
    status: str | None = None
    """§2.2 vocabulary: EXISTING, SUSPENDED, REVOKED_NOT_DEREGISTERED, DEREGISTERED, CANCELLED, MOVED_OUT."""
    legal_representative: str | None = None
    abnormal_listed: bool = False
    """经营异常名录 (§2.3)."""
    serious_listed: bool = False
    """严重违法失信名单 (§2.4)."""
    food_penalty_publicity: bool | None = False
    """Unexpired food-safety penalty publicity (45号令, §5.4); None when the source cannot say."""
    food_permit_ban: bool = False
    """Food Safety Law Art. 135 on the person running the entity: barred for 5 years after a revocation (¶1) or for
    life after a food-safety crime sentence (¶2), as the registry says today."""
    food_safety_bans: tuple[str, ...] = ()
    """Each such ban as a person can read it (kind, decision, last day, basis)."""

    def as_snapshot(self) -> dict[str, Any]:
        """JSON-ready record of exactly what the decision saw."""
        data = asdict(self)
        data["fetched_at"] = self.fetched_at.isoformat()
        return data


class RegistryUnavailable(InternalError):
    """The registry could not be asked; nothing was decided."""

    code = PermitsCode.REGISTRY_UNAVAILABLE


class EntityRegistry(Protocol):
    """Where registration facts come from; the auto-approval step depends only on this."""

    async def facts(self, uscc: str, *, at: dt.datetime) -> RegistryFacts:
        """The registry's current facts about ``uscc`` (``found=False`` when it has none)."""
        ...


class InMemoryEntityRegistry:
    """A registry held in memory: the demo's registry and the tests' — real behaviour, no network."""

    source = "in-memory"

    def __init__(self, entries: Iterable[RegistryFacts] = ()) -> None:
        self._entries: dict[str, RegistryFacts] = {entry.uscc: entry for entry in entries}

    def put(self, facts: RegistryFacts) -> None:
        self._entries[facts.uscc] = facts

    async def facts(self, uscc: str, *, at: dt.datetime) -> RegistryFacts:
        entry = self._entries.get(uscc)
        if entry is None:
            return RegistryFacts(uscc=uscc, found=False, source=self.source, fetched_at=at)
        return replace(entry, found=True, source=self.source, fetched_at=at)


class UnreachableRegistry:
    """No registry is wired (a subgraph served without a gateway to ask): every question is unanswerable."""

    source = "none"

    async def facts(self, uscc: str, *, at: dt.datetime) -> RegistryFacts:
        raise RegistryUnavailable("no registry is configured for this permits subgraph; nothing was decided")

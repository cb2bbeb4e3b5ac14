"""Where adapters write: the subgraphs' bulk import mutations (one record each in a savepoint, an outcome each)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

OUTCOME = "{ ref status code message field }"


@dataclass(frozen=True, slots=True)
class Target:
    """One bulk mutation: its document (variable ``$items``), its field, and how a record becomes an element."""

    name: str
    document: str
    field: str
    element: Callable[[str, Mapping[str, Any]], dict[str, Any]]


REGISTRY_CHANGES = Target(
    "registry_changes",
    f"mutation($items: [RegistryChangeInput!]!) {{ recordRegistryChanges(changes: $items) {OUTCOME} }}",
    "recordRegistryChanges",
    lambda ref, item: {"ref": ref, **item},
)
"""entities: the registry's acts (设立/变更/注销)."""

ABNORMAL_LISTINGS = Target(
    "abnormal_listings",
    f"mutation($items: [AbnormalListingImport!]!) {{ importAbnormalListings(listings: $items) {OUTCOME} }}",
    "importAbnormalListings",
    lambda ref, item: {"ref": ref, "listing": dict(item)},
)
"""entities: abnormal-list decisions (经营异常名录)."""

PERMITS = Target(
    "permits",
    f"mutation($items: [PermitImport!]!) {{ recordPermits(permits: $items) {OUTCOME} }}",
    "recordPermits",
    lambda ref, item: {"ref": ref, "permit": dict(item)},
)
"""permits: legacy permits (食品经营/生产许可) as issued."""

TARGETS: Mapping[str, Target] = {target.name: target for target in (REGISTRY_CHANGES, ABNORMAL_LISTINGS, PERMITS)}

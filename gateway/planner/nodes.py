"""Query plans as immutable data: fetch nodes in dependency order."""

from __future__ import annotations

from dataclasses import dataclass

from gateway.supergraph.records import SubgraphName

TYPE_SEGMENT = "|"
"""A merge-path segment starting with this names the object types it keeps (`|Book|Magazine`): the path
continues only through objects whose `__typename` is listed, as a type condition does in the operation."""


def type_segment(types: tuple[str, ...]) -> str:
    """The path segment keeping objects of `types`."""
    return TYPE_SEGMENT + TYPE_SEGMENT.join(types)


def segment_types(segment: str) -> frozenset[str] | None:
    """The types a type segment keeps; None for a field or list segment."""
    return frozenset(segment[1:].split(TYPE_SEGMENT)) if segment.startswith(TYPE_SEGMENT) else None


@dataclass(frozen=True, slots=True)
class RepresentationField:
    """Copy merged-data key `source_key` into a representation as `name` (recursively for objects)."""

    source_key: str
    name: str
    selections: tuple[RepresentationField, ...] = ()
    type_condition: str | None = None
    """The fragment condition this field sits under in the field set (`... on X`), for display."""
    applies_to: tuple[str, ...] | None = None
    """Copy only from objects whose `__typename` is listed (the condition's possible types)."""


@dataclass(frozen=True, slots=True)
class EntityCall:
    """How a `_entities` fetch picks objects at its path and builds their representations."""

    typename: str
    """The representation's `__typename` (the entity, or an interface for `@interfaceObject`)."""
    type_filter: tuple[str, ...] | None
    """Only objects whose `__typename` is listed; None takes every object at the path."""
    key: tuple[RepresentationField, ...]
    """Key fields: an object lacking one (or holding null) is not sent."""
    requires: tuple[RepresentationField, ...]


@dataclass(frozen=True, slots=True)
class Rename:
    """After a fetch, rename `alias` to `key` on objects of `typename` found at `path` in its result."""

    path: tuple[str, ...]
    typename: str | None
    """Only on objects of this type (the alias sits in a fragment on it); None: wherever the alias is."""
    alias: str
    key: str


@dataclass(frozen=True, slots=True)
class FetchNode:
    """One request to one subgraph, run once its dependencies are merged."""

    id: int
    subgraph: SubgraphName
    operation: str
    variables: tuple[str, ...]
    """Client variables the operation forwards."""
    path: tuple[str, ...]
    """Where results merge: response keys, `@` for each list level, type segments (`|Book`) below a type
    condition; empty for root fetches."""
    entity: EntityCall | None
    depends_on: tuple[int, ...]
    renames: tuple[Rename, ...] = ()
    """Aliases the planner added to keep sibling fragments valid; undone before merging."""
    more_paths: tuple[tuple[str, ...], ...] = ()
    """Further positions served by the same `_entities` call (fetches batched across paths)."""
    response_keys: tuple[str, ...] = ()
    """Root fetches: the root fields' response keys (where an error without a path belongs)."""

    @property
    def paths(self) -> tuple[tuple[str, ...], ...]:
        """Every position this fetch merges into."""
        return (self.path, *self.more_paths)


@dataclass(frozen=True, slots=True)
class QueryPlan:
    """All fetches of an operation; `fetches` is topologically ordered."""

    kind: str
    fetches: tuple[FetchNode, ...]

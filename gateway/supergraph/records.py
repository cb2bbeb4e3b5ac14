"""Parsed supergraph records: which subgraph owns which type, field, key, member and value."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NewType

SubgraphName = NewType("SubgraphName", str)
"""A subgraph's name as written in `@join__graph(name:)`, e.g. `accounts`."""


@dataclass(frozen=True, slots=True)
class SubgraphRecord:
    """One `join__Graph` enum value: a subgraph and where it listens."""

    enum_value: str
    name: SubgraphName
    url: str


@dataclass(frozen=True, slots=True)
class KeyRecord:
    """One `@join__type(key:)` of a type in one subgraph."""

    fields: str
    resolvable: bool


@dataclass(frozen=True, slots=True)
class TypeInSubgraph:
    """A `@join__type` application: the type exists in `subgraph`."""

    subgraph: SubgraphName
    keys: tuple[KeyRecord, ...]
    extension: bool
    is_interface_object: bool


@dataclass(frozen=True, slots=True)
class FieldInSubgraph:
    """A `@join__field` application: how `subgraph` sees the field."""

    subgraph: SubgraphName
    requires: str | None
    provides: str | None
    type: str | None
    external: bool
    override: str | None
    override_label: str | None
    used_overridden: bool


@dataclass(frozen=True, slots=True)
class AccessRecord:
    """`@authenticated`, `@requiresScopes` and `@policy` on a type or field (enforced by identity later)."""

    authenticated: bool = False
    scopes: tuple[tuple[str, ...], ...] = ()
    policies: tuple[tuple[str, ...], ...] = ()

    @property
    def restricts(self) -> bool:
        """Whether any directive applies (an anonymous caller passes only a rule that does not restrict)."""
        return self.authenticated or bool(self.scopes) or bool(self.policies)


NO_ACCESS_RULES = AccessRecord()


@dataclass(frozen=True, slots=True)
class FieldRecord:
    """A field of a composite type and the subgraphs that define it."""

    name: str
    type_name: str
    return_type: str
    """The supergraph's type reference, e.g. `[Product!]!`."""
    subgraphs: tuple[FieldInSubgraph, ...]
    """Empty when the field has no `@join__field`: then it lives wherever its type does."""
    joined: bool
    """True when the field carries any `@join__field` (a bare one means no subgraph resolves it)."""
    inaccessible: bool
    access: AccessRecord


@dataclass(frozen=True, slots=True)
class TypeRecord:
    """A named type of the supergraph with its ownership information."""

    name: str
    kind: str
    """One of OBJECT, INTERFACE, UNION, ENUM, INPUT_OBJECT, SCALAR."""
    subgraphs: tuple[TypeInSubgraph, ...]
    fields: tuple[FieldRecord, ...]
    implements: tuple[tuple[SubgraphName, str], ...]
    """(subgraph, interface) pairs from `@join__implements`."""
    union_members: tuple[tuple[SubgraphName, str], ...]
    """(subgraph, member) pairs from `@join__unionMember`."""
    enum_values: tuple[tuple[str, tuple[SubgraphName, ...]], ...]
    inaccessible: bool
    access: AccessRecord

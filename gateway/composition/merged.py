"""The merged supergraph as plain records, ready for the printer (directives already printed, in order)."""

from __future__ import annotations

from dataclasses import dataclass

from gateway.composition.subgraph import Kind


@dataclass(frozen=True, slots=True)
class MergedInputValue:
    """A merged argument or input field."""

    name: str
    type: str
    default: str | None = None
    description: str | None = None
    directives: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class MergedField:
    """A merged object or interface field."""

    name: str
    type: str
    args: tuple[MergedInputValue, ...] = ()
    description: str | None = None
    directives: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class MergedEnumValue:
    """A merged enum value."""

    name: str
    description: str | None = None
    directives: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class MergedType:
    """A merged named type."""

    kind: Kind
    name: str
    description: str | None = None
    interfaces: tuple[str, ...] = ()
    directives: tuple[str, ...] = ()
    fields: tuple[MergedField, ...] = ()
    input_fields: tuple[MergedInputValue, ...] = ()
    members: tuple[str, ...] = ()
    values: tuple[MergedEnumValue, ...] = ()


@dataclass(frozen=True, slots=True)
class Supergraph:
    """Everything the printer needs: schema links, roots, directive definitions and fixed types (printed), types."""

    links: tuple[str, ...]
    roots: tuple[tuple[str, str], ...]
    directive_defs: tuple[tuple[str, str], ...]
    types: tuple[MergedType, ...]
    raw_types: tuple[tuple[str, str], ...] = ()
    description: str | None = None

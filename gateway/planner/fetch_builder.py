"""Mutable builders for the fetches of a plan under construction, and their freezing into `FetchNode`s."""

from __future__ import annotations

from dataclasses import dataclass, field

from graphql import OperationType, ValueNode

from gateway.planner.nodes import EntityCall, FetchNode, Rename
from gateway.planner.text import render_fetch_operation
from gateway.supergraph.records import SubgraphName


class SelectionBuilder:
    """A mutable selection set inside one subgraph operation."""

    __slots__ = ("fields", "fragments", "renames")

    def __init__(self) -> None:
        self.fields: dict[str, FieldBuilder] = {}
        self.fragments: dict[str, SelectionBuilder] = {}
        self.renames: dict[str, str] = {}
        """alias → response key, for fields aliased to avoid a conflict between sibling fragments."""

    def add(self, key: str, name: str, arguments: tuple[tuple[str, ValueNode], ...]) -> FieldBuilder:
        """The field under `key`, created if missing."""
        builder = self.fields.get(key)
        if builder is None:
            builder = FieldBuilder(name, arguments)
            self.fields[key] = builder
        return builder

    def fragment(self, type_name: str) -> SelectionBuilder:
        """The `... on type_name` selection, created if missing."""
        builder = self.fragments.get(type_name)
        if builder is None:
            builder = SelectionBuilder()
            self.fragments[type_name] = builder
        return builder

    def leaf_names(self) -> frozenset[str]:
        """Argument-free fields selected under their own name."""
        return frozenset(k for k, f in self.fields.items() if k == f.name and not f.arguments)


class FieldBuilder:
    """A field inside a `SelectionBuilder`."""

    __slots__ = ("arguments", "composite", "name", "sub")

    def __init__(self, name: str, arguments: tuple[tuple[str, ValueNode], ...]) -> None:
        self.name = name
        self.arguments = arguments
        self.sub = SelectionBuilder()
        self.composite = False


@dataclass(slots=True)
class FetchBuilder:
    """A fetch under construction: one subgraph request at one path."""

    id: int
    subgraph: SubgraphName
    path: tuple[str, ...]
    entity: EntityCall | None
    depends_on: set[int]
    root: SelectionBuilder = field(default_factory=SelectionBuilder)


def freeze_fetch(fetch: FetchBuilder, kind: OperationType, variable_types: dict[str, str]) -> FetchNode:
    """The immutable plan node for a finished fetch."""
    operation, variables = render_fetch_operation(
        fetch.root, fetch.entity, kind if fetch.entity is None else OperationType.QUERY, variable_types
    )
    return FetchNode(
        id=fetch.id,
        subgraph=fetch.subgraph,
        operation=operation,
        variables=variables,
        path=fetch.path,
        entity=fetch.entity,
        depends_on=tuple(sorted(d for d in fetch.depends_on if d != fetch.id)),
        renames=tuple(_renames(fetch.root, ())),
    )


def _renames(sel: SelectionBuilder, path: tuple[str, ...]) -> list[Rename]:
    """Every alias recorded under `sel`, with its position relative to the fetch result."""
    result: list[Rename] = []
    for key, builder in sel.fields.items():
        if builder.composite:
            result.extend(_renames(builder.sub, (*path, key)))
    for type_name, fragment in sel.fragments.items():
        result.extend(Rename(path, type_name, alias, key) for alias, key in fragment.renames.items())
        result.extend(_renames(fragment, path))
    return result

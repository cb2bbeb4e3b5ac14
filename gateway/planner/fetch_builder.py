"""Mutable builders for the fetches of a plan under construction, and their freezing into `FetchNode`s."""

from __future__ import annotations

from dataclasses import dataclass, field

from graphql import OperationType, ValueNode, print_ast

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

    def size(self) -> int:
        """How many fields the selection holds, at every depth (a plan's tie-breaker: less fetched remotely)."""
        own = sum(1 + builder.sub.size() for builder in self.fields.values())
        return own + sum(fragment.size() for fragment in self.fragments.values())

    def fragment(self, type_name: str) -> SelectionBuilder:
        """The `... on type_name` selection, created if missing."""
        builder = self.fragments.get(type_name)
        if builder is None:
            builder = SelectionBuilder()
            self.fragments[type_name] = builder
        return builder

    def copy(self) -> SelectionBuilder:
        """A deep copy (the planner restores one when a trial fails)."""
        twin = SelectionBuilder()
        twin.fields = {k: f.copy() for k, f in self.fields.items()}
        twin.fragments = {k: f.copy() for k, f in self.fragments.items()}
        twin.renames = dict(self.renames)
        return twin

    def is_empty(self) -> bool:
        """Whether nothing is selected (fragments count only when they select something)."""
        return not self.fields and all(f.is_empty() for f in self.fragments.values())

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

    def copy(self) -> FieldBuilder:
        """A deep copy."""
        twin = FieldBuilder(self.name, self.arguments)
        twin.sub = self.sub.copy()
        twin.composite = self.composite
        return twin


@dataclass(slots=True)
class FetchBuilder:
    """A fetch under construction: one subgraph request at one path."""

    id: int
    subgraph: SubgraphName
    path: tuple[str, ...]
    entity: EntityCall | None
    depends_on: set[int]
    root: SelectionBuilder = field(default_factory=SelectionBuilder)

    more_paths: list[tuple[str, ...]] = field(default_factory=list)


def freeze_fetch(
    fetch: FetchBuilder, kind: OperationType, variable_types: dict[str, str], node_id: int, depends_on: set[int]
) -> FetchNode:
    """The immutable plan node for a finished fetch."""
    operation, variables = render_fetch_operation(
        fetch.root, fetch.entity, kind if fetch.entity is None else OperationType.QUERY, variable_types
    )
    return FetchNode(
        id=node_id,
        subgraph=fetch.subgraph,
        operation=operation,
        variables=variables,
        path=fetch.path,
        entity=fetch.entity,
        depends_on=tuple(sorted(depends_on)),
        renames=tuple(_renames(fetch.root, ())),
        more_paths=tuple(fetch.more_paths),
        response_keys=tuple(fetch.root.fields) if fetch.entity is None else (),
    )


def can_merge(a: SelectionBuilder, b: SelectionBuilder) -> bool:
    """Whether two fetches at different paths may share one call: only when they select the same.

    A union of different selections would write one path's extra keys into objects at the other
    path, where a client alias may already use the key for another field.
    """
    if a.fields.keys() != b.fields.keys() or a.fragments.keys() != b.fragments.keys() or a.renames != b.renames:
        return False
    for key, field_a in a.fields.items():
        field_b = b.fields[key]
        if field_a.name != field_b.name or _arguments(field_a) != _arguments(field_b):
            return False
        if not can_merge(field_a.sub, field_b.sub):
            return False
    return all(can_merge(fragment, b.fragments[condition]) for condition, fragment in a.fragments.items())


def merge_into(a: SelectionBuilder, b: SelectionBuilder) -> None:
    """Add everything `b` selects to `a` (check `can_merge` first)."""
    for key, field_b in b.fields.items():
        field_a = a.fields.get(key)
        if field_a is None:
            a.fields[key] = field_b
        else:
            field_a.composite = field_a.composite or field_b.composite
            merge_into(field_a.sub, field_b.sub)
    for condition, fragment_b in b.fragments.items():
        fragment_a = a.fragments.get(condition)
        if fragment_a is None:
            a.fragments[condition] = fragment_b
        else:
            merge_into(fragment_a, fragment_b)
    a.renames.update(b.renames)


def _arguments(builder: FieldBuilder) -> tuple[tuple[str, str], ...]:
    return tuple((name, print_ast(value)) for name, value in builder.arguments)


def _renames(sel: SelectionBuilder, path: tuple[str, ...], type_name: str | None = None) -> list[Rename]:
    """Every alias recorded under `sel`, with its position relative to the fetch result."""
    result = [Rename(path, type_name, alias, key) for alias, key in sel.renames.items()]
    for key, builder in sel.fields.items():
        if builder.composite:
            result.extend(_renames(builder.sub, (*path, key)))
    for condition, fragment in sel.fragments.items():
        result.extend(_renames(fragment, path, condition))
    return result

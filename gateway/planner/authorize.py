"""Remove the fields a caller may not see before planning (Apollo Router's authorization directives).

specs.apollo.dev/authenticated, /requiresScopes, /policy v0.1: a field is visible when its own rule and
its return type's rule allow the caller; queried through an interface, every implementation's rule for
that field counts too; a fragment on a type the caller may not see is dropped. Removed selections are
answered with ``null`` and one ``UNAUTHORIZED_FIELD_OR_TYPE`` error at their path (``@`` stands for list
positions, as in Router). A field whose whole sub-selection is removed goes too. Pure and synchronous.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from gateway.query_graph import Field, InlineFragment, QueryGraph, Selection
from gateway.supergraph.records import AccessRecord

Allowed = Callable[[AccessRecord], bool]
"""Does the request's caller satisfy one rule? (decided by :class:`gateway.auth.AccessPolicy`)."""

LIST_POSITION = "@"


@dataclass(frozen=True, slots=True)
class AuthorizedSelections:
    """The selections the caller may run and the response paths that were removed."""

    selections: tuple[Selection, ...]
    removed: tuple[tuple[str, ...], ...]


class AccessIndex:
    """The access rules of a supergraph by type and field; built once per gateway."""

    def __init__(self, graph: QueryGraph) -> None:
        self.graph = graph
        types = graph.supergraph.types
        self._types: dict[str, AccessRecord] = {t.name: t.access for t in types.values() if t.access.restricts}
        self._fields: dict[tuple[str, str], AccessRecord] = {
            (t.name, f.name): f.access for t in types.values() for f in t.fields if f.access.restricts
        }
        self._field_rules: dict[tuple[str, str], tuple[AccessRecord, ...]] = {}

    @property
    def empty(self) -> bool:
        """True when the supergraph carries no authorization directive at all."""
        return not self._types and not self._fields

    def type_rules(self, type_name: str) -> tuple[AccessRecord, ...]:
        rule = self._types.get(type_name)
        return (rule,) if rule is not None else ()

    def field_rules(self, type_name: str, field_name: str) -> tuple[AccessRecord, ...]:
        """Every rule that must hold to select ``type_name.field_name`` (distinct, in a stable order)."""
        key = (type_name, field_name)
        cached = self._field_rules.get(key)
        if cached is None:
            owners: tuple[str, ...] = (type_name,)
            if self.graph.is_abstract(type_name):
                owners += self.graph.possible_types(type_name)
            rules: list[AccessRecord] = []
            for owner in owners:
                rule = self._fields.get((owner, field_name))
                if rule is not None:
                    rules.append(rule)
            rules.extend(self.type_rules(self.graph.field_shape(type_name, field_name).type_name))
            cached = tuple(dict.fromkeys(rules))
            self._field_rules[key] = cached
        return cached

    def rules_of(self, root_type: str, selections: tuple[Selection, ...]) -> tuple[AccessRecord, ...]:
        """The distinct rules an operation touches: what its cached plan depends on."""
        found: dict[AccessRecord, None] = {}
        if not self.empty:
            self._collect(root_type, selections, found)
        return tuple(found)

    def _collect(self, type_name: str, selections: tuple[Selection, ...], found: dict[AccessRecord, None]) -> None:
        for selection in selections:
            if isinstance(selection, Field):
                if selection.name.startswith("__"):
                    continue
                found.update(dict.fromkeys(self.field_rules(type_name, selection.name)))
                if selection.selections:
                    inner = self.graph.field_shape(type_name, selection.name).type_name
                    self._collect(inner, selection.selections, found)
            else:
                condition = selection.type_condition or type_name
                found.update(dict.fromkeys(self.type_rules(condition)))
                self._collect(condition, selection.selections, found)

    def authorize(self, root_type: str, selections: tuple[Selection, ...], allowed: Allowed) -> AuthorizedSelections:
        """Drop what ``allowed`` refuses; ``selections`` come back unchanged (same object) when nothing is."""
        removed: list[tuple[str, ...]] = []
        kept = self._filter(root_type, selections, (), allowed, removed)
        return AuthorizedSelections(kept, tuple(removed))

    def _filter(
        self,
        type_name: str,
        selections: tuple[Selection, ...],
        path: tuple[str, ...],
        allowed: Allowed,
        removed: list[tuple[str, ...]],
    ) -> tuple[Selection, ...]:
        out: list[Selection] = []
        changed = False
        for selection in selections:
            if isinstance(selection, Field):
                kept_field = self._field(type_name, selection, path, allowed, removed)
                changed = changed or kept_field is not selection
                if kept_field is not None:
                    out.append(kept_field)
                continue
            condition = selection.type_condition or type_name
            if not all(allowed(rule) for rule in self.type_rules(condition)):
                removed.append(path)
                changed = True
                continue
            inner = self._filter(condition, selection.selections, path, allowed, removed)
            if inner is selection.selections:
                out.append(selection)
            else:
                changed = True
                if inner:
                    out.append(InlineFragment(selection.type_condition, inner))
        return tuple(out) if changed else selections

    def _field(
        self,
        type_name: str,
        selection: Field,
        path: tuple[str, ...],
        allowed: Allowed,
        removed: list[tuple[str, ...]],
    ) -> Field | None:
        if selection.name.startswith("__"):
            return selection
        here = (*path, selection.response_key)
        if not all(allowed(rule) for rule in self.field_rules(type_name, selection.name)):
            removed.append(here)
            return None
        if not selection.selections:
            return selection
        shape = self.graph.field_shape(type_name, selection.name)
        inner = self._filter(
            shape.type_name, selection.selections, here + (LIST_POSITION,) * shape.list_depth, allowed, removed
        )
        if inner is selection.selections:
            return selection
        if not inner:
            return None  # nothing left to fetch: the field itself is null (Router drops it too)
        return Field(selection.response_key, selection.name, selection.arguments, inner)

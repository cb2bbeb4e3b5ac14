"""Shared state of one composition: the sorted subgraphs, their facts, graph enum names, errors and hints."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from gateway.composition.errors import CompositionError
from gateway.composition.facts import Facts, facts_of
from gateway.composition.result import CompositionHint
from gateway.composition.specs import join_minor
from gateway.composition.subgraph import Subgraph, TypeDef


@dataclass(slots=True)
class Reporter:
    """Collects errors, hints and the supergraph features used while merging (composition's one mutable piece)."""

    errors: list[CompositionError] = field(default_factory=list)
    hints: list[CompositionHint] = field(default_factory=list)
    features: set[str] = field(default_factory=set)
    enum_usage: dict[str, dict[str, str]] = field(default_factory=dict)

    def error(self, code: str, message: str, subgraphs: Sequence[str] = (), coordinates: Sequence[str] = ()) -> None:
        """Record an error."""
        self.errors.append(CompositionError(code, message, subgraphs=subgraphs, coordinates=coordinates))

    def hint(self, code: str, message: str) -> None:
        """Record a hint."""
        self.hints.append(CompositionHint(code, message))


@dataclass(frozen=True, slots=True)
class Context:
    """The subgraphs sorted by name (Apollo's order), with precomputed facts and `join__Graph` names."""

    subgraphs: tuple[Subgraph, ...]
    facts: tuple[Facts, ...]
    graph_names: tuple[str, ...]
    reporter: Reporter
    join_minor: int = 3

    @classmethod
    def of(cls, subgraphs: Sequence[Subgraph], reporter: Reporter) -> Context:
        """Sort subgraphs by name and precompute facts and enum names."""
        ordered = tuple(sorted(subgraphs, key=lambda s: s.name))
        federation = max((s.fed_version or (2, 0) for s in ordered), default=(2, 0))
        return cls(
            ordered, tuple(facts_of(s) for s in ordered), _graph_names(ordered), reporter, join_minor(federation)
        )

    def sources(self, type_name: str) -> Iterator[tuple[int, TypeDef]]:
        """(subgraph index, definition) of every subgraph defining the type."""
        for index, subgraph in enumerate(self.subgraphs):
            type_def = subgraph.type(type_name)
            if type_def is not None:
                yield index, type_def

    def name(self, index: int) -> str:
        """The subgraph name at an index."""
        return self.subgraphs[index].name


def _graph_names(subgraphs: Sequence[Subgraph]) -> tuple[str, ...]:
    """`join__Graph` values: upper-cased, non-alphanumerics as `_`, a leading digit prefixed, clashes numbered."""
    seen: dict[str, int] = {}
    out: list[str] = []
    for subgraph in subgraphs:
        base = re.sub(r"\W", "_", subgraph.name.upper())
        if base[:1].isdigit():
            base = "_" + base
        count = seen.get(base, 0)
        seen[base] = count + 1
        out.append(base if count == 0 else f"{base}_{count}")
    return tuple(out)

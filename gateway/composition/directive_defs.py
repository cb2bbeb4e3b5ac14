"""Executable directive definitions (`directive @trace on FIELD`): kept only when every subgraph defines them,
with the locations and arguments common to all (Apollo's intersection rule for directives usable in queries)."""

from __future__ import annotations

from gateway.composition.arguments import merge_arguments
from gateway.composition.context import Context
from gateway.composition.description import merge_description
from gateway.composition.merged import MergedInputValue
from gateway.composition.printer import print_directive
from gateway.composition.subgraph import DirectiveDef

EXECUTABLE_LOCATIONS = frozenset(
    {
        "QUERY",
        "MUTATION",
        "SUBSCRIPTION",
        "FIELD",
        "FRAGMENT_DEFINITION",
        "FRAGMENT_SPREAD",
        "INLINE_FRAGMENT",
        "VARIABLE_DEFINITION",
    }
)


def merge_executable_directives(ctx: Context, composed: frozenset[str]) -> tuple[tuple[str, str], ...]:
    """(name, printed definition) of every executable directive all subgraphs agree on."""
    names: list[str] = []
    for subgraph in ctx.subgraphs:
        names.extend(
            d.name
            for d in subgraph.directive_defs
            if d.name not in names and d.name not in composed and EXECUTABLE_LOCATIONS.intersection(d.locations)
        )
    out: list[tuple[str, str]] = []
    for name in names:
        sources = [
            (i, next((d for d in s.directive_defs if d.name == name), None)) for i, s in enumerate(ctx.subgraphs)
        ]
        present = [(i, d) for i, d in sources if d is not None]
        if len(present) < len(sources):
            ctx.reporter.hint(
                "INCONSISTENT_EXECUTABLE_DIRECTIVE_PRESENCE",
                f'Executable directive "@{name}" will not be part of the supergraph as it does not appear in all '
                "subgraphs",
            )
            continue
        printed = _merge(ctx, name, present)
        if printed is not None:
            out.append((name, printed))
    return tuple(out)


def _merge(ctx: Context, name: str, present: list[tuple[int, DirectiveDef]]) -> str | None:
    locations = sorted(EXECUTABLE_LOCATIONS.intersection(present[0][1].locations))
    for _, definition in present[1:]:
        locations = [loc for loc in locations if loc in definition.locations]
    if not locations:
        ctx.reporter.hint(
            "NO_EXECUTABLE_DIRECTIVE_LOCATIONS_INTERSECTION",
            f'Executable directive "@{name}" has no location that is common to all subgraphs',
        )
        return None
    args: tuple[MergedInputValue, ...] = merge_arguments(
        ctx, f"@{name}", [(i, d.args) for i, d in present], lambda _base, _candidate: False, frozenset()
    )
    repeatable = all(d.repeatable for _, d in present)
    return print_directive(name, args, repeatable, locations, merge_description(d.description for _, d in present))

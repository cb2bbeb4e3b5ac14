"""Directives copied from subgraphs into the supergraph: `@inaccessible`, `@tag`, access control, `@deprecated`,
`@specifiedBy` and `@composeDirective` ones — merged across subgraphs like Apollo's `mergeAppliedDirective`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from gateway.composition.access_control import ACCESS_CONTROL, merge_access
from gateway.composition.context import Context
from gateway.composition.demand_control import merge_demand_control
from gateway.composition.listing import quote
from gateway.composition.subgraph import Applied

FEDERATION_MERGED = frozenset({"inaccessible", "tag", *ACCESS_CONTROL, "context", "cost", "listSize"})
BUILTIN_MERGED = frozenset({"deprecated", "specifiedBy"})
REPEATABLE = frozenset({"tag", "context"})


@dataclass(frozen=True, slots=True)
class MergedApplications:
    """Printed applications: `inaccessible` goes before join directives, `rest` after them."""

    inaccessible: tuple[str, ...]
    rest: tuple[str, ...]


def merge_applications(
    ctx: Context,
    sources: Sequence[tuple[int, Sequence[Applied]]],
    composed: frozenset[str],
    inherited: Sequence[Applied] = (),
    *,
    access_first: bool = False,
) -> MergedApplications:
    """Merge the directive applications of one element across the subgraphs defining it; `inherited` holds
    access control applications propagated from related types (see `access_control`). Like Apollo, fields and
    interfaces list access control first (`access_first`); other elements keep first-seen order."""
    names: list[str] = []
    for directives in [d for _, d in sources] + [inherited]:
        for directive in directives:
            if is_merged(directive, composed) and directive.name not in names:
                names.append(directive.name)
    inaccessible: list[str] = []
    access: dict[str, str] = {}
    rest: list[str] = []
    for name in names:
        if name in ACCESS_CONTROL:
            applications = [d for _, ds in sources for d in ds if d.name == name and d.federation]
            applications += [d for d in inherited if d.name == name]
            printed = merge_access(name, applications)
            if access_first:
                access[name] = printed
            else:
                rest.append(printed)
        elif name == "inaccessible":
            inaccessible.extend(_merge_one(ctx, name, sources, repeatable=False))
        else:
            rest.extend(_merge_one(ctx, name, sources, repeatable=name in REPEATABLE or name in composed))
        if name in FEDERATION_MERGED:
            ctx.reporter.features.add(name)
    first = tuple(access[name] for name in ACCESS_CONTROL if name in access)
    return MergedApplications(tuple(inaccessible), first + tuple(rest))


def is_inaccessible(sources: Sequence[tuple[int, Sequence[Applied]]]) -> bool:
    """Whether any subgraph marks the element `@inaccessible`."""
    return any(d.name == "inaccessible" and d.federation for _, ds in sources for d in ds)


def is_merged(directive: Applied, composed: frozenset[str]) -> bool:
    """Whether the supergraph carries this directive over from subgraphs."""
    if directive.federation:
        return directive.name in FEDERATION_MERGED
    return directive.name in BUILTIN_MERGED or directive.name in composed


def _printed(ctx: Context, index: int, directive: Applied) -> str:
    """The application as the supergraph shows it; `@context` names are prefixed with their subgraph."""
    if directive.name == "context" and directive.federation:
        return f"@context(name: {quote(ctx.name(index) + '__' + (directive.string_arg('name') or ''))})"
    return directive.print()


def _merge_one(
    ctx: Context, name: str, sources: Sequence[tuple[int, Sequence[Applied]]], *, repeatable: bool
) -> list[str]:
    printed_per_source = [
        [_printed(ctx, index, d) for d in directives if d.name == name] for index, directives in sources
    ]
    if repeatable:
        out: list[str] = []
        for printed in printed_per_source:
            out.extend(p for p in printed if p not in out)
        return out
    counts: dict[str, int] = {}
    for printed in printed_per_source:
        if printed:
            counts[printed[0]] = counts.get(printed[0], 0) + 1
    if not counts:
        return []
    if len(counts) > 1 and name in ("cost", "listSize"):
        return [merge_demand_control(name, [d for _, ds in sources for d in ds if d.name == name])]
    best = max(counts.values())
    return [next(p for p, c in counts.items() if c == best)]

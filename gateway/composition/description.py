"""Description merging: the most common non-empty description across subgraphs wins (Apollo's rule)."""

from __future__ import annotations

from collections.abc import Iterable


def merge_description(descriptions: Iterable[str | None]) -> str | None:
    """Pick the description to print; empty strings only win when nothing else is there."""
    counts: dict[str, int] = {}
    for description in descriptions:
        if description is not None:
            counts[description] = counts.get(description, 0) + 1
    if not counts:
        return None
    non_empty = {d: c for d, c in counts.items() if d != ""}
    if not non_empty:
        return ""
    best = max(non_empty.values())
    return next(d for d, c in non_empty.items() if c == best)

"""Lists in error messages, worded like Apollo's `printHumanReadableList`: `subgraphs "a", "b" and "c"`."""

from __future__ import annotations

from collections.abc import Iterable


def human_list(names: Iterable[str], noun: str) -> str:
    """`subgraph "a"` for one name, `subgraphs "a", "b" and "c"` for several (noun pluralised with `s`)."""
    quoted = [f'"{name}"' for name in names]
    if len(quoted) == 1:
        return f"{noun} {quoted[0]}"
    return f"{noun}s " + ", ".join(quoted[:-1]) + " and " + quoted[-1]

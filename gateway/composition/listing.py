"""Lists in error messages, worded like Apollo's `printHumanReadableList`: `subgraphs "a", "b" and "c"`."""

from __future__ import annotations

from collections.abc import Iterable

from graphql import StringValueNode, print_ast


def quote(text: str) -> str:
    """A GraphQL string literal."""
    return print_ast(StringValueNode(value=text))


def human_list(names: Iterable[str], noun: str) -> str:
    """`subgraph "a"` for one name, `subgraphs "a", "b" and "c"` for several (noun pluralised with `s`)."""
    quoted = [f'"{name}"' for name in names]
    if len(quoted) == 1:
        return f"{noun} {quoted[0]}"
    return f"{noun}s " + ", ".join(quoted[:-1]) + " and " + quoted[-1]


def mismatch(supergraph_value: str, values: Iterable[tuple[str, str]]) -> str:
    """Apollo's mismatch wording: the supergraph's value first, then the others, grouped by subgraph —
    `type "Int" in subgraph "a" but type "String" in subgraphs "b" and "c"`."""
    groups: dict[str, list[str]] = {}
    for subgraph, value in values:
        groups.setdefault(value, []).append(subgraph)
    like = groups.get(supergraph_value)
    parts = [f"{supergraph_value} in {human_list(like, 'subgraph') if like else 'undefined'}"]
    parts += [
        f"{value} in {human_list(names, 'subgraph')}" for value, names in groups.items() if value != supergraph_value
    ]
    if len(parts) == 1:
        return parts[0]
    if len(parts) == 2:
        return f"{parts[0]} but {parts[1]}"
    return f"{parts[0]} but " + " and ".join(parts[1:-1]) + f" and {parts[-1]}"

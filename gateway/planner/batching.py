"""Batch `_entities` fetches across paths, order them, and freeze the plan's fetch nodes."""

from __future__ import annotations

from graphql import OperationType

from gateway.planner.fetch_builder import FetchBuilder, can_merge, freeze_fetch, merge_into
from gateway.planner.nodes import FetchNode


def batch_fetches(
    fetches: list[FetchBuilder], kind: OperationType, variable_types: dict[str, str]
) -> tuple[FetchNode, ...]:
    """Freeze the fetches, batching `_entities` calls of one subgraph and entity across paths.

    Two fetches merge when neither depends (transitively) on the other and both sit at the same
    depth of the dependency graph, so batching saves round trips without lengthening the critical
    path; representations are then deduplicated across paths too.
    """
    fetches = _without_empty(fetches)
    groups: list[list[FetchBuilder]] = []
    group_of: dict[int, int] = {}
    ancestors: list[set[int]] = []
    depths: list[int] = []
    for fetch in fetches:
        deps = {group_of[d] for d in fetch.depends_on if d != fetch.id}
        closure = set(deps)
        for d in deps:
            closure |= ancestors[d]
        depth = 1 + max((depths[d] for d in deps), default=0)
        target = None
        if fetch.entity is not None:
            for index, members in enumerate(groups):
                first = members[0]
                if (
                    index not in closure
                    and depths[index] == depth
                    and first.entity == fetch.entity
                    and first.subgraph == fetch.subgraph
                    and can_merge(first.root, fetch.root)
                ):
                    target = index
                    break
        if target is None:
            groups.append([fetch])
            ancestors.append(closure)
            depths.append(depth)
            group_of[fetch.id] = len(groups) - 1
            continue
        first = groups[target][0]
        merge_into(first.root, fetch.root)
        if fetch.path != first.path and fetch.path not in first.more_paths:
            first.more_paths.append(fetch.path)
        first.depends_on |= fetch.depends_on
        groups[target].append(fetch)
        group_of[fetch.id] = target
        ancestors[target] |= closure
        for other in ancestors:
            if target in other:
                other |= closure
    group_deps = [
        {group_of[d] for member in members for d in member.depends_on} - {index} for index, members in enumerate(groups)
    ]
    order: list[int] = []
    done: set[int] = set()
    while len(order) < len(groups):
        ready = next(i for i in range(len(groups)) if i not in done and group_deps[i] <= done)
        order.append(ready)
        done.add(ready)
    new_id = {group: position for position, group in enumerate(order)}
    return tuple(
        freeze_fetch(groups[group][0], kind, variable_types, new_id[group], {new_id[d] for d in group_deps[group]})
        for group in order
    )


def _without_empty(fetches: list[FetchBuilder]) -> list[FetchBuilder]:
    """Drop fetches that ended up selecting nothing (a subgraph never gets `{}`); their dependents wait on
    what they waited on."""
    empty = {f.id: f for f in fetches if f.root.is_empty()}
    if not empty:
        return fetches

    def resolved(ids: set[int]) -> set[int]:
        out: set[int] = set()
        for i in ids:
            out |= resolved(empty[i].depends_on - {i}) if i in empty else {i}
        return out

    kept = [f for f in fetches if f.id not in empty]
    for fetch in kept:
        fetch.depends_on = resolved(fetch.depends_on)
    return kept

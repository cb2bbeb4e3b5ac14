"""A conservative form of Apollo's satisfiability validation: every field of an object type must be
resolvable from every subgraph where a query can arrive at that type, directly or by `@key` jumps.

Over-approximates what the query planner can do (ignores `@requires` conditions, treats `@provides` and
interface-object paths as satisfiable), so it reports only definite failures — typically a field living
only in a subgraph whose keys are all `resolvable: false` or absent.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from gateway.composition.context import Context
from gateway.composition.fieldset import selected_fields
from gateway.composition.listing import human_list
from gateway.composition.subgraph import COMPOSITE, DEFAULT_ROOTS, Field, Kind
from gateway.composition.typeref import named_type


@dataclass(frozen=True, slots=True)
class _Position:
    """A query arrived at `type_name`, resolved by any of the subgraphs `indexes`, by the path `path`."""

    indexes: frozenset[int]
    type_name: str
    path: tuple[str, ...]


def validate_satisfiability(ctx: Context) -> None:
    """Report object fields that some reachable position can never resolve."""
    seen: set[tuple[frozenset[int], str]] = set()
    queue: deque[_Position] = deque()
    for root in DEFAULT_ROOTS.values():
        holders = frozenset(i for i, s in enumerate(ctx.subgraphs) if s.type(root) is not None)
        if holders:
            queue.append(_Position(holders, root, ()))
    reported: set[str] = set()
    while queue:
        position = queue.popleft()
        if (position.indexes, position.type_name) in seen or not position.indexes:
            continue
        seen.add((position.indexes, position.type_name))
        reachable: set[int] = set()
        for index in position.indexes:
            reachable |= _jump_closure(ctx, index, position.type_name)
        is_root = position.type_name in DEFAULT_ROOTS.values()
        kinds = {t.kind for _, t in ctx.sources(position.type_name)}
        if kinds == {Kind.OBJECT} and not is_root:
            _check_fields(ctx, position, reachable, reported)
        _check_interface_object(ctx, position, reported)
        queue.extend(_next_positions(ctx, position, frozenset(reachable)))


def _defines(ctx: Context, index: int, type_name: str, field_name: str) -> bool:
    """The subgraph has the field and it is not (fully) external there."""
    if ctx.subgraphs[index].field(type_name, field_name) is None:
        return False
    return not ctx.facts[index].is_fully_external(f"{type_name}.{field_name}")


def _local(ctx: Context, index: int, type_name: str, field_name: str) -> bool:
    """The subgraph can resolve the field: it defines it and its `@requires` conditions can be fetched."""
    if not _defines(ctx, index, type_name, field_name):
        return False
    field = ctx.subgraphs[index].field(type_name, field_name)
    assert field is not None
    required = _required_fields(ctx, index, type_name, field)
    return all(_requirement_reachable(ctx, index, type_name, r) for r in required)


def _required_fields(ctx: Context, index: int, parent: str, field: Field) -> list[str]:
    out: list[str] = []
    for requires in field.applied("requires"):
        out.extend(
            s.field
            for s in selected_fields(ctx.subgraphs[index], parent, requires.string_arg("fields") or "") or ()
            if s.parent == parent
        )
    return out


def _requirement_reachable(ctx: Context, index: int, type_name: str, field_name: str) -> bool:
    """A `@requires` condition is fetched starting from the requiring subgraph, possibly through key jumps."""
    for other in _jump_closure(ctx, index, type_name):
        field = ctx.subgraphs[other].field(type_name, field_name)
        if field is not None and not ctx.facts[other].is_external(f"{type_name}.{field_name}"):
            return True
    return False


def _jump_closure(ctx: Context, start: int, type_name: str) -> set[int]:
    """Subgraphs reachable for an entity by resolvable `@key`s whose fields a reached subgraph can provide."""
    reached = {start}
    changed = True
    while changed:
        changed = False
        for index, subgraph in enumerate(ctx.subgraphs):
            type_def = subgraph.type(type_name)
            if index in reached or type_def is None:
                continue
            for key in type_def.applied("key"):
                if key.arg("resolvable") == "false":
                    continue
                selected = selected_fields(subgraph, type_name, key.string_arg("fields") or "") or ()
                top = [s.field for s in selected if s.parent == type_name]
                # Key conditions may be collected across already reached subgraphs (the planner resolves them).
                if all(any(_key_field_available(ctx, r, type_name, f) for r in reached) for f in top):
                    reached.add(index)
                    changed = True
                    break
    return reached


def _key_field_available(ctx: Context, index: int, type_name: str, field_name: str) -> bool:
    return ctx.subgraphs[index].field(type_name, field_name) is not None


def _check_fields(ctx: Context, position: _Position, reachable: set[int], reported: set[str]) -> None:
    names: list[str] = []
    for _, type_def in ctx.sources(position.type_name):
        names.extend(f.name for f in type_def.fields if f.name not in names)
    for field_name in names:
        coordinate = f"{position.type_name}.{field_name}"
        if coordinate in reported or any(_local(ctx, i, position.type_name, field_name) for i in reachable):
            continue
        if _inaccessible(ctx, position.type_name, field_name):
            continue  # not in the API schema, so no query can select it
        owners = [i for i, _ in ctx.sources(position.type_name) if _defines(ctx, i, position.type_name, field_name)]
        if not owners:
            continue
        reported.add(coordinate)
        path = " -> ".join((*position.path, coordinate))
        arrived = human_list(map(ctx.name, sorted(position.indexes)), "subgraph")
        resolvers = human_list(map(ctx.name, owners), "subgraph")
        ctx.reporter.error(
            "SATISFIABILITY_ERROR",
            f"The supergraph API path {path} cannot be satisfied by the subgraphs: from "
            f'{arrived}, field "{coordinate}" is only resolved by {resolvers}, and none of the @key defined on type '
            f'"{position.type_name}" there can be reached (they are missing or declared resolvable: false, '
            "or their key fields are not available).",
            subgraphs=[*(ctx.name(i) for i in sorted(position.indexes)), *(ctx.name(i) for i in owners)],
            coordinates=[coordinate],
        )


def _check_interface_object(ctx: Context, position: _Position, reported: set[str]) -> None:
    """An `@interfaceObject` position needs a subgraph with the real interface and a resolvable key for it,
    or the concrete type (`__typename`) can never be found."""
    objects = [i for i in sorted(position.indexes) if _is_interface_object(ctx, i, position.type_name)]
    if not objects or position.type_name in reported:
        return
    if not any(position.type_name in t.interfaces for s in ctx.subgraphs for t in s.types):
        return  # no implementation anywhere: nothing to resolve
    for _, type_def in ctx.sources(position.type_name):
        if type_def.kind is Kind.INTERFACE and any(k.arg("resolvable") != "false" for k in type_def.applied("key")):
            return
    reported.add(position.type_name)
    path = " -> ".join(position.path) or position.type_name
    arrived = human_list(map(ctx.name, objects), "subgraph")
    ctx.reporter.error(
        "SATISFIABILITY_ERROR",
        f"The supergraph API path {path} cannot be satisfied by the subgraphs: from "
        f"{arrived}, no subgraph can be reached to resolve the implementation type of "
        f'@interfaceObject type "{position.type_name}" (no subgraph defines interface "{position.type_name}" with a '
        "resolvable @key).",
        subgraphs=[ctx.name(i) for i in objects],
        coordinates=[position.type_name],
    )


def _is_interface_object(ctx: Context, index: int, type_name: str) -> bool:
    type_def = ctx.subgraphs[index].type(type_name)
    return type_def is not None and type_def.kind is Kind.OBJECT and type_def.has("interfaceObject")


def _inaccessible(ctx: Context, type_name: str, field_name: str) -> bool:
    for _, type_def in ctx.sources(type_name):
        field = type_def.field(field_name)
        if type_def.has("inaccessible") or (field is not None and field.has("inaccessible")):
            return True
    return False


def _next_positions(ctx: Context, position: _Position, reachable: frozenset[int]) -> list[_Position]:
    out: list[_Position] = []
    names: list[str] = []
    for index in sorted(reachable):
        type_def = ctx.subgraphs[index].type(position.type_name)
        if type_def is None:
            continue
        names.extend(f.name for f in type_def.fields if f.name not in names)
        possible = type_def.members or tuple(
            t.name for t in ctx.subgraphs[index].types if position.type_name in t.interfaces
        )
        out.extend(
            _Position(frozenset({index}), member, position.path)
            for member in possible
            if type_def.kind in (Kind.INTERFACE, Kind.UNION)
        )
    for field_name in names:
        if _inaccessible(ctx, position.type_name, field_name):
            continue
        holders = frozenset(i for i in reachable if _local(ctx, i, position.type_name, field_name))
        target = _field_type(ctx, holders, position.type_name, field_name)
        if target is not None:
            out.append(_Position(holders, target, (*position.path, f"{position.type_name}.{field_name}")))
    return out


def _field_type(ctx: Context, holders: frozenset[int], type_name: str, field_name: str) -> str | None:
    """The composite named type of the field, if any."""
    for index in holders:
        field = ctx.subgraphs[index].field(type_name, field_name)
        target = ctx.subgraphs[index].type(named_type(field.type)) if field else None
        if target is not None and target.kind in COMPOSITE:
            return target.name
    return None

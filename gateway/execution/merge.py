"""Walk and merge plain response dicts: objects at a plan path, deep merge, representations."""

from __future__ import annotations

from typing import Any

from gateway.planner import EntityCall, Rename, RepresentationField
from gateway.planner.nodes import TYPE_SEGMENT, segment_types


def objects_at(data: Any, path: tuple[str, ...], type_filter: tuple[str, ...] | None) -> list[dict[str, Any]]:
    """Every object reached by following `path` (`@` enters lists), optionally filtered by `__typename`."""
    current: list[Any] = [data]
    for segment in path:
        following: list[Any] = []
        if segment[0] == TYPE_SEGMENT:
            kept = segment_types(segment) or frozenset()
            current = [item for item in _flatten(current) if type(item) is dict and item.get("__typename") in kept]
            continue
        if segment == "@":
            extend = following.extend
            for item in current:
                if type(item) is list:
                    extend(item)
        else:
            append = following.append
            for item in current:
                if type(item) is dict:
                    value = item.get(segment)
                    if value is not None:
                        append(value)
        current = following
    result: list[dict[str, Any]] = []
    for item in current:
        if isinstance(item, list):  # a path ending on a list field without `@`
            result.extend(i for i in item if isinstance(i, dict))
        elif isinstance(item, dict):
            result.append(item)
    if type_filter is not None:
        result = [o for o in result if o.get("__typename") in type_filter]
    return result


def deep_merge(target: dict[str, Any], source: dict[str, Any]) -> None:
    """Merge `source` into `target`: objects recursively, equal-length lists item by item."""
    for key, value in source.items():
        existing = target.get(key)
        if existing is None or value is None:
            if existing is None:
                target[key] = value
            continue
        if isinstance(existing, dict) and isinstance(value, dict):
            if existing is not value:
                deep_merge(existing, value)
        elif isinstance(existing, list) and isinstance(value, list) and len(existing) == len(value):
            for index, (old, new) in enumerate(zip(existing, value, strict=True)):
                if isinstance(old, dict) and isinstance(new, dict):
                    if old is not new:
                        deep_merge(old, new)
                elif old is None:
                    existing[index] = new
        else:
            target[key] = value


def representation(obj: dict[str, Any], call: EntityCall) -> dict[str, Any] | None:
    """The `_entities` representation of `obj`, or None when a key field is missing or null."""
    rep: dict[str, Any] = {"__typename": call.typename}
    for f in call.key:
        value = obj.get(f.source_key)
        if value is None:
            return None
        rep[f.name] = _copy(value, f.selections) if f.selections else value
    typename = obj.get("__typename")
    for f in call.requires:
        if f.applies_to is not None and typename is not None and typename not in f.applies_to:
            continue
        value = obj.get(f.source_key)
        if f.selections and value is not None:
            value = _copy(value, f.selections)
        rep[f.name] = _union(rep[f.name], value) if f.name in rep else value
    return rep


def _union(a: Any, b: Any) -> Any:
    """Two copies of one value with different parts selected, combined (two `@requires` on one field)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return {**a, **{k: _union(a[k], v) if k in a else v for k, v in b.items()}}
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [_union(x, y) for x, y in zip(a, b, strict=True)]
    return b if a is None else a


def _copy(value: Any, selections: tuple[RepresentationField, ...]) -> Any:
    """Copy the selected part of a nested value, renaming aliased keys to field names."""
    if isinstance(value, list):
        return [_copy(item, selections) for item in value]
    if not isinstance(value, dict):
        return value
    typename = value.get("__typename")
    out: dict[str, Any] = {}
    if typename is not None:
        out["__typename"] = typename
    for f in selections:
        if f.applies_to is not None and typename is not None and typename not in f.applies_to:
            continue
        inner = value.get(f.source_key)
        out[f.name] = _copy(inner, f.selections) if f.selections and inner is not None else inner
    return out


def apply_renames(root: Any, renames: tuple[Rename, ...]) -> None:
    """Undo planner aliases in a fetch result (lists are entered implicitly)."""
    for rename in renames:
        current: list[Any] = [root]
        for segment in rename.path:
            following: list[Any] = []
            for item in current:
                if isinstance(item, dict):
                    value = item.get(segment)
                    if isinstance(value, list):
                        following.extend(_flatten(value))
                    elif value is not None:
                        following.append(value)
            current = following
        for item in current:
            if (
                isinstance(item, dict)
                and rename.alias in item
                and (rename.typename is None or item.get("__typename") == rename.typename)
            ):
                item[rename.key] = item.pop(rename.alias)


def _flatten(value: list[Any]) -> list[Any]:
    result: list[Any] = []
    for item in value:
        if isinstance(item, list):
            result.extend(_flatten(item))
        else:
            result.append(item)
    return result

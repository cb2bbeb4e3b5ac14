"""Run one operation through the gateway and the oracle; report every broken invariant.

Invariants: every subgraph request parses and validates against that subgraph's schema; `__typename`
is always an object type; `data` equals the oracle's, nulls included; errors sit exactly where the
oracle has them, each with a path; planning never fails where the oracle answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from graphql import GraphQLObjectType, GraphQLSchema

from gateway.execution import Gateway


class Fixture(Protocol):
    """A federation the differential test can run: the gateway's view and the oracle over one world."""

    @property
    def name(self) -> str: ...

    @property
    def supergraph_sdl(self) -> str: ...

    def transports(self) -> Mapping[str, Any]: ...

    def rejected(self) -> list[tuple[str, str, str]]: ...

    def clear_logs(self) -> None: ...

    def argument_values(self, type_name: str, field_name: str, argument: str) -> list[Any]: ...

    async def reference(self, query: str, variables: Mapping[str, Any] | None = None) -> dict[str, Any]: ...


@dataclass(frozen=True)
class Violation:
    """One broken invariant: `kind` groups them (the shrinker keeps the kind), `detail` explains."""

    kind: str
    detail: str


async def check(fixture: Fixture, gateway: Gateway, query: str, variables: Mapping[str, Any]) -> list[Violation]:
    """Every invariant the gateway's answer to `query` breaks."""
    fixture.clear_logs()
    expected = await fixture.reference(query, variables)
    try:
        answer = await gateway.execute(query, None, dict(variables))
    except Exception as error:  # a crash is a finding, not a test error
        return [Violation("crash", f"{type(error).__name__}: {error}")]
    found: list[Violation] = []
    for subgraph, operation, reason in fixture.rejected():
        found.append(Violation("invalid-subgraph-request", f"{subgraph} rejected {operation!r}: {reason}"))
    errors = answer.get("errors") or []
    planning = [e for e in errors if (e.get("extensions") or {}).get("code") == "QUERY_PLANNING_FAILED"]
    if planning:
        return [*found, Violation("planning-failed", planning[0]["message"])]
    bad_types = sorted(set(_typenames(answer.get("data"))) - _object_types(gateway.api_schema))
    if bad_types:
        found.append(Violation("typename", f"__typename {bad_types} is not an object type"))
    if answer.get("data") != expected.get("data"):
        found.append(Violation("data", _diff(expected.get("data"), answer.get("data"))))
    missing_path = [e["message"] for e in errors if not e.get("path")]
    if missing_path:
        found.append(Violation("error-without-path", missing_path[0]))
    ours = _anchors(answer.get("data"), [e.get("path") for e in errors if e.get("path")])
    theirs = _anchors(expected.get("data"), [e.get("path") for e in expected.get("errors") or ()])
    if ours != theirs:
        found.append(Violation("error-paths", f"expected errors at {sorted(theirs)}, got {sorted(ours)}"))
    return found


def _anchors(data: Any, paths: list[Any]) -> set[str]:
    """Where each error shows in `data`: the topmost null on its path (GraphQL spec §6.4.4).

    Which sibling fields still run once a null propagates is up to the executor (graphql-core stops at
    the first), so errors are compared by the null they explain; `!` marks an error at a non-null value.
    """
    anchors: set[str] = set()
    for path in paths:
        current: Any = data
        anchor: list[str] | None = [] if data is None else None
        walked: list[str] = []
        for segment in path:
            if anchor is not None:
                break
            walked.append(str(segment))
            if isinstance(current, dict):
                current = current.get(segment) if isinstance(segment, str) else None
            elif isinstance(current, list) and isinstance(segment, int) and segment < len(current):
                current = current[segment]
            else:
                current = None
            if current is None:
                anchor = list(walked)
        anchors.add(".".join(anchor) if anchor is not None else "!" + _path_key(path))
    return anchors


def _object_types(schema: GraphQLSchema) -> set[str]:
    return {name for name, t in schema.type_map.items() if isinstance(t, GraphQLObjectType)}


def _typenames(data: Any) -> list[str]:
    """Every `__typename` value in the response (unaliased keys)."""
    found: list[str] = []
    pending = [data]
    while pending:
        value = pending.pop()
        if isinstance(value, dict):
            typename = value.get("__typename")
            if isinstance(typename, str):
                found.append(typename)
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
    return found


def _path_key(path: Any) -> str:
    return ".".join(str(p) for p in path or ())


def _diff(expected: Any, actual: Any, path: str = "data") -> str:
    """Where two answers first differ."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in list(expected) + [k for k in actual if k not in expected]:
            if expected.get(key, "<absent>") != actual.get(key, "<absent>"):
                return _diff(expected.get(key, "<absent>"), actual.get(key, "<absent>"), f"{path}.{key}")
    if isinstance(expected, list) and isinstance(actual, list) and len(expected) == len(actual):
        for index, (a, b) in enumerate(zip(expected, actual, strict=True)):
            if a != b:
                return _diff(a, b, f"{path}.{index}")
    return f"at {path}: expected {expected!r}, got {actual!r}"

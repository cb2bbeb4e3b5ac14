"""Run a query plan: fetches in dependency order, independent ones in parallel, results merged.

Only this module (through `SubgraphClient`s) performs I/O. Subgraph failures become errors with
the client's paths and `extensions.serviceName`; the gateway always answers.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import orjson
from opentelemetry.trace import StatusCode

from gateway.execution.client import SubgraphClient
from gateway.execution.errors import (
    SubgraphBadResponse,
    SubgraphRequestError,
    SubgraphTimeout,
    SubgraphUnauthenticated,
    SubgraphUnavailable,
)
from gateway.execution.merge import apply_renames, deep_merge, objects_at, representation
from gateway.planner import FetchNode, QueryPlan
from gateway.planner.nodes import segment_types
from gateway.tracing import with_traceparent

if TYPE_CHECKING:
    from opentelemetry.trace import Tracer

_log = logging.getLogger("zhijian.gateway")


@dataclass(frozen=True, slots=True)
class ExecutionLimits:
    """Per-subgraph request timeouts in seconds."""

    default_timeout: float = 30.0
    timeouts: Mapping[str, float] | None = None

    def timeout_for(self, subgraph: str) -> float:
        """The timeout for one subgraph."""
        if self.timeouts and subgraph in self.timeouts:
            return self.timeouts[subgraph]
        return self.default_timeout


class Executor:
    """Executes plans against a fixed set of subgraph clients."""

    def __init__(self, clients: Mapping[str, SubgraphClient], limits: ExecutionLimits | None = None) -> None:
        self.clients = dict(clients)
        self.limits = limits or ExecutionLimits()
        self.tracer: Tracer | None = None
        """With a tracer each fetch is a `subgraph.fetch` span, sent on as the subgraph's `traceparent`."""
        self.on_fetch: Callable[[str, float, str | None], None] | None = None
        """Told each fetch's subgraph, seconds and failure code (None when it answered): the metrics."""

    async def execute(
        self,
        plan: QueryPlan,
        variables: Mapping[str, Any],
        headers: Mapping[str, str] | None = None,
    ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """Merged (unshaped) data and the errors collected on the way."""
        data: dict[str, Any] = {}
        errors: list[dict[str, Any]] = []
        fetches = plan.fetches
        if len(fetches) == 1:
            await self._guarded(fetches[0], data, errors, variables, headers)
            return data, errors
        await self._drive(fetches, set(), data, errors, variables, headers)
        return data, errors

    async def execute_event(
        self,
        plan: QueryPlan,
        event: Mapping[str, Any],
        variables: Mapping[str, Any],
        headers: Mapping[str, str] | None = None,
    ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """A subscription's event: `event` is the response of the plan's root fetch (the subgraph's subscription);
        the rest of the plan (entity fetches) runs on it as on a query's root result."""
        root = next(node for node in plan.fetches if node.entity is None)
        data: dict[str, Any] = {}
        errors: list[dict[str, Any]] = []
        self._merge(root, dict(event), data, errors, [])
        rest = [node for node in plan.fetches if node is not root]
        if rest:
            await self._drive(rest, {root.id}, data, errors, variables, headers)
        return data, errors

    async def _drive(
        self,
        fetches: Sequence[FetchNode],
        done_ids: set[int],
        data: dict[str, Any],
        errors: list[dict[str, Any]],
        variables: Mapping[str, Any],
        headers: Mapping[str, str] | None,
    ) -> None:
        """Run `fetches` in dependency order (those in `done_ids` are merged already), independent ones at once."""
        waiting = {node.id: set(node.depends_on) for node in fetches}
        by_id = {node.id: node for node in fetches}
        running: dict[asyncio.Task[None], int] = {}
        ready = sorted(i for i, deps in waiting.items() if deps <= done_ids)
        while ready or running:
            for node_id in ready:
                del waiting[node_id]
                task = asyncio.ensure_future(self._guarded(by_id[node_id], data, errors, variables, headers))
                running[task] = node_id
            ready = []
            finished, _ = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
            for task in finished:
                done_ids.add(running.pop(task))
                task.result()
            ready = sorted(i for i, deps in waiting.items() if deps <= done_ids)

    async def _guarded(
        self,
        node: FetchNode,
        data: dict[str, Any],
        errors: list[dict[str, Any]],
        variables: Mapping[str, Any],
        headers: Mapping[str, str] | None,
    ) -> None:
        """Run one fetch; a defect while merging its result costs that fetch's data, not the response."""
        try:
            await self._run(node, data, errors, variables, headers)
        except Exception:
            _log.exception("fetch %s to %s failed inside the gateway", node.id, node.subgraph)
            message = f"The gateway could not process the response of subgraph {node.subgraph}."
            errors.extend(_fetch_errors(node, message, "INTERNAL_SERVER_ERROR"))

    async def _run(
        self,
        node: FetchNode,
        data: dict[str, Any],
        errors: list[dict[str, Any]],
        variables: Mapping[str, Any],
        headers: Mapping[str, str] | None,
    ) -> None:
        entity = node.entity
        owners: list[list[dict[str, Any]]] = []
        payload_vars: dict[str, Any] = {name: variables.get(name) for name in node.variables}
        if entity is not None:
            objects = [obj for path in node.paths for obj in objects_at(data, path, entity.type_filter)]
            reps: list[dict[str, Any]] = []
            index: dict[bytes, int] = {}
            for obj in objects:
                rep = representation(obj, entity)
                if rep is None:
                    continue
                key = orjson.dumps(rep)
                position = index.get(key)
                if position is None:
                    index[key] = len(reps)
                    reps.append(rep)
                    owners.append([obj])
                else:
                    owners[position].append(obj)
            if not reps:
                return
            payload_vars["representations"] = reps
        body = orjson.dumps({"query": node.operation, "variables": payload_vars})
        response = await self._send(node, body, headers, errors)
        if response is not None:
            self._merge(node, response, data, errors, owners)

    def _merge(
        self,
        node: FetchNode,
        response: dict[str, Any],
        data: dict[str, Any],
        errors: list[dict[str, Any]],
        owners: list[list[dict[str, Any]]],
    ) -> None:
        entity = node.entity
        result_data = response.get("data")
        for error in response.get("errors") or ():
            errors.extend(self._map_error(node, error, data, owners))
        if not isinstance(result_data, dict):
            return
        if entity is None:
            if node.renames:
                apply_renames(result_data, node.renames)
            deep_merge(data, result_data)
            return
        entities = result_data.get("_entities")
        if not isinstance(entities, list):
            return
        if node.renames:
            for result in entities:
                apply_renames(result, node.renames)
        for position, result in enumerate(entities):
            if isinstance(result, dict) and position < len(owners):
                for obj in owners[position]:
                    deep_merge(obj, result)

    async def _send(
        self,
        node: FetchNode,
        body: bytes,
        headers: Mapping[str, str] | None,
        errors: list[dict[str, Any]],
    ) -> dict[str, Any] | None:
        if self.tracer is not None:
            with self.tracer.start_as_current_span("subgraph.fetch", attributes={"subgraph.name": node.subgraph}) as s:
                response = await self._observed(node, body, with_traceparent(headers), errors)
                if response is None:
                    s.set_status(StatusCode.ERROR)
                return response
        return await self._observed(node, body, headers, errors)

    async def _observed(
        self,
        node: FetchNode,
        body: bytes,
        headers: Mapping[str, str] | None,
        errors: list[dict[str, Any]],
    ) -> dict[str, Any] | None:
        observe = self.on_fetch
        started = time.perf_counter() if observe is not None else 0.0
        try:
            response = await self._request(node, body, headers)
        except SubgraphRequestError as error:
            if observe is not None:
                observe(node.subgraph, time.perf_counter() - started, error.code)
            if isinstance(error, SubgraphUnauthenticated) and any(e.get("message") == error.message for e in errors):
                return None  # one sign-in error per request is enough
            errors.extend(_fetch_errors(node, error.message, error.code))
            return None
        if observe is not None:
            observe(node.subgraph, time.perf_counter() - started, None)
        return response

    async def _request(self, node: FetchNode, body: bytes, headers: Mapping[str, str] | None) -> dict[str, Any]:
        client = self.clients.get(node.subgraph)
        if client is None:
            raise SubgraphUnavailable(node.subgraph, f"No client configured for subgraph {node.subgraph}.")
        try:
            async with asyncio.timeout(self.limits.timeout_for(node.subgraph)):
                status, raw = await client.request(body, headers)
        except TimeoutError as error:
            raise SubgraphTimeout(node.subgraph, f"Subgraph {node.subgraph} timed out.") from error
        if status == 401:
            raise SubgraphUnauthenticated(node.subgraph)
        try:
            response = orjson.loads(raw)
        except orjson.JSONDecodeError as error:
            raise SubgraphBadResponse(
                node.subgraph, f"Subgraph {node.subgraph} returned HTTP {status} without a JSON body."
            ) from error
        if not isinstance(response, dict) or ("data" not in response and "errors" not in response):
            raise SubgraphBadResponse(
                node.subgraph, f"Subgraph {node.subgraph} returned HTTP {status} without a GraphQL response."
            )
        return response

    def _map_error(
        self, node: FetchNode, error: Any, data: dict[str, Any], owners: list[list[dict[str, Any]]]
    ) -> list[dict[str, Any]]:
        """Re-home a subgraph error onto the client's paths (one copy per affected object)."""
        if not isinstance(error, dict):
            error = {"message": str(error)}
        extensions = dict(error.get("extensions") or {})
        extensions.setdefault("code", "SUBGRAPH_ERROR")
        extensions["serviceName"] = node.subgraph
        base: dict[str, Any] = {"message": str(error.get("message", "Subgraph error")), "extensions": extensions}
        path = error.get("path")
        if node.entity is None:
            if isinstance(path, list) and path:
                return [{**base, "path": path}]
            return [{**base, "path": [key]} for key in node.response_keys] or [base]
        if isinstance(path, list) and len(path) >= 2 and path[0] == "_entities" and isinstance(path[1], int):
            affected = owners[path[1]] if path[1] < len(owners) else []
            rest = path[2:]
        else:  # no index: the error concerns every object the fetch was for (GraphQL spec §7.1.2 "path")
            affected = [obj for objects in owners for obj in objects]
            rest = []
        mapped = []
        for obj in {id(o): o for o in affected}.values():
            for located in (p for path in node.paths for p in _locations(data, path, obj)):
                mapped.append({**base, "path": [*located, *rest]})
        return mapped or [{**base, "path": fallback} if (fallback := _fetch_path(node)) else base]


def _fetch_errors(node: FetchNode, message: str, code: str) -> list[dict[str, Any]]:
    """Errors for a whole failed fetch at the client paths it stands for (GraphQL spec §7.1.2: a field error
    names its field's path, never `path: null`): each root field of a root fetch, else the merge path."""
    error: dict[str, Any] = {"message": message, "extensions": {"code": code, "serviceName": node.subgraph}}
    if node.entity is None and node.response_keys:
        return [{**error, "path": [key]} for key in node.response_keys]
    path = _fetch_path(node)
    return [{**error, "path": path} if path else error]


def _fetch_path(node: FetchNode) -> list[str | int] | None:
    """The client path a whole failed fetch stands for: its merge path up to the first list."""
    path: list[str | int] = []
    for segment in node.path:
        if segment == "@":
            break
        if segment_types(segment) is None:
            path.append(segment)
    return path or None


def _locations(data: Any, path: tuple[str, ...], target: dict[str, Any]) -> Iterator[list[str | int]]:
    """Every concrete client path (with list indices) where `target` sits along plan path `path`.

    One merged object can sit at several positions (a deduplicated representation's result is merged into
    every object that asked for it).
    """
    if not path:
        if data is target:
            yield []
        return
    segment, rest = path[0], path[1:]
    kept = segment_types(segment)
    if kept is not None:
        if isinstance(data, dict) and data.get("__typename") in kept:
            yield from _locations(data, rest, target)
        return
    if segment == "@":
        if isinstance(data, list):
            for index, item in enumerate(data):
                for found in _locations(item, rest, target):
                    yield [index, *found]
        return
    if not isinstance(data, dict):
        return
    value = data.get(segment)
    if isinstance(value, list) and (not rest or rest[0] != "@"):
        for index, item in enumerate(value):
            for found in _locations(item, rest, target):
                yield [segment, index, *found]
    elif value is not None:
        for found in _locations(value, rest, target):
            yield [segment, *found]

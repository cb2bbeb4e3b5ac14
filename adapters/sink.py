"""Applying mapped records at the gateway, as the adapter's machine client, through a bulk mutation.

Transport failures (the gateway or the provider away) are tried again with backoff and jitter, then reported as
transient. A batch the gateway refuses as a whole (a field no record can carry, a scope missing) is split record
by record, so one bad record is refused on its own and the others are applied.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from adapters.protocol import Outcome, RecordOutcome
from adapters.targets import Target
from kernel.jobs.retry import RetryPolicy, TransientError
from kernel.machine_client import GraphClient, GraphUnavailable
from subgraphs.common.imports import MAX_BATCH
from subgraphs.integration.store import Reason

Item = tuple[str, Mapping[str, Any]]
"""A record's reference and its target input."""


@dataclass(slots=True)
class GraphSink:
    """Bulk mutations at the gateway through one machine client."""

    graph: GraphClient
    retry: RetryPolicy = field(default_factory=lambda: RetryPolicy(tries=5, first_delay=0.5, max_delay=10.0))
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    calls: int = 0

    async def apply(self, target: Target, items: Sequence[Item]) -> dict[str, RecordOutcome]:
        """Each item's outcome by reference."""
        outcomes: dict[str, RecordOutcome] = {}
        for start in range(0, len(items), MAX_BATCH):
            outcomes.update(await self._chunk(target, items[start : start + MAX_BATCH]))
        return outcomes

    async def _chunk(self, target: Target, items: Sequence[Item]) -> dict[str, RecordOutcome]:
        body = await self._post(target, items)
        data = body.get("data") or {}
        if data.get(target.field) is not None:
            return {answer["ref"]: _outcome(answer) for answer in data[target.field]}
        errors = body.get("errors") or [{"message": "the gateway gave no answer", "extensions": {}}]
        if len(items) > 1:  # refused as a whole: find the record(s) at fault
            found: dict[str, RecordOutcome] = {}
            for item in items:
                found.update(await self._chunk(target, [item]))
            return found
        (ref, _), error = items[0], errors[0]
        code = str((error.get("extensions") or {}).get("code", "BAD_USER_INPUT"))
        return {ref: RecordOutcome(ref, Outcome.REJECTED, (Reason(None, code, str(error.get("message"))),))}

    async def _post(self, target: Target, items: Sequence[Item]) -> dict[str, Any]:
        elements = [target.element(ref, item) for ref, item in items]
        for attempt in range(1, self.retry.tries + 1):
            self.calls += 1
            try:
                body = await self.graph.query(target.document, {"items": elements})
            except GraphUnavailable as error:
                problem = error.message
            else:
                busy = _gateway_busy(body)
                if busy is None:
                    return body
                problem = busy
            if self.retry.gives_up_after(attempt):
                raise TransientError(f"the gateway did not take {target.name}: {problem}")
            await self.sleep(self.retry.delay(attempt))
        raise AssertionError("unreachable")  # pragma: no cover


GATEWAY_BUSY = frozenset({"VALIDATION_BUDGET_EXCEEDED"})
"""Refusals that say the gateway was short of time, not that the records are wrong: tried again, never quarantined."""


def _gateway_busy(body: Mapping[str, Any]) -> str | None:
    if body.get("data"):
        return None
    for error in body.get("errors") or ():
        if (error.get("extensions") or {}).get("code") in GATEWAY_BUSY:
            return str(error.get("message"))
    return None


def _outcome(answer: Mapping[str, Any]) -> RecordOutcome:
    status = Outcome(answer["status"])
    if status is not Outcome.REJECTED:
        return RecordOutcome(answer["ref"], status)
    reason = Reason(answer.get("field"), str(answer.get("code")), str(answer.get("message")))
    return RecordOutcome(answer["ref"], status, (reason,))

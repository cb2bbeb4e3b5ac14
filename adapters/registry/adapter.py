"""The registry adapter: changes read in change-number order after the checkpoint; a gap stops the run before it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx

from adapters.errors import AdapterCode
from adapters.protocol import SourceBatch, SourceRecord
from adapters.registry.client import RegistryClient
from adapters.registry.mapping import to_registry_change
from adapters.sync import SourceUnavailable
from adapters.targets import REGISTRY_CHANGES


@dataclass(slots=True)
class RegistryAdapter:
    client: RegistryClient
    name: str = "registry"
    target: str = REGISTRY_CHANGES.name

    async def read(self, checkpoint: str | None, size: int) -> AsyncIterator[SourceBatch]:
        after = int(checkpoint or 0)
        first_page = checkpoint is None  # a first sync starts wherever the registry's log starts
        while True:
            page = await self.client.changes_after(after, size)
            if not page.changes:
                return
            start = int(page.changes[0]["changeNo"]) if first_page else after + 1
            first_page = False
            run = _contiguous(page.changes, start)
            if run:
                yield self._batch(run)
                after = int(run[-1]["changeNo"])
            if len(run) < len(page.changes):  # apply what comes before the gap, then stop
                following = int(page.changes[len(run)]["changeNo"])
                raise SourceUnavailable(
                    f"the registry's answer after change {after} lacks change(s) {_span(after + 1, following - 1)}; "
                    "stopped before the gap (the next run asks again)",
                    code=AdapterCode.SOURCE_GAP,
                )

    def _batch(self, changes: list[dict[str, str]]) -> SourceBatch:
        records = [SourceRecord(f"change {change['changeNo']}", change) for change in changes]
        return SourceBatch("registry", records, checkpoint=changes[-1]["changeNo"])

    def map(self, record: SourceRecord) -> dict[str, Any]:
        return to_registry_change(record.fields)


def _contiguous(changes: list[dict[str, str]], start: int) -> list[dict[str, str]]:
    """The changes numbered ``start``, ``start + 1``, … up to the first one missing."""
    run = []
    for offset, change in enumerate(changes):
        if int(change["changeNo"]) != start + offset:
            break
        run.append(change)
    return run


def _span(first: int, last: int) -> str:
    return str(first) if first >= last else f"{first}–{last}"


@asynccontextmanager
async def open_registry(address: str, answer_within: float) -> AsyncIterator[RegistryAdapter]:
    """The registry adapter on its own HTTP client for one run (each call answered within ``answer_within`` s)."""
    async with httpx.AsyncClient(timeout=answer_within) as http:
        yield RegistryAdapter(RegistryClient(address, http))

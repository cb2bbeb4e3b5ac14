"""The contract every legacy adapter keeps, on its real source through a running hub: good records applied, bad
ones quarantined with a reason per field, a second sync reads nothing new, and records offered again change
nothing in the target — each adapter writing as its own machine client."""

from __future__ import annotations

from contextlib import AsyncExitStack
from pathlib import Path

import pytest
from sqlalchemy import select

from adapters.component import SPECS
from adapters.sync import sync
from subgraphs.integration.models import AdapterStateRow, RejectionRow
from subgraphs.integration.vocabulary import RunStatus
from tests.adapters.harness import sink, source
from tests.support.hub import RunningHub

GOOD, BAD = 12, 2


@pytest.mark.parametrize("name", sorted(SPECS))
async def test_the_adapter_contract(name: str, hub: RunningHub, stack: AsyncExitStack, tmp_path: Path) -> None:
    legacy = source(name, hub, stack, tmp_path / "drop")
    await legacy.prepare(GOOD, BAD)
    database = hub.hub.database
    before = await legacy.in_target()

    async with legacy.open() as adapter:
        first = await sync(adapter, database, sink(hub, name), batch=5)
    assert (first.status, first.counts.read, first.counts.applied, first.counts.rejected) == (
        RunStatus.SUCCEEDED,
        GOOD + BAD,
        GOOD,
        BAD,
    ), first
    assert await legacy.in_target() == before + GOOD
    async with database.transaction() as session:
        quarantined = (await session.scalars(select(RejectionRow).where(RejectionRow.adapter == name))).all()
        state = await session.get(AdapterStateRow, name)
    assert len(quarantined) == BAD
    for rejection in quarantined:
        assert rejection.record and rejection.reasons, rejection
        assert all(reason["code"] and reason["message"] for reason in rejection.reasons)
    assert state is not None and state.caught_up_at is not None

    async with legacy.open() as adapter:
        second = await sync(adapter, database, sink(hub, name))
    assert (second.status, second.counts.applied) == (RunStatus.SUCCEEDED, 0)

    await legacy.offer_again()
    async with legacy.open() as adapter:
        again = await sync(adapter, database, sink(hub, name), batch=5)
    assert again.status is RunStatus.SUCCEEDED and again.counts.applied == 0, again
    assert await legacy.in_target() == before + GOOD, "records offered again were applied twice"

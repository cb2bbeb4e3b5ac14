"""A running hub (real provider, gateway and subgraphs on a fresh PostgreSQL database) for adapter tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from pathlib import Path

import pytest

from tests.support.hub import RunningHub, running_hub


@pytest.fixture
async def hub(postgres_database_url: str, tmp_path: Path) -> AsyncIterator[RunningHub]:
    async with running_hub(postgres_database_url, tmp_path / "hub") as running:
        yield running


@pytest.fixture
async def stack() -> AsyncIterator[AsyncExitStack]:
    async with AsyncExitStack() as resources:
        yield resources

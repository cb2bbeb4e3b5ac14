"""Real Triton for the inference tests: started once for the module that needs it, on free ports, then stopped."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from inference.triton import TritonServer, running


@pytest.fixture(scope="session")
async def triton(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[TritonServer]:
    async with running(tmp_path_factory.mktemp("triton")) as server:
        yield server


@pytest.fixture(scope="session")
def held_out() -> Path:
    return Path(__file__).parent

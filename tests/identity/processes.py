"""Several provider processes over one database and one Redis, as a deployment runs them."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from pathlib import Path

from tests.gateway.servers import free_port

REPO = Path(__file__).resolve().parents[2]


@asynccontextmanager
async def providers(count: int, database_url: str, environ: Mapping[str, str]) -> AsyncIterator[list[str]]:
    """``count`` provider processes (``tests.identity.provider_process``); yields their base URLs."""
    started: list[tuple[asyncio.subprocess.Process, str]] = []
    try:
        for _ in range(count):
            port = free_port()
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "tests.identity.provider_process", str(port), database_url,
                cwd=REPO, env={**os.environ, **environ}, stdout=asyncio.subprocess.PIPE,
            )  # fmt: skip
            assert process.stdout is not None
            line = await asyncio.wait_for(process.stdout.readline(), timeout=30)
            assert line.strip() == b"ready", line
            started.append((process, f"http://127.0.0.1:{port}"))
        yield [url for _, url in started]
    finally:
        for process, _ in started:
            process.terminate()
            await process.wait()

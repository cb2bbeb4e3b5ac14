"""Child processes whose output lines are collected as they come: the split topology's components
(``hub.split``), and the tests that wait for a line before they act."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import Callable, Mapping, Sequence


class Child:
    """A child process whose stdout and stderr lines are collected (and, with ``echo``, passed on as they come)."""

    def __init__(self, process: asyncio.subprocess.Process, echo: Callable[[str], None] | None = None) -> None:
        self.process = process
        self.lines: list[str] = []
        self._echo = echo
        self._reader = asyncio.create_task(self._read())

    @classmethod
    async def start(
        cls,
        args: Sequence[str],
        env: Mapping[str, str],
        *,
        inherit: bool = True,
        echo: Callable[[str], None] | None = None,
    ) -> Child:
        """Run ``args`` with ``env`` over this process's environment, or (``inherit=False``) with ``env`` alone
        besides ``PATH`` — a process configured only by what a deployment sets."""
        base = os.environ if inherit else {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
        process = await asyncio.create_subprocess_exec(
            *args,
            env={**base, **env},
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
            start_new_session=True,  # a Ctrl-C at the terminal reaches the launcher only, which stops each in turn
        )
        return cls(process, echo)

    async def _read(self) -> None:
        assert self.process.stdout is not None
        async for raw in self.process.stdout:
            line = raw.decode("utf-8", "replace").rstrip()
            self.lines.append(line)
            if self._echo is not None:
                self._echo(line)

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

    @property
    def running(self) -> bool:
        return self.process.returncode is None

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

"""Headless Chromium (Debian's ``chromium``, installed by ``make browser``) driven over the DevTools protocol: open a
page at a given viewport, evaluate JavaScript in it, take a screenshot. No test framework's own browser download."""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import re
import shutil
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import websockets

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--remote-debugging-port=0",
)


@dataclass
class Page:
    """One tab, attached over the browser's DevTools connection (flat sessions)."""

    connection: Any
    session: str
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    events: list[dict[str, Any]] = field(default_factory=list)

    async def send(self, method: str, **params: Any) -> dict[str, Any]:
        ident = next(self._ids) + 1000
        await self.connection.send(
            json.dumps({"id": ident, "method": method, "params": params, "sessionId": self.session})
        )
        while True:
            message = json.loads(await self.connection.recv())
            if message.get("id") == ident:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                result: dict[str, Any] = message.get("result", {})
                return result
            self.events.append(message)

    async def open(self, url: str, width: int, height: int, *, mobile: bool = False, language: str = "") -> None:
        """Load ``url`` at a viewport of ``width`` × ``height`` CSS pixels, the browser asking for ``language``
        (Accept-Language), and wait for its load event."""
        await self.send("Page.enable")
        if language:
            await self.send("Network.enable")
            await self.send("Network.setExtraHTTPHeaders", headers={"Accept-Language": language})
        await self.send(
            "Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=mobile
        )
        self.events.clear()
        await self.send("Page.navigate", url=url)
        while not any(event.get("method") == "Page.loadEventFired" for event in self.events):
            self.events.append(json.loads(await asyncio.wait_for(self.connection.recv(), timeout=20)))

    async def submit(self, script: str) -> None:
        """Run ``script`` (which submits a form) and wait for the next page's load event."""
        self.events.clear()
        await self.evaluate(script)
        while not any(event.get("method") == "Page.loadEventFired" for event in self.events):
            self.events.append(json.loads(await asyncio.wait_for(self.connection.recv(), timeout=20)))

    async def evaluate(self, expression: str) -> Any:
        """The JSON value of a JavaScript expression in the page."""
        answer = await self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in answer:
            raise RuntimeError(answer["exceptionDetails"])
        return answer["result"].get("value")

    async def screenshot(self) -> bytes:
        """The whole page as PNG."""
        shot = await self.send("Page.captureScreenshot", format="png", captureBeyondViewport=True)
        return base64.b64decode(shot["data"])


def executable() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    assert found, "headless Chromium is needed for the page checks: `make browser` installs Debian's chromium"
    return found


@asynccontextmanager
async def chromium() -> AsyncIterator[Page]:
    """A fresh headless Chromium with an empty profile, and one tab in it."""
    profile = tempfile.mkdtemp(prefix="zhijian-chromium-")
    process = await asyncio.create_subprocess_exec(
        executable(), *FLAGS, f"--user-data-dir={profile}", "about:blank",
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        assert process.stderr is not None
        endpoint = None
        while endpoint is None:
            line = (await asyncio.wait_for(process.stderr.readline(), timeout=30)).decode()
            assert line, "chromium exited before it listened"
            found = re.search(r"DevTools listening on (ws://\S+)", line)
            endpoint = found.group(1) if found else None
        async with websockets.connect(endpoint, max_size=50_000_000) as connection:
            await connection.send(
                json.dumps({"id": 1, "method": "Target.createTarget", "params": {"url": "about:blank"}})
            )
            target = await _answer(connection, 1)
            attach = {"targetId": target["targetId"], "flatten": True}
            await connection.send(json.dumps({"id": 2, "method": "Target.attachToTarget", "params": attach}))
            session = (await _answer(connection, 2))["sessionId"]
            yield Page(connection, session)
    finally:
        process.terminate()
        await process.wait()
        shutil.rmtree(profile, ignore_errors=True)


async def _answer(connection: Any, ident: int) -> dict[str, Any]:
    while True:
        message = json.loads(await connection.recv())
        if message.get("id") == ident:
            result: dict[str, Any] = message["result"]
            return result

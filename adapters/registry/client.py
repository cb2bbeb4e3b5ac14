"""The registry's WebService through zeep: ``GetChanges(afterChangeNo, maxCount)``, retried on SOAP faults and
timeouts with backoff and jitter, then reported as the source being unavailable."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import httpx
from zeep import AsyncClient, Settings
from zeep.exceptions import Fault, TransportError, XMLSyntaxError
from zeep.proxy import AsyncServiceProxy
from zeep.transports import AsyncTransport

from adapters.errors import AdapterCode
from adapters.registry.records import Change
from adapters.registry.simulator import FIELDS
from adapters.sync import SourceUnavailable
from kernel.jobs.retry import RetryPolicy

BINDING = "{urn:szamr:registry:v1}RegistryBinding"
WSDL_FILE = str(resources.files("adapters.registry").joinpath("registry.wsdl"))
"""The service's published WSDL, kept with the adapter (its address is configured separately)."""


@dataclass(frozen=True, slots=True)
class ChangePage:
    last_change_no: int
    """The registry's newest change number (how far behind we are)."""
    changes: list[Change]


@dataclass(slots=True)
class RegistryClient:
    address: str
    http: httpx.AsyncClient
    retry: RetryPolicy = field(default_factory=lambda: RetryPolicy(tries=4, first_delay=1.0, max_delay=15.0))
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    failures: list[str] = field(default_factory=list)
    """What went wrong on each failed try (for the run's report)."""
    _service: Any = None

    def _operations(self) -> Any:
        if self._service is None:
            client = AsyncClient(WSDL_FILE, transport=AsyncTransport(client=self.http), settings=Settings(strict=False))
            self._service = AsyncServiceProxy(client, client.wsdl.bindings[BINDING], address=self.address)
        return self._service

    async def changes_after(self, change_no: int, max_count: int) -> ChangePage:
        """The next changes after ``change_no``; ``SourceUnavailable`` when every try failed."""
        for attempt in range(1, self.retry.tries + 1):
            try:
                answer = await self._operations().GetChanges(afterChangeNo=change_no, maxCount=max_count)
            except (Fault, TransportError, XMLSyntaxError, httpx.TransportError) as error:
                self.failures.append(_describe(error))
                if self.retry.gives_up_after(attempt):
                    raise SourceUnavailable(
                        f"the registry failed {attempt} times after change {change_no}: {self.failures[-1]}",
                        code=AdapterCode.SOURCE_UNAVAILABLE,
                    ) from error
                await self.sleep(self.retry.delay(attempt))
                continue
            changes = [
                {name: str(value) for name in FIELDS if (value := getattr(item, name, None)) is not None}
                for item in (answer.change or [])
            ]
            return ChangePage(int(answer.lastChangeNo), changes)
        raise AssertionError("unreachable")  # pragma: no cover


def _describe(error: Exception) -> str:
    if isinstance(error, Fault):
        return f"SOAP fault {error.code}: {error.message}"
    if isinstance(error, httpx.TimeoutException):
        return f"no answer in time ({type(error).__name__})"
    return f"{type(error).__name__}: {error}"

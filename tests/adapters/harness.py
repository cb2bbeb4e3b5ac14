"""Each adapter on a real source — its simulator over real HTTP, a second PostgreSQL database as the 前置库, a drop
folder — writing through a running hub (provider, gateway, subgraphs) as its own machine client."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import httpx
from sqlalchemy import func, select, text, update

from adapters.component import AdapterServices
from adapters.exchange import tables as exchange
from adapters.exchange.adapter import ExchangeAdapter
from adapters.files.adapter import FileDropAdapter
from adapters.files.mapping import COLUMNS
from adapters.protocol import LegacyAdapter
from adapters.registry.adapter import open_registry
from adapters.registry.records import generate_changes
from adapters.registry.simulator import RegistryLog
from adapters.registry.simulator import create_app as registry_app
from adapters.resilience import CircuitBreaker, RateLimit
from adapters.rest.adapter import RestAdapter, RestClient
from adapters.rest.simulator import PermitApi, generate_permits
from adapters.rest.simulator import create_app as rest_app
from adapters.sink import GraphSink
from kernel.db import Database
from kernel.orgtree import default_org_tree
from kernel.uscc import complete_uscc
from subgraphs.entities.models import CreditListingRow, MarketEntityRow
from subgraphs.entities.seed import seed_entities
from subgraphs.integration.models import AdapterStateRow
from subgraphs.permits.models import PermitRow
from subgraphs.permits.numbers import placeholder_check_digit
from tests.conftest import _drop_postgres_database, _fresh_postgres_database
from tests.gateway.servers import serving
from tests.support.hub import RunningHub
from tests.support.services import postgres_url

TODAY = dt.date(2026, 5, 1)
LISTED_ON = dt.date(2025, 7, 1)


def sink(hub: RunningHub, name: str) -> GraphSink:
    """The adapter's own machine client at the hub's gateway."""
    services: AdapterServices = hub.hub.jobs.services["adapters"]
    return services.sink(name)


async def count(database: Database, model: Any) -> int:
    async with database.transaction() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def rewind(database: Database, adapter: str) -> None:
    """The checkpoint lost (a crash between applying a batch and recording it): the source offers it again."""
    async with database.transaction() as session:
        await session.execute(update(AdapterStateRow).where(AdapterStateRow.adapter == adapter).values(checkpoint=None))


class Source(Protocol):
    """One adapter's source, prepared with ``good`` records that apply and ``bad`` ones that must be refused."""

    name: str

    async def prepare(self, good: int, bad: int) -> None: ...

    def open(self) -> AbstractAsyncContextManager[LegacyAdapter]: ...

    async def in_target(self) -> int:
        """Records of this source's kind in the target tables (what a test counts: 0 lost, 0 twice)."""
        ...

    async def offer_again(self) -> None:
        """The source offers what was applied once more (a lost checkpoint, a row touched, a file dropped again)."""
        ...


@dataclass
class RegistrySource:
    """The registry's simulator over real HTTP."""

    hub: RunningHub
    stack: AsyncExitStack
    name: str = "registry"
    url: str = ""

    async def prepare(self, good: int, bad: int) -> None:
        changes = [c for c in generate_changes(good * 2, seed=7) if c["changeType"] == "SL"][:good]
        for number, change in enumerate(changes, start=1):
            change["changeNo"] = str(number)
        changes += [dict(changes[0], uscc="91440300MA5H7K2P13", changeNo=str(good + n + 1)) for n in range(bad)]
        self.url = await self.stack.enter_async_context(serving(registry_app(RegistryLog(changes=changes))))

    def open(self) -> AbstractAsyncContextManager[LegacyAdapter]:
        return open_registry(f"{self.url}/registry", 10.0)

    async def in_target(self) -> int:
        return await count(self.hub.hub.database, MarketEntityRow)

    async def offer_again(self) -> None:
        await rewind(self.hub.hub.database, self.name)


@dataclass
class ExchangeSource:
    """A second PostgreSQL database as the 前置库, entities seeded in ours for the listings to name."""

    hub: RunningHub
    stack: AsyncExitStack
    name: str = "exchange"
    baseline: int = 0
    database: Database | None = None

    async def prepare(self, good: int, bad: int) -> None:
        ours = self.hub.hub.database
        await seed_entities(ours, good * 4, today=TODAY, tree=default_org_tree(), progress=False)
        self.baseline = await count(ours, CreditListingRow)
        unlisted = await unlisted_entities(ours, good)
        self.database = await exchange_database(self.stack)
        rows = [{"tyshxydm": uscc, "lrlx": "01", "lrrq": LISTED_ON.isoformat(), "zcjg": ""} for uscc in unlisted]
        rows += [{"tyshxydm": unlisted[0], "lrlx": "99", "lrrq": "2025-13-01", "zcjg": ""} for _ in range(bad)]
        await exchange.publish(self.database, rows, dt.datetime(2026, 5, 1, 8, tzinfo=dt.UTC))

    @asynccontextmanager
    async def _open(self) -> AsyncIterator[LegacyAdapter]:
        assert self.database is not None
        yield ExchangeAdapter(self.database)

    def open(self) -> AbstractAsyncContextManager[LegacyAdapter]:
        return self._open()

    async def in_target(self) -> int:
        return await count(self.hub.hub.database, CreditListingRow) - self.baseline

    async def offer_again(self) -> None:
        assert self.database is not None
        async with self.database.transaction() as session:
            await session.execute(update(exchange.listings).values(zj_synced_version=None))
            await session.execute(text("DELETE FROM exchange.zj_watermark"))


@dataclass
class FileSource:
    """A drop folder with a GBK-encoded permit ledger."""

    hub: RunningHub
    folder: Path
    name: str = "files"
    content: bytes = b""

    async def prepare(self, good: int, bad: int) -> None:
        rows = [legacy_permit_row(serial) for serial in range(1, good + 1)]
        rows += [dict(legacy_permit_row(good + n + 1), 许可证编号="JY123") for n in range(bad)]
        self.content = ledger_csv(rows).encode("gbk")
        drop(self.folder, "permits-2026-05.csv", self.content)

    @asynccontextmanager
    async def _open(self) -> AsyncIterator[LegacyAdapter]:
        yield FileDropAdapter(self.folder, self.hub.hub.database)

    def open(self) -> AbstractAsyncContextManager[LegacyAdapter]:
        return self._open()

    async def in_target(self) -> int:
        return await count(self.hub.hub.database, PermitRow)

    async def offer_again(self) -> None:
        drop(self.folder, "permits-2026-05 (2).csv", self.content)


@dataclass
class RestSource:
    """The permit system's REST simulator over real HTTP."""

    hub: RunningHub
    stack: AsyncExitStack
    name: str = "rest"
    url: str = ""

    async def prepare(self, good: int, bad: int) -> None:
        permits = generate_permits(good)
        permits += [dict(generate_permits(1, first=good + n + 1)[0], validTo="2021-01-01") for n in range(bad)]
        self.url = await self.stack.enter_async_context(serving(rest_app(PermitApi(permits))))

    @asynccontextmanager
    async def _open(self) -> AsyncIterator[LegacyAdapter]:
        async with httpx.AsyncClient(timeout=10.0) as http:
            breaker = CircuitBreaker(self.hub.hub.database, self.name)
            yield RestAdapter(RestClient(self.url, http, RateLimit(1000.0, burst=100.0), breaker))

    def open(self) -> AbstractAsyncContextManager[LegacyAdapter]:
        return self._open()

    async def in_target(self) -> int:
        return await count(self.hub.hub.database, PermitRow)

    async def offer_again(self) -> None:
        await rewind(self.hub.hub.database, self.name)


def source(name: str, hub: RunningHub, stack: AsyncExitStack, folder: Path) -> Source:
    if name == "registry":
        return RegistrySource(hub, stack)
    if name == "exchange":
        return ExchangeSource(hub, stack)
    if name == "files":
        return FileSource(hub, folder)
    return RestSource(hub, stack)


async def unlisted_entities(database: Database, limit: int) -> list[str]:
    """Existing entities on no credit list (the seed lists some) whose annual report for the year before
    :data:`LISTED_ON` was due by then: established before that year (one established in it files its first report
    the year after, and cannot be listed for missing it: ANNUAL_REPORT_NOT_YET_DUE)."""
    async with database.transaction() as session:
        found = await session.scalars(
            select(MarketEntityRow.uscc)
            .where(
                MarketEntityRow.status == "EXISTING",
                MarketEntityRow.established_on < dt.date(LISTED_ON.year, 1, 1),
                ~MarketEntityRow.uscc.in_(select(CreditListingRow.uscc)),
            )
            .order_by(MarketEntityRow.uscc)
            .limit(limit)
        )
        usccs = list(found)
    assert len(usccs) == limit
    return usccs


async def exchange_database(stack: AsyncExitStack) -> Database:
    """A fresh PostgreSQL database with the exchange tables, dropped when ``stack`` closes."""
    url, name = await _fresh_postgres_database(postgres_url())
    stack.push_async_callback(_drop_postgres_database, postgres_url(), name)
    database = Database.from_url(url, [exchange.SCHEMA])
    stack.push_async_callback(database.dispose)
    await exchange.create_tables(database.engine)
    return database


def drop(folder: Path, name: str, content: bytes) -> Path:
    """A sender drops a file."""
    path = folder / "incoming" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


def legacy_permit_row(serial: int) -> dict[str, str]:
    """A row of a district's permit ledger (the template's Chinese headers)."""
    body = f"24403040{serial:05d}"
    return {
        COLUMNS["number"]: f"JY{body}{placeholder_check_digit(body)}",
        COLUMNS["holder_uscc"]: _uscc(serial),
        COLUMNS["holder_name"]: f"深圳市华强北餐饮店{serial}",
        COLUMNS["premises"]: f"广东省深圳市福田区华强北街道振华路{serial}号",
        COLUMNS["region"]: "440304",
        COLUMNS["items"]: "热食类食品制售、冷食类食品制售",
        COLUMNS["valid_from"]: "2023-03-01",
        COLUMNS["valid_to"]: "2028-02-28",
        COLUMNS["status"]: "有效",
    }


def _uscc(serial: int) -> str:
    return complete_uscc(f"91440300MA5K{serial:05d}")


def ledger_csv(rows: list[dict[str, str]]) -> str:
    text_out = io.StringIO()
    writer = csv.DictWriter(text_out, fieldnames=list(COLUMNS.values()), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return text_out.getvalue()

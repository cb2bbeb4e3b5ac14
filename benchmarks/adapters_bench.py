"""Legacy adapters end to end (read → validated → applied through the gateway), each on its real source.

    python -m benchmarks.adapters_bench [--records 3000] [--url postgresql+asyncpg://…/zhijian_adapters_bench]

For each adapter: records/s over the whole sync, and where the time went (waiting on the source, mapping and
validating, applying at the gateway — the bulk mutation, a savepoint per record — and bookkeeping), naming the
slowest phase. The hub (provider, gateway, subgraphs) runs in this process on PostgreSQL; the SOAP and REST
simulators are served by uvicorn on local ports; the 前置库 is a second PostgreSQL database; the file is a GBK CSV.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import datetime as dt
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

import httpx
from sqlalchemy import select
from sqlalchemy.engine import make_url

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
from adapters.sync import RunReport, sync
from benchmarks.subgraph_harness import recreate_database
from gateway.settings import GatewaySettings
from hub.embedded import build_hub, migrate, open_database, provision_machine_clients
from hub.settings import Settings
from identity.settings import IdentitySettings
from kernel.db import Database
from kernel.orgtree import default_org_tree
from kernel.uscc import complete_uscc
from subgraphs.entities.models import CreditListingRow, MarketEntityRow
from subgraphs.entities.seed import seed_entities
from subgraphs.permits.numbers import placeholder_check_digit
from tests.gateway.servers import serving

DEFAULT_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/zhijian_adapters_bench"
LISTED_ON = dt.date(2025, 7, 1)


def write_ledger(path: Path, rows: int) -> None:
    """A GBK permit ledger of ``rows`` valid rows (the template's Chinese headers), written as a stream."""
    with path.open("w", encoding="gbk", newline="") as file:
        writer = csv.writer(file, lineterminator="\r\n")
        writer.writerow(COLUMNS.values())
        for serial in range(1, rows + 1):
            body = f"24403{serial:08d}"
            number, uscc = f"JY{body}{placeholder_check_digit(body)}", complete_uscc(f"91440300M{serial:08d}")
            premises = f"广东省深圳市福田区华强北街道振华路{serial % 999 + 1}号"
            items = "热食类食品制售、冷食类食品制售"
            writer.writerow([number, uscc, f"深圳市华强北餐饮店{serial}", premises, "440304", items, "2023-03-01",
                             "2028-02-28", "有效"])  # fmt: skip


async def measure(
    name: str, database: Database, services: AdapterServices, opened: AbstractAsyncContextManager[LegacyAdapter]
) -> RunReport:
    async with opened as adapter:
        began = time.perf_counter()
        report = await sync(adapter, database, services.sink(name))
        seconds = time.perf_counter() - began
    t = report.timings
    print(
        f"{name:<9} {report.counts.applied:>6} applied of {report.counts.read:>6} in {seconds:6.1f} s = "
        f"{report.counts.read / seconds:7.0f} records/s | source {t.source:5.1f} s, mapping {t.mapping:5.1f} s, "
        f"applying {t.applying:5.1f} s, bookkeeping {t.bookkeeping:5.1f} s → bottleneck: {t.slowest()}"
    )
    return report


async def main(records: int, url: str) -> None:
    await recreate_database(url)
    exchange_url = make_url(url).set(database=f"{make_url(url).database}_exchange").render_as_string(False)
    await recreate_database(exchange_url)
    folder = Path(tempfile.mkdtemp(prefix="zhijian-adapters-bench-"))
    settings = Settings.from_env({"ZHIJIAN_DATA_DIR": str(folder), "ZHIJIAN_DATABASE_URL": url})
    identity = IdentitySettings.from_env({"ZHIJIAN_IDENTITY_KEY_DIR": str(folder / "keys")})
    database = open_database(settings)
    await migrate(database)
    hub = build_hub(settings, database, identity, GatewaySettings.from_env({}))
    await provision_machine_clients(database, settings)
    services: AdapterServices = hub.jobs.services["adapters"]
    print(f"{records} records per adapter, PostgreSQL, hub in process, batches of 500")

    changes = [c for c in generate_changes(records * 2, seed=3) if c["changeType"] == "SL"][:records]
    for number, change in enumerate(changes, start=1):
        change["changeNo"] = str(number)
    async with serving(registry_app(RegistryLog(changes=changes))) as address:
        await measure("registry", database, services, open_registry(f"{address}/registry", 60.0))

    await seed_entities(database, records * 2, today=dt.date(2026, 5, 1), tree=default_org_tree(), progress=False)
    async with database.transaction() as session:
        usccs = (
            await session.scalars(
                select(MarketEntityRow.uscc)
                .where(MarketEntityRow.status == "EXISTING", MarketEntityRow.established_on < LISTED_ON,
                       ~MarketEntityRow.uscc.in_(select(CreditListingRow.uscc)))
                .limit(records)
            )
        ).all()  # fmt: skip
    other = Database.from_url(exchange_url, [exchange.SCHEMA])
    await exchange.create_tables(other.engine)
    rows = [{"tyshxydm": uscc, "lrlx": "01", "lrrq": LISTED_ON.isoformat(), "zcjg": ""} for uscc in usccs]
    await exchange.publish(other, rows, dt.datetime(2026, 5, 1, tzinfo=dt.UTC))
    await measure("exchange", database, services, _yield(ExchangeAdapter(other)))
    await other.dispose()

    (folder / "drop" / "incoming").mkdir(parents=True)
    write_ledger(folder / "drop" / "incoming" / "ledger.csv", records)
    await measure("files", database, services, _yield(FileDropAdapter(folder / "drop", database)))

    api = rest_app(PermitApi(generate_permits(records, first=records + 1)))
    async with serving(api) as address, httpx.AsyncClient(timeout=30.0) as http:
        rest = RestClient(address, http, RateLimit(1000.0, burst=50.0), CircuitBreaker(database, "rest"))
        await measure("rest", database, services, _yield(RestAdapter(rest)))

    for client in hub.clients:
        await client.aclose()
    await database.dispose()


def _yield(adapter: LegacyAdapter) -> AbstractAsyncContextManager[LegacyAdapter]:
    @asynccontextmanager
    async def opened() -> AsyncIterator[LegacyAdapter]:
        yield adapter

    return opened()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=3000)
    parser.add_argument("--url", default=DEFAULT_URL)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.records, arguments.url))

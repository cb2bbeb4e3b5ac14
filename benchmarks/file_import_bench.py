"""A 1,000,000-row permit ledger dropped as a GBK CSV: memory stays flat however long the file.

    python -m benchmarks.file_import_bench [--rows 1000000] [--apply 10000]

Prints, for reading + decoding + validating + mapping every row (the file adapter's own work, streamed in batches
of 500): rows/s, and the resident memory after 100,000 rows and at the end, with the peak. Then ``--apply N`` rows
end to end through a hub in this process (PostgreSQL), with the peak again: the gateway path costs time
(see ``adapters_bench``), not memory. The file is generated under a temporary folder (about 150 MB).
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import tempfile
import time
from pathlib import Path

from adapters.files.adapter import FileDropAdapter
from adapters.protocol import RecordRejected
from adapters.sync import sync
from benchmarks.adapters_bench import DEFAULT_URL, write_ledger
from benchmarks.subgraph_harness import recreate_database
from gateway.settings import GatewaySettings
from hub.embedded import build_hub, migrate, open_database, provision_machine_clients
from hub.settings import Settings
from identity.settings import IdentitySettings
from kernel.db import Database
from kernel.jobs import MIGRATIONS as JOB_MIGRATIONS
from kernel.migrations import upgrade
from subgraphs.integration.component import component as integration


def resident_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def read_and_map(folder: Path, database: Database) -> None:
    adapter = FileDropAdapter(folder, database)
    rows = refused = 0
    began = time.perf_counter()
    at_100k = 0.0
    async for batch in adapter.read(None, 500):
        for record in batch.records:
            try:
                adapter.map(record)
            except RecordRejected:
                refused += 1
        rows += len(batch.records)
        if not at_100k and rows >= 100_000:
            at_100k = resident_mb()
    seconds = time.perf_counter() - began
    print(f"read, decoded (GBK), validated and mapped {rows} rows ({refused} refused) in {seconds:.1f} s = "
          f"{rows / seconds:.0f} rows/s")  # fmt: skip
    print(f"resident memory after 100,000 rows {at_100k:.0f} MB, at the end {resident_mb():.0f} MB; "
          f"peak {peak_mb():.0f} MB")  # fmt: skip


async def end_to_end(folder: Path, rows: int, url: str) -> None:
    await recreate_database(url)
    settings = Settings.from_env({"ZHIJIAN_DATA_DIR": str(folder / "hub"), "ZHIJIAN_DATABASE_URL": url})
    identity = IdentitySettings.from_env({"ZHIJIAN_IDENTITY_KEY_DIR": str(folder / "keys")})
    database = open_database(settings)
    await migrate(database)
    hub = build_hub(settings, database, identity, GatewaySettings.from_env({}))
    await provision_machine_clients(database, settings)
    drop = folder / "apply"
    (drop / "incoming").mkdir(parents=True)
    write_ledger(drop / "incoming" / "ledger.csv", rows)
    began = time.perf_counter()
    report = await sync(FileDropAdapter(drop, database), database, hub.jobs.services["adapters"].sink("files"))
    seconds = time.perf_counter() - began
    print(f"end to end: {report.counts.applied} of {report.counts.read} rows applied in {seconds:.0f} s = "
          f"{report.counts.read / seconds:.0f} rows/s (bottleneck: {report.timings.slowest()}); "
          f"peak resident memory {peak_mb():.0f} MB")  # fmt: skip
    for client in hub.clients:
        await client.aclose()
    await database.dispose()


async def main(rows: int, apply: int, url: str) -> None:
    folder = Path(tempfile.mkdtemp(prefix="zhijian-file-bench-"))
    (folder / "incoming").mkdir()
    began = time.perf_counter()
    write_ledger(folder / "incoming" / "ledger.csv", rows)
    size = (folder / "incoming" / "ledger.csv").stat().st_size / 1e6
    print(f"wrote {rows} rows ({size:.0f} MB, GBK) in {time.perf_counter() - began:.0f} s; "
          f"resident memory before reading {resident_mb():.0f} MB")  # fmt: skip
    database = Database.from_url(f"sqlite+aiosqlite:///{folder / 'bench.db'}", ["jobs", "integration"])
    await upgrade(database, [JOB_MIGRATIONS, integration.migrations])
    await read_and_map(folder, database)
    await database.dispose()
    if apply:
        await end_to_end(folder, apply, url)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--apply", type=int, default=10_000, help="rows to import end to end (0: none)")
    parser.add_argument("--url", default=DEFAULT_URL)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.rows, arguments.apply, arguments.url))

"""``zhijian sync <adapter>``: one sync by hand, in this process, with a progress bar."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from tqdm import tqdm

from adapters.component import SPECS, AdapterServices, run_sync
from kernel.db import Database
from subgraphs.integration.store import Counts
from subgraphs.integration.vocabulary import RunStatus


def register(subparsers: Any) -> None:
    sync = subparsers.add_parser("sync", help="run one sync of a legacy adapter now (progress bar)")
    sync.add_argument("adapter", choices=sorted(SPECS))
    sync.add_argument("--batch", type=int, default=500, help="records per batch (default 500)")
    sync.add_argument("--no-progress", action="store_true", help="no progress bar")


async def run(args: argparse.Namespace, database: Database, services: AdapterServices) -> int:
    """Exit status: 0 when the source was read to its end, 1 when the run stopped early, 2 when not configured."""
    bar = tqdm(disable=args.no_progress, unit=" records", desc=f"sync {args.adapter}", file=sys.stderr)

    def progress(counts: Counts) -> None:
        bar.update(counts.read - bar.n)
        bar.set_postfix(applied=counts.applied, rejected=counts.rejected, duplicate=counts.duplicate)

    try:
        report = await run_sync(database, services, args.adapter, trigger="cli", batch=args.batch, progress=progress)
    finally:
        bar.close()
    if report is None:
        print(f"zhijian sync: the {args.adapter} adapter's source is not configured (see README, adapters)")
        return 2
    counts = report.counts
    print(
        f"run {report.run_id} {report.status.value}: read {counts.read}, applied {counts.applied}, "
        f"rejected {counts.rejected}, duplicate {counts.duplicate}" + (f" — {report.error}" if report.error else "")
    )
    return 0 if report.status is RunStatus.SUCCEEDED else 1

"""Enforcement subgraph benchmark on PostgreSQL: bulk seed of cases with chained evidence (COPY), case-list latency
at the subgraph, and ``verifyEvidenceChain`` over one case of 10,000 items against hashing the same files alone.

    python -m benchmarks.enforcement_bench seed [--count 100000] [--holders 20000] [--url …] [--evidence DIR]
    python -m benchmarks.enforcement_bench run  [--url …] [--evidence DIR] [--chain 10000]

Prints: seeding rate; cases first page, deep page, one party's, overdue-only, p50/p99; verifyEvidenceChain over
the long chain through HTTP, with the time to read and SHA-256 the same files in this process as the baseline.
The subgraph runs in its own uvicorn process (``serve``), as on :4004.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import time
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import Table, delete, func, insert, select

from benchmarks.permits_bench import holders
from benchmarks.subgraph_harness import recreate_database, report, serve_app, served_subgraph, timed, verifier
from kernel.db import Database
from kernel.migrations import upgrade
from subgraphs.common.ids import time_ordered_id
from subgraphs.common.pagination import encode_cursor
from subgraphs.enforcement.component import component
from subgraphs.enforcement.evidence import GENESIS, chain_digest
from subgraphs.enforcement.hashing import digest
from subgraphs.enforcement.models import CaseRow, EvidenceRow
from subgraphs.enforcement.seed import seed_cases
from subgraphs.enforcement.services import EnforcementServices
from subgraphs.enforcement.store import DirectoryEvidenceStore
from subgraphs.enforcement.vocabulary import HashAlgorithm

DEFAULT_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/zhijian_enforcement_bench"
DEFAULT_EVIDENCE = "/tmp/zhijian-enforcement-bench-evidence"
PORT = int(os.environ.get("ZHIJIAN_BENCH_PORT", "21104"))
"""Where ``serve`` listens; set ``ZHIJIAN_BENCH_PORT`` on a machine shared with other runs."""
_EVIDENCE: Table = EvidenceRow.__table__  # type: ignore[assignment]


def services(evidence: str) -> EnforcementServices:
    return EnforcementServices(evidence=DirectoryEvidenceStore(Path(evidence)))


async def long_chain(database: Database, store: EnforcementServices, case_id: str, length: int) -> None:
    """Append ``length`` items (1 KiB files) to one case's chain, as ``addEvidence`` would chain them."""
    at, previous, rows = store.now(), GENESIS, list[dict[str, object]]()
    for seq in range(1, length + 1):
        content = os.urandom(1024)
        evidence_id = time_ordered_id(at)
        row = {
            "id": evidence_id, "case_id": case_id, "seq": seq, "type": "ELECTRONIC_DATA", "title": f"截图 {seq}",
            "captured_at": at, "captured_by": ["officer-1", "officer-2"], "device_id": "bench", "location": None,
            "storage_uri": store.evidence.put(f"{case_id}/{evidence_id}", content), "algorithm": "SHA256",
            "content_hash": digest(HashAlgorithm.SHA256, content), "previous_hash": previous, "added_by": "bench",
            "added_at": at,
        }  # fmt: skip
        row["record_hash"] = previous = chain_digest(HashAlgorithm.SHA256, row)
        rows.append(row)
    async with database.transaction() as session:
        await session.execute(insert(_EVIDENCE), rows)


async def seed(url: str, count: int, holder_count: int, evidence: str, chain: int) -> None:
    await recreate_database(url)
    database = Database.from_url(url, [component.name])
    store = services(evidence)
    try:
        await upgrade(database, [component.migrations])
        began = time.perf_counter()
        # the bulk cases' files are kept in memory and dropped (300,000 tiny files would only load the shared disk);
        # the long chain, the one verified below, is written to the evidence directory
        await seed_cases(database, EnforcementServices(), count, holders(holder_count), progress=True)
        seconds = time.perf_counter() - began
        async with database.transaction() as session:
            case_id = await session.scalar(select(CaseRow.id).order_by(CaseRow.id).limit(1))
            await session.execute(delete(EvidenceRow).where(EvidenceRow.case_id == case_id))
        assert case_id is not None
        await long_chain(database, store, case_id, chain)
        async with database.engine.begin() as connection:
            await connection.exec_driver_sql("ANALYZE enforcement.enforcement_case")
            await connection.exec_driver_sql("ANALYZE enforcement.evidence")
    finally:
        await database.dispose()
    print(f"seeded {count:,} cases with evidence for {holder_count:,} parties in {seconds:.1f} s "
          f"({count / seconds:,.0f} cases/s); one case holds a chain of {chain:,} items")  # fmt: skip


async def run(url: str, evidence: str) -> None:
    database = Database.from_url(url, [component.name])
    async with database.transaction() as session:
        total = await session.scalar(select(func.count()).select_from(CaseRow))
        items = await session.scalar(select(func.count()).select_from(EvidenceRow))
        long_case, length = (
            await session.execute(
                select(EvidenceRow.case_id, func.count()).group_by(EvidenceRow.case_id).order_by(func.count().desc())
            )
        ).first() or ("", 0)
        deep = await session.scalar(select(CaseRow.id).order_by(CaseRow.id).offset((total or 1) * 9 // 10).limit(1))
        party = await session.scalar(select(CaseRow.party_uscc).limit(1))
        uris = list(await session.scalars(select(EvidenceRow.storage_uri).where(EvidenceRow.case_id == long_case)))
    await database.dispose()
    print(f"PostgreSQL database with {total:,} cases, {items:,} evidence items; {os.cpu_count()} CPUs on this box")
    page = (
        "query($a: String, $f: CaseFilter) { cases(first: 20, after: $a, filter: $f) "
        "{ edges { node { id stage stageDueOn overdue partyUscc } } pageInfo { hasNextPage endCursor } } }"
    )
    verify = "query($c: ID!) { verifyEvidenceChain(caseId: $c) { intact items problem } }"
    os.environ["ZHIJIAN_EVIDENCE_DIR"] = evidence  # the served subgraph reads the same files
    async with served_subgraph("benchmarks.enforcement_bench", url, PORT, 4) as client:
        for label, variables in (
            ("first page", {"a": None}),
            ("page at 90 % of the list", {"a": encode_cursor([deep or ""])}),
            ("one party", {"a": None, "f": {"partyUscc": party}}),
            ("overdue only", {"a": None, "f": {"overdue": True}}),
        ):
            for _ in range(5):
                await timed(client, page, variables)
            times = [(await timed(client, page, variables))[0] for _ in range(200)]
            report(f"cases {label}", times)
        indicators = "query($d: String) { caseIndicators(districtCode: $d) { stage cases overdue medianDays } }"
        for label, variables in (("the city", {"d": None}), ("one district (福田)", {"d": "440304"})):
            await timed(client, indicators, variables)
            times = [(await timed(client, indicators, variables))[0] for _ in range(20)]
            report(f"caseIndicators, {label}", times)
        store = DirectoryEvidenceStore(Path(evidence))
        for _ in range(3):
            seconds, body = await timed(client, verify, {"c": long_case})
            verdict = body["data"]["verifyEvidenceChain"]
            began = time.perf_counter()
            for uri in uris:
                hashlib.sha256(store.get(uri) or b"").hexdigest()
            baseline = time.perf_counter() - began
            print(
                f"verifyEvidenceChain over {length:,} items: {seconds:.2f} s (intact={verdict['intact']}); "
                f"baseline, reading and hashing the same files only: {baseline:.2f} s"
            )


def serve(url: str, evidence: str) -> None:
    """The subgraph alone in this process, as it runs on :4004 in production."""
    serve_app(component.create_app(Database.from_url(url, [component.name]), services(evidence), verifier()), PORT)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("seed", "run", "serve"):
        command = commands.add_parser(name)
        command.add_argument("--url", default=DEFAULT_URL)
        command.add_argument("--evidence", default=os.environ.get("ZHIJIAN_EVIDENCE_DIR", DEFAULT_EVIDENCE))
        if name == "seed":
            command.add_argument("--count", type=int, default=100_000)
            command.add_argument("--holders", type=int, default=20_000)
            command.add_argument("--chain", type=int, default=10_000)
    args = parser.parse_args(argv)
    if args.command == "seed":
        asyncio.run(seed(args.url, args.count, args.holders, args.evidence, args.chain))
    elif args.command == "serve":
        os.environ.setdefault("ZHIJIAN_EVIDENCE_DIR", args.evidence)
        serve(args.url, args.evidence)
    else:
        asyncio.run(run(args.url, args.evidence))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Supervision subgraph benchmark on PostgreSQL: the seed (COPY), a 5 % draw from a pool of 1,000,000 and its
verification, task list and indicator latency at the subgraph (in process, signed as the gateway signs).

    python -m benchmarks.supervision_bench [--targets 1000000] [--inspections 200000] [--url postgresql+asyncpg://…]

Prints: seeding rates; the draw (5 % of the pool) and verifyDraw in seconds, against the floor of the same run —
reading the pool's keys and weights alone; inspectionTasks (first page, a station's open tasks, deep page) and
supervisionIndicators p50/p99, against a ``{ __typename }`` round trip through the same app. The pool lies in one
district (福田) so that one district's plan draws from all of it.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from typing import Any

import httpx
from sqlalchemy import delete, func, select

from benchmarks.subgraph_harness import BENCH_SIGNER, percentile, recreate_database, report, timed, verifier
from kernel.db import Database, fetch_records
from kernel.forwarding import FORWARDED_IDENTITY_HEADER
from kernel.migrations import upgrade
from kernel.orgtree import default_org_tree
from kernel.principal import Principal
from kernel.uscc import complete_uscc
from subgraphs.common.component import Holder
from subgraphs.common.pagination import encode_cursor
from subgraphs.supervision.component import component
from subgraphs.supervision.models import (
    InspectionPlanRow,
    InspectionTargetRow,
    InspectionTaskGrantRow,
    InspectionTaskRow,
    TaskChangeRow,
    TaskInspectorRow,
)
from subgraphs.supervision.seed import seed_directories, seed_inspections
from subgraphs.supervision.services import SupervisionServices

DEFAULT_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/zhijian_supervision_bench"
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
FUTIAN = "440304"


def holders(count: int) -> list[Holder]:
    """``count`` distinct enterprises (valid USCCs) with premises spread over 福田's stations."""
    tree = default_org_tree()
    stations, district = tree.stations(FUTIAN), tree.district(FUTIAN)
    found = []
    for serial in range(count):
        digits, value = [], serial
        for _ in range(9):
            value, rest = divmod(value, 31)
            digits.append(ALPHABET[rest])
        station = stations[serial % len(stations)]
        premises = f"广东省深圳市{district.area}{station.area}示例路{serial % 999 + 1}号"
        uscc = complete_uscc("91440300" + "".join(reversed(digits)))
        found.append(Holder(uscc, f"深圳市基准餐饮有限公司{serial}", premises, district.region_codes[0]))
    return found


BUREAU_HEAD = Principal(
    subject="bench-futian-head",
    issuer="http://127.0.0.1:4010",
    roles=frozenset({"agency_head"}),
    scopes=frozenset({"openid", "supervision:write"}),
    org_path="440300/440304",
    client_id="zhijian-benchmark",
    expires_at=2**31 - 1,
)
"""The 福田 bureau's head: draws its district's plan and reads its tasks."""


class SignedHead(httpx.Auth):
    def auth_flow(self, request: httpx.Request) -> Any:
        request.headers[FORWARDED_IDENTITY_HEADER] = BENCH_SIGNER.sign(BUREAU_HEAD)
        yield request


DRAW = """mutation($input: DrawPlanInput!) { drawInspectionPlan(input: $input) { drawn plan { id poolSize } } }"""
VERIFY = "query($id: ID!) { verifyDraw(planId: $id) { matches drawn } }"
TASKS = """query($w: TaskFilter, $a: String) { inspectionTasks(where: $w, first: 20, after: $a) {
  edges { node { id status dueOn inspectors } } pageInfo { endCursor } } }"""
INDICATORS = "{ supervisionIndicators { byStatus { key count } overdueTasks randomCompletionRate } }"


async def main(url: str, targets: int, inspections: int, reuse: bool) -> None:
    if not reuse:
        await recreate_database(url)
    database = Database.from_url(url, [component.name])
    services = SupervisionServices()
    try:
        await upgrade(database, [component.migrations])
        if not reuse:
            await seed(database, services, targets, inspections)
        await measure(database, services)
    finally:
        await database.dispose()


async def seed(database: Database, services: SupervisionServices, targets: int, inspections: int) -> None:
    pool = holders(targets)
    began = time.perf_counter()
    written, inspectors = await seed_directories(database, services, pool)
    seconds = time.perf_counter() - began
    print(f"seeded {written:,} targets + {inspectors} inspectors in {seconds:.1f} s ({written / seconds:,.0f}/s)")
    began = time.perf_counter()
    await seed_inspections(database, services, inspections, pool, progress=False)
    seconds = time.perf_counter() - began
    print(
        f"seeded {inspections:,} inspected tasks with records and 2 findings each in {seconds:.1f} s "
        f"({inspections / seconds:,.0f} inspections/s)"
    )
    async with database.engine.begin() as connection:
        for table in ("inspection_target", "inspection_task", "inspection_record", "inspection_finding"):
            await connection.exec_driver_sql(f"ANALYZE supervision.{table}")


async def measure(database: Database, services: SupervisionServices) -> None:
    async with database.transaction() as session:
        began = time.perf_counter()
        statement = select(
            InspectionTargetRow.uscc, InspectionTargetRow.risk_grade, InspectionTargetRow.bad_credit
        ).where(InspectionTargetRow.district_code == FUTIAN)
        orm_rows = len((await session.execute(statement)).all())
        orm = time.perf_counter() - began
        began = time.perf_counter()
        floor_rows = len(await fetch_records(session, statement))
        floor = time.perf_counter() - began
    print(
        f"floor: reading the pool's {floor_rows:,} keys and weights as driver records: {floor:.2f} s "
        f"(as SQLAlchemy ORM rows: {orm_rows:,} in {orm:.2f} s)"
    )
    app = component.create_app(database, services, verifier())
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://in-process", auth=SignedHead()) as client:
        plan = {"name": "bench", "districtCode": FUTIAN, "items": ["FOOD-PROCESSING"], "ratio": 0.05}
        seconds, body = await timed(client, DRAW, {"input": plan})
        drawn = body["data"]["drawInspectionPlan"]
        print(
            f"draw 5 % of a pool of {drawn['plan']['poolSize']:,}: {drawn['drawn']:,} tasks in {seconds:.2f} s "
            f"({seconds / floor:.1f}x the floor)"
        )
        seconds, body = await timed(client, VERIFY, {"id": drawn["plan"]["id"]})
        print(f"verifyDraw: matches={body['data']['verifyDraw']['matches']} in {seconds:.2f} s")
        async with database.transaction() as session:
            oldest = await session.scalar(select(InspectionPlanRow.id).order_by(InspectionPlanRow.drawn_at).limit(1))
        if oldest != drawn["plan"]["id"]:  # a plan an earlier build drew (--reuse) still verifies
            seconds, body = await timed(client, VERIFY, {"id": oldest})
            print(f"verifyDraw of the oldest plan: matches={body['data']['verifyDraw']['matches']} in {seconds:.2f} s")
        async with database.engine.connect() as connection:  # as autovacuum does within a minute of the draw's
            for table in ("task_inspector", "inspection_task", "task_tally"):  # 150,000 new rows
                await connection.exec_driver_sql(f"ANALYZE supervision.{table}")
        async with database.transaction() as session:
            total = int(await session.scalar(select(func.count()).select_from(InspectionTaskRow)) or 0)
            deep = await session.scalar(
                select(InspectionTaskRow.id).order_by(InspectionTaskRow.id).offset(total * 9 // 10).limit(1)
            )
        station = default_org_tree().stations(FUTIAN)[0].code
        baseline = [(await timed(client, "{ __typename }", {}))[0] for _ in range(200)]
        report("baseline { __typename }", baseline)
        for label, variables in (
            ("inspectionTasks first page", {"w": None, "a": None}),
            ("inspectionTasks, one station's assigned", {"w": {"stationCode": station, "statuses": ["ASSIGNED"]}}),
            ("inspectionTasks at 90 % of the list", {"w": None, "a": encode_cursor([deep or ""])}),
        ):
            times = [(await timed(client, TASKS, variables))[0] for _ in range(200)]
            report(f"{label} ({total:,} tasks)", times)
            print(f"  p99 ratio to baseline: {percentile(times, 0.99) / percentile(baseline, 0.99):.1f}x")
        times = [(await timed(client, INDICATORS, {}))[0] for _ in range(20)]
        report("supervisionIndicators (福田 bureau)", times)
    await forget(database, drawn["plan"]["id"])


async def forget(database: Database, plan_id: str) -> None:
    """Remove the plan this run drew, with its tasks: the next ``--reuse`` run measures the same data."""
    tasks = select(InspectionTaskRow.id).where(InspectionTaskRow.plan_id == plan_id)
    async with database.transaction() as session:
        for model, column in (
            (TaskChangeRow, TaskChangeRow.task_id),
            (TaskInspectorRow, TaskInspectorRow.task_id),
            (InspectionTaskGrantRow, InspectionTaskGrantRow.record_id),
        ):
            await session.execute(delete(model).where(column.in_(tasks)))
        await session.execute(delete(InspectionTaskRow).where(InspectionTaskRow.plan_id == plan_id))
        await session.execute(delete(InspectionPlanRow).where(InspectionPlanRow.id == plan_id))
    # 340,000 rows written and removed again: vacuumed and analysed, so the next run plans against the table as it
    # is (stale statistics of a bloated task_inspector made its loader a 9 ms sequential scan of dead rows)
    async with database.engine.connect() as connection:
        autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
        for table in ("task_change", "task_inspector", "inspection_task_grant", "inspection_task", "task_tally"):
            await autocommit.exec_driver_sql(f"VACUUM ANALYZE supervision.{table}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=DEFAULT_URL)
    parser.add_argument("--targets", type=int, default=1_000_000)
    parser.add_argument("--inspections", type=int, default=200_000)
    parser.add_argument("--reuse", action="store_true", help="measure on the database a previous run seeded")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.url, arguments.targets, arguments.inspections, arguments.reuse))

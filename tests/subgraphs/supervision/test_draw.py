"""双随机: the draw's algorithm (uniform for equal weights, weighted for risk and credit, recusal with redraw,
reproducible) and the plan through the subgraph (recorded, verifiable, published, refusals coded)."""

from __future__ import annotations

import dataclasses
import heapq
import math
from collections import Counter

import pytest

from kernel.errors import ClientError
from kernel.principal import Principal
from subgraphs.common.jurisdiction import Jurisdiction, open_request_session, request_sessions
from subgraphs.supervision.component import component
from subgraphs.supervision.draw import (
    DrawInputs,
    PlanRequest,
    Pool,
    Target,
    gather,
    pair,
    rank_in_database,
    ranked,
    select_targets,
    uniform,
)
from subgraphs.supervision.models import InspectionPlanRow, InspectionTargetRow, InspectionTaskRow, TaskInspectorRow
from subgraphs.supervision.services import SupervisionServices
from tests.subgraphs.supervision.conftest import (
    FUTIAN,
    HEAD,
    HUAQIANGBEI,
    YUANLING,
    Subgraph,
    add_conflict,
    add_inspectors,
    add_targets,
    inspector,
    uscc,
)
from tests.subgraphs.supervision.operations import DRAW, INDICATORS, PUBLISH, RECORD, START, TASKS, VERIFY
from tests.support.components import migrated
from tests.support.identities import officer


def targets(n: int, weight: float = 1.0) -> list[Target]:
    return [Target(f"T{i:04d}", FUTIAN, HUAQIANGBEI, weight) for i in range(n)]


def chi_square_critical(df: int, z: float = 3.09) -> float:
    """The chi-square quantile at p = 0.999 (z = 3.09), Wilson–Hilferty."""
    return df * (1 - 2 / (9 * df) + z * math.sqrt(2 / (9 * df))) ** 3


def test_equal_weights_are_drawn_uniformly() -> None:
    pool, size, rounds = targets(100), 10, 3000
    counts = Counter(t.uscc for r in range(rounds) for t in select_targets(f"seed-{r}", pool, size))
    expected = rounds * size / len(pool)
    statistic = sum((counts[t.uscc] - expected) ** 2 / expected for t in pool)
    assert statistic < chi_square_critical(len(pool) - 1), statistic


def test_the_selection_is_the_recorded_algorithm_key_for_key() -> None:
    """efraimidis-spirakis/sha256/v1 as written down — the ``size`` largest ``(ln(uniform(seed, uscc)) / w, uscc)``
    — so that a plan drawn before any speed-up still verifies."""
    pool = [Target(f"U{i:05d}é", FUTIAN, HUAQIANGBEI, (1.0, 1.5, 2.0, 4.0)[i % 4]) for i in range(3000)]
    for seed in ("s", "种子-7", ""):
        written = heapq.nlargest(300, pool, key=lambda t: (math.log(uniform(seed, t.uscc)) / t.weight, t.uscc))
        assert select_targets(seed, pool, 300) == written


def test_the_inputs_digest_and_pairing_are_those_recorded_before_the_speed_up() -> None:
    """Figures computed by the draw as it was at 3c677ad (ORM rows, one object per target): a plan recorded then
    keeps verifying — its inputs digest and its pairings — whatever order the pool arrives in."""
    pool = [
        Target(f"U{i:05d}é", FUTIAN, ("440304009", None, "440304002")[i % 3], (1.0, 1.5, 2.0, 4.0)[i % 4])
        for i in range(50)
    ]
    conflicts = frozenset({("i1", "U00003é"), ("i3", "U00007é")})
    for order in (pool, pool[::-1]):
        inputs = DrawInputs(Pool.of(order), ("i2", "i1", "i3"), conflicts, 7)
        assert inputs.digest({"district": FUTIAN, "ratio": None, "count": 7}) == (
            "77db11249e8d7f9d6958a9b259b107e3931deda18456c82fb1567edf6f6d6ac1"
        )
        drawn = pair("种子", inputs)
        assert [(p.target.uscc, p.inspectors) for p in drawn.pairings] == [
            ("U00040é", ("i3", "i2")), ("U00035é", ("i3", "i2")), ("U00039é", ("i2", "i3")),
            ("U00002é", ("i2", "i3")), ("U00043é", ("i3", "i1")), ("U00024é", ("i2", "i1")),
            ("U00011é", ("i1", "i3")),
        ]  # fmt: skip


def test_bad_credit_and_risk_raise_the_probability() -> None:
    pool = targets(50) + [Target(f"H{i:04d}", FUTIAN, HUAQIANGBEI, 2.0) for i in range(50)]
    counts = Counter(t.uscc[0] for r in range(1000) for t in select_targets(f"w-{r}", pool, 10))
    assert 1.6 < counts["H"] / counts["T"] < 2.6, counts


def test_a_conflicted_inspector_withdraws_and_the_next_is_drawn() -> None:
    pool = targets(20)
    conflicts = frozenset(("i1", t.uscc) for t in pool)
    drawn = pair("s", DrawInputs(Pool.of(pool), ("i1", "i2", "i3"), conflicts, 20))
    assert all(set(p.inspectors) == {"i2", "i3"} for p in drawn.pairings)
    assert drawn.recusals > 0
    assert pair("s", DrawInputs(Pool.of(pool), ("i1", "i2", "i3"), conflicts, 20)) == drawn  # reproducible
    with pytest.raises(ClientError) as refused:
        pair("s", DrawInputs(Pool.of(pool), ("i1", "i2"), conflicts, 5))
    assert refused.value.code == "INSUFFICIENT_INSPECTORS"


def plan(**changes: object) -> dict[str, object]:
    return {"name": "2025 第三批 餐饮", "districtCode": FUTIAN, "items": ["FOOD-PROCESSING"], "count": 3, **changes}


async def futian(subgraph: Subgraph) -> None:
    await add_targets(
        subgraph.database,
        *((uscc(i), HUAQIANGBEI if i % 2 else YUANLING, "ABCD"[i % 4], i % 5 == 0) for i in range(1, 13)),
    )
    await add_inspectors(subgraph.database, "insp-a", "insp-b", "insp-c", "insp-d")


async def test_a_plan_is_drawn_recorded_and_verified(subgraph: Subgraph) -> None:
    await futian(subgraph)
    await add_conflict(subgraph.database, "insp-a", uscc(1))
    head = subgraph.as_(HEAD)
    drawn = (await head.data(DRAW, input=plan(seed="fixed")))["drawInspectionPlan"]
    assert drawn["drawn"] == 3 and drawn["plan"]["poolSize"] == 12
    assert drawn["plan"]["algorithm"] == "efraimidis-spirakis/sha256/v1" and drawn["plan"]["seed"] == "fixed"
    plan_id = drawn["plan"]["id"]
    assert (await head.data(VERIFY, id=plan_id))["verifyDraw"] == {
        "matches": True,
        "inputsMatch": True,
        "selectionMatch": True,
        "drawn": 3,
        "redrawn": 3,
        "seed": "fixed",
    }
    tasks = (await head.data(TASKS, where={"planId": plan_id}))["inspectionTasks"]["edges"]
    assert {len(edge["node"]["inspectors"]) for edge in tasks} == {2}
    assert all(edge["node"]["status"] == "ASSIGNED" for edge in tasks)
    assert all(edge["node"]["items"] == ["FOOD-PROCESSING"] for edge in tasks)  # JSON, as written in bulk
    again = (await head.data(DRAW, input=plan(seed="fixed")))["drawInspectionPlan"]["plan"]
    assert again["inputsDigest"] == drawn["plan"]["inputsDigest"]
    async with subgraph.database.transaction() as session:  # a tampered assignment is found
        row = await session.get(TaskInspectorRow, (tasks[0]["node"]["id"], tasks[0]["node"]["inspectors"][0]))
        assert row is not None
        row.inspector = "insp-z"
    assert (await head.data(VERIFY, id=plan_id))["verifyDraw"]["selectionMatch"] is False
    await add_targets(subgraph.database, (uscc(99), HUAQIANGBEI, None, False))  # the pool changed since
    assert (await head.data(VERIFY, id=plan_id))["verifyDraw"]["inputsMatch"] is False


async def test_refusals_are_coded_and_nothing_is_drawn(subgraph: Subgraph) -> None:
    await futian(subgraph)
    head = subgraph.as_(HEAD)
    cases = [
        (plan(stationCodes=["440304001"]), "EMPTY_TARGET_POOL"),
        (plan(count=None, ratio=0.5, items=["FOOD-LICENCE"]), "RATIO_ABOVE_CAP"),
        (plan(ratio=0.5), "INVALID_DRAW_SIZE"),
        (plan(items=["NOPE"]), "UNKNOWN_ITEM"),
        (plan(inspectorStationCodes=["440304001"]), "INSUFFICIENT_INSPECTORS"),
    ]
    for request, code in cases:
        assert (await head.error(DRAW, input=request)).extensions["code"] == code, request
    assert (await subgraph.as_(inspector("insp-a")).error(DRAW, input=plan())).extensions["code"] == "FORBIDDEN"
    station_head = officer(f"440300/{FUTIAN}/{HUAQIANGBEI}", subject="s-head", roles=("agency_head",))
    assert (await subgraph.as_(station_head).error(DRAW, input=plan())).extensions["code"] == "FORBIDDEN"
    assert await subgraph.count(InspectionPlanRow) == 0
    assert await subgraph.count(InspectionTaskRow) == 0


async def test_results_are_published_and_late_publication_is_flagged(subgraph: Subgraph) -> None:
    await futian(subgraph)
    head = subgraph.as_(HEAD)
    drawn = (await head.data(DRAW, input=plan(count=1)))["drawInspectionPlan"]
    plan_id = drawn["plan"]["id"]
    (edge,) = (await head.data(TASKS, where={"planId": plan_id}))["inspectionTasks"]["edges"]
    task = edge["node"]
    me = subgraph.as_(inspector(task["inspectors"][0], station=task["stationCode"]))
    await me.data(START, id=task["id"])
    finding = {"itemCode": "FOOD-PROCESSING", "outcome": "COMPLIANT", "handling": "NONE"}
    await me.data(RECORD, id=task["id"], findings=[finding])
    subgraph.clock.at = subgraph.clock.at.replace(year=subgraph.clock.at.year + 1)
    late = (await head.data(TASKS, where={"planId": plan_id}))["inspectionTasks"]["edges"][0]["node"]
    assert late["publicationOverdue"] is True
    indicators = (await head.data(INDICATORS))["supervisionIndicators"]
    assert indicators["publicationOverdue"] == 1 and indicators["randomCompletionRate"] == 1.0
    published = (await head.data(PUBLISH, id=plan_id))["publishPlanResults"]
    assert published == {"published": 1, "complete": True, "plan": {"status": "PUBLISHED"}}
    assert (await head.data(INDICATORS))["supervisionIndicators"]["randomPublicationRate"] == 1.0
    assert await subgraph.count(InspectionTargetRow) == 12


ITEMS = ("FOOD-PROCESSING",)


@pytest.mark.parametrize(
    ("caller", "request_"),
    [
        (HEAD, PlanRequest("全区", FUTIAN, ("FOOD-PROCESSING",), ratio=0.3)),
        (
            HEAD,
            PlanRequest("加权", FUTIAN, ("FOOD-PROCESSING",), count=40, weights={"C": 3.3, "D": 7.1, "badCredit": 2.5}),
        ),
        (
            HEAD,
            PlanRequest(
                "一所", FUTIAN, ("FOOD-PROCESSING",), station_codes=(YUANLING,), risk_grades=("A", "D"), count=9
            ),
        ),
        (
            officer(f"440300/{FUTIAN}/{HUAQIANGBEI}", subject="s"),
            PlanRequest("本所", FUTIAN, ("FOOD-PROCESSING",), count=25),
        ),
    ],
)
async def test_postgresql_ranks_the_pool_as_python_does(
    postgres_database_url: str, caller: Principal, request_: PlanRequest
) -> None:
    """On PostgreSQL the keys, the top of the pool and the digest's pool lines are computed in the database
    (:func:`rank_in_database`); over the same rows and caller they are those of the Python path, bit for bit —
    whatever the weights, filters and the caller's read scope — so plans drawn either way verify either way."""
    database = await migrated(postgres_database_url, component)
    try:
        await add_targets(database, *(
            (uscc(i), (HUAQIANGBEI, YUANLING, None)[i % 3], (None, "A", "B", "C", "D")[i % 5], i % 7 == 0)
            for i in range(1, 301)
        ))  # fmt: skip
        await add_inspectors(database, "insp-a", "insp-b", "insp-c")
        await add_conflict(database, "insp-a", uscc(7))
        services = SupervisionServices()
        jurisdiction = Jurisdiction.of(caller, services.org_tree, component.scopes)
        for seed in ("种子", "fixed-1", ""):
            session = open_request_session(request_sessions(database.engine), jurisdiction)
            try:
                inputs = await gather(session, request_, services)
                in_database = await rank_in_database(session, request_, services, seed)
            finally:
                await session.close()
            assert in_database.digest == inputs.digest(request_.parameters())
            assert in_database.pool_size == len(inputs.pool)
            python = [inputs.pool.target(p) for p in ranked(seed, inputs.pool, inputs.size)]
            assert sorted(Pool.of(python).usccs) == sorted(in_database.inputs.pool.usccs)
            assert pair(seed, in_database.inputs) == pair(
                seed, dataclasses.replace(in_database.inputs, pool=Pool.of(python))
            )
    finally:
        await database.dispose()

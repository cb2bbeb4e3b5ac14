"""The demo seed: devices, alerts, quick tests and samples at the demo entities' premises, through the domain rules;
a second run adds nothing."""

from __future__ import annotations

from subgraphs.common.component import Holder, SeedRequest
from subgraphs.detection.seed import seed_demo
from subgraphs.detection.services import DetectionServices
from tests.subgraphs.detection.conftest import ADDRESS, OTHER_USCC, USCC, Subgraph
from tests.support.clock import Clock

HOLDERS = (
    Holder(USCC, "深圳市测试餐饮有限公司", ADDRESS, "440304"),
    Holder(OTHER_USCC, "无人认领", "某地某路1号", "999999"),  # premises no unit claims: skipped
)


async def test_the_demo_seed_fills_every_table_once(subgraph: Subgraph) -> None:
    services = DetectionServices(clock=Clock())
    outcome = await seed_demo(subgraph.database, services, SeedRequest(0, False, HOLDERS))
    assert "at 1 demo entities" in outcome.report
    tables = ("device", "camera", "kitchen_alert", "quick_test", "sampling_task", "sample")
    counts = {table: await subgraph.count(table) for table in tables}
    assert counts == {"device": 2, "camera": 1, "kitchen_alert": 2, "quick_test": 1, "sampling_task": 1, "sample": 1}
    assert (await seed_demo(subgraph.database, services, SeedRequest(0, False, HOLDERS))).report == ""
    assert await subgraph.count("kitchen_alert") == 2

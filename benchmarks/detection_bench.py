"""Detection subgraph benchmark, in process on PostgreSQL: what device traffic costs at the subgraph.

    python -m benchmarks.detection_bench [--url postgresql+asyncpg://…/zhijian_detection_bench] [--messages 400]

Prints p50/p99 and messages per second for: ``reportKitchenDetections`` (new frames, an alert or a
de-duplicated detection each), the same messages resent (answered from the (deviceId, seq) record),
``recordQuickTests`` in batches of 50 readings (readings per second); and, as the peer in the same run, a
read-only query (``inferenceStatus``) through the same app — GraphQL, identity verification and the request
transaction without a write — so the figures say what the domain work adds.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import time
from typing import Any

import httpx

from benchmarks.subgraph_harness import BENCH_SIGNER, percentile, recreate_database, verifier
from kernel.db import Database
from kernel.forwarding import FORWARDED_IDENTITY_HEADER
from kernel.jobs import MIGRATIONS as JOB_MIGRATIONS
from kernel.migrations import upgrade
from kernel.principal import Principal
from kernel.uscc import complete_uscc
from subgraphs.detection.component import component
from subgraphs.detection.services import DetectionServices

DEFAULT_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/zhijian_detection_bench"
USCC = complete_uscc("91440300MA5F00001")
T0 = dt.datetime(2026, 12, 1, 4, 0, tzinfo=dt.UTC)
CALLER = Principal(
    subject="bench-ingest", issuer="http://127.0.0.1:4010", roles=frozenset({"device_gateway", "inspector"}),
    scopes=frozenset({"detection:write", "jurisdiction:city"}), org_path=None, client_id="bench-ingest",
    expires_at=2**31 - 1,
)  # fmt: skip
DEVICE = """mutation($i: RegisterDeviceInput!) { registerDevice(input: $i) { device { id } } }"""
CAMERA = """mutation($i: RegisterCameraInput!) { registerCamera(input: $i) { camera { id } } }"""
REPORT = """mutation($i: KitchenDetectionsInput!) { reportKitchenDetections(input: $i) {
  duplicate alerts { id } suppressed { reason } } }"""
QUICK = """mutation($i: QuickTestsInput!) { recordQuickTests(input: $i) { accepted rejected } }"""
PEER = "{ inferenceStatus { ready } }"


class Signed(httpx.Auth):
    def auth_flow(self, request: httpx.Request) -> Any:
        request.headers[FORWARDED_IDENTITY_HEADER] = BENCH_SIGNER.sign(CALLER)
        yield request


async def call(client: httpx.AsyncClient, query: str, **variables: Any) -> float:
    began = time.perf_counter()
    response = await client.post("/graphql", json={"query": query, "variables": variables})
    took = time.perf_counter() - began
    body = response.json()
    if body.get("errors"):
        raise SystemExit(f"benchmark request failed: {body['errors']}")
    return took


def line(label: str, times: list[float], per: int = 1, unit: str = "messages") -> None:
    rate = per * len(times) / sum(times)
    print(f"{label:<44} p50 {percentile(times, 0.5) * 1000:7.2f} ms  p99 {percentile(times, 0.99) * 1000:7.2f} ms"
          f"  {rate:8.0f} {unit}/s")  # fmt: skip


def frame(seq: int) -> dict[str, Any]:
    category = ("NO_HAT", "NO_MASK", "SMOKING", "OPEN_BIN")[seq % 4]
    return {
        "deviceId": "EDGE-1", "seq": seq, "cameraId": f"CAM-{seq % 8}",
        "capturedAt": (T0 + dt.timedelta(minutes=3 * seq)).isoformat(), "frameSha256": f"{seq:064x}",
        "frameRef": f"s3://frames/{seq}.jpg", "modelName": "kitchen_detector", "modelVersion": "1",
        "detections": [{"category": category, "confidence": 0.9, "box": {"x": 0.1, "y": 0.1, "w": 0.2, "h": 0.2}},
                       {"category": "PERSON", "confidence": 0.95, "box": {"x": 0.1, "y": 0.1, "w": 0.3, "h": 0.6}}],
    }  # fmt: skip


async def main(url: str, messages: int) -> None:
    await recreate_database(url)
    database = Database.from_url(url, [JOB_MIGRATIONS.schema, component.migrations.schema])
    await upgrade(database, [JOB_MIGRATIONS, component.migrations])
    services = DetectionServices(clock=lambda: T0 + dt.timedelta(days=30))
    app = component.create_app(database, services, verifier())
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://detection.bench", auth=Signed()) as client:
        where = {"uscc": USCC, "label": "bench", "premisesAddress": "深圳市福田区南园街道滨河路1号",
                 "premisesRegion": "440304"}  # fmt: skip
        await call(client, DEVICE, i={"deviceId": "EDGE-1", "kind": "EDGE_BOX", **where})
        await call(client, DEVICE, i={"deviceId": "KIT-1", "kind": "QUICK_TEST_KIT", **where})
        for camera in range(8):
            await call(client, CAMERA, i={"cameraId": f"CAM-{camera}", "deviceId": "EDGE-1", "location": "x"})
        peer = [await call(client, PEER) for _ in range(messages)]
        new = [await call(client, REPORT, i=frame(seq)) for seq in range(messages)]
        resent = [await call(client, REPORT, i=frame(seq)) for seq in range(messages)]
        batches = []
        for start in range(0, messages * 5, 50):
            readings = [
                {"seq": seq, "uscc": USCC, "sampleName": "韭菜", "item": "PESTICIDE_INHIBITION",
                 "value": float(seq % 90), "unit": "%", "testedAt": T0.isoformat()}
                for seq in range(start, start + 50)
            ]  # fmt: skip
            batches.append(await call(client, QUICK, i={"deviceId": "KIT-1", "readings": readings}))
    await database.dispose()
    print(f"detection subgraph in process on PostgreSQL, sequential, {messages} messages each")
    line("peer: inferenceStatus (no write)", peer, unit="requests")
    line("reportKitchenDetections, new frames", new)
    line("reportKitchenDetections, resent (duplicate)", resent)
    line("recordQuickTests, batches of 50", batches, per=50, unit="readings")
    print(f"new frame vs peer (p50): {percentile(new, 0.5) / percentile(peer, 0.5):.1f}×")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=DEFAULT_URL)
    parser.add_argument("--messages", type=int, default=400)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.url, arguments.messages))

"""Kitchen-alert feed benchmark: how long after an edge box's report its alert reaches live subscribers.

    python -m benchmarks.alert_feed_bench [--url postgresql+asyncpg://…/zhijian_alert_feed_bench] [--alerts 200]
                                          [--subscribers 1,20]

The detection subgraph served by uvicorn on 127.0.0.1 (PostgreSQL), K subscribers of ``kitchenAlerts`` on WebSockets
(graphql-transport-ws, the gateway's way in, signed as a city inspector), and one writer reporting new frames one
after another. Prints p50/p99 of: the report itself (the peer, same run), and the time from sending the report to
its event at the first and at the last subscriber — each subscriber reads the alert in its own jurisdiction, so the
last one shows what fan-out costs. Each fan-out above one runs twice: with one read per alert shared by the
subscribers (as served), and with a read per subscriber, the baseline in the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import socket
import time
from typing import Any

import httpx
import orjson
import uvicorn
from websockets.asyncio.client import ClientConnection, connect

from benchmarks.detection_bench import CAMERA, DEVICE, REPORT, Signed, frame
from benchmarks.subgraph_harness import BENCH_SIGNER, percentile, recreate_database, verifier
from kernel.db import Database
from kernel.forwarding import FORWARDED_IDENTITY_HEADER
from kernel.jobs import MIGRATIONS as JOB_MIGRATIONS
from kernel.migrations import upgrade
from kernel.principal import Principal
from kernel.uscc import complete_uscc
from subgraphs.detection.alert_feed import SharedReads
from subgraphs.detection.component import component
from subgraphs.detection.services import DetectionServices

DEFAULT_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/zhijian_alert_feed_bench"
T0 = dt.datetime(2026, 12, 1, 4, 0, tzinfo=dt.UTC)
WATCHER = Principal(
    subject="bench-inspector", issuer="http://127.0.0.1:4010", roles=frozenset({"inspector"}),
    scopes=frozenset({"openid"}), org_path="440300", client_id="zhengwutong", expires_at=2**31 - 1,
)  # fmt: skip
FEED = "subscription { kitchenAlerts { id state category boxes { x y w h } } }"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def one_alert(seq: int) -> dict[str, Any]:
    """A new frame with one violation (no person: so no after-hours alert), hence exactly one event."""
    report = frame(seq)
    return {**report, "detections": [d for d in report["detections"] if d["category"] != "PERSON"]}


async def subscriber(url: str) -> ClientConnection:
    headers = {FORWARDED_IDENTITY_HEADER: BENCH_SIGNER.sign(WATCHER)}
    ws = await connect(url, subprotocols=["graphql-transport-ws"], additional_headers=headers)  # type: ignore[list-item]
    await ws.send('{"type":"connection_init"}')
    await ws.recv()
    await ws.send(orjson.dumps({"id": "1", "type": "subscribe", "payload": {"query": FEED}}).decode())
    return ws


async def event(ws: ClientConnection) -> float:
    message = orjson.loads(await ws.recv())
    if message.get("type") != "next" or "errors" in message["payload"]:
        raise SystemExit(f"unexpected message: {message}")
    return time.perf_counter()


async def measure(client: httpx.AsyncClient, sockets: list[ClientConnection], seqs: range) -> list[list[float]]:
    """For each new frame: the report's own time, and the time to its event at the first and the last subscriber."""
    report, first, last = [], [], []
    for seq in seqs:
        pending = [asyncio.create_task(event(ws)) for ws in sockets]
        began = time.perf_counter()
        response = await client.post("/graphql", json={"query": REPORT, "variables": {"i": one_alert(seq)}})
        answered = time.perf_counter()
        if response.json().get("errors"):
            raise SystemExit(f"report failed: {response.json()['errors']}")
        arrivals = await asyncio.gather(*pending)
        report.append(answered - began)
        first.append(min(arrivals) - began)
        last.append(max(arrivals) - began)
    return [report, first, last]


async def run(url: str, alerts: int, fanouts: list[int]) -> None:
    await recreate_database(url)
    database = Database.from_url(url, [JOB_MIGRATIONS.schema, component.migrations.schema])
    await upgrade(database, [JOB_MIGRATIONS, component.migrations])
    print(f"kitchen-alert feed, detection subgraph on 127.0.0.1 (PostgreSQL), {alerts} alerts per row, sequential")
    seq = 0
    for fanout in fanouts:
        # the baseline in the same run: each subscriber reads every alert itself (a read cache of size 0)
        for shared in (False, True) if fanout > 1 else (True,):
            reads = SharedReads[Any]() if shared else SharedReads[Any](size=0)
            services = DetectionServices(clock=lambda: T0 + dt.timedelta(days=30), alert_reads=reads)
            port = free_port()
            app = component.create_app(database, services, verifier())
            server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
            serving = asyncio.create_task(server.serve())
            while not server.started:  # noqa: ASYNC110 - uvicorn exposes only a flag
                await asyncio.sleep(0.01)
            try:
                async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", auth=Signed()) as client:
                    if seq == 0:
                        await register(client)
                    sockets = [await subscriber(f"ws://127.0.0.1:{port}/graphql") for _ in range(fanout)]
                    while services.alert_feed.listening < fanout:  # noqa: ASYNC110 - the feed exposes a count
                        await asyncio.sleep(0.01)
                    rows = await measure(client, sockets, range(seq, seq + alerts))
                    seq += alerts
                    for ws in sockets:
                        await ws.close()
            finally:
                server.should_exit = True
                with contextlib.suppress(asyncio.CancelledError):
                    await serving
            how = "one read per alert" if shared else "a read per subscriber (baseline)"
            print(f"{fanout} subscriber(s), {how}:")
            for label, times in zip(
                ("the report itself (peer)", "event at the first", "event at the last"), rows, strict=True
            ):
                print(f"  {label:<28} p50 {percentile(times, 0.5) * 1000:7.2f} ms"
                      f"  p99 {percentile(times, 0.99) * 1000:7.2f} ms")  # fmt: skip
    await database.dispose()


async def register(client: httpx.AsyncClient) -> None:
    where = {"uscc": complete_uscc("91440300MA5F00001"), "label": "bench",
             "premisesAddress": "深圳市福田区南园街道滨河路1号", "premisesRegion": "440304"}  # fmt: skip
    box = {"deviceId": "EDGE-1", "kind": "EDGE_BOX", **where}
    await client.post("/graphql", json={"query": DEVICE, "variables": {"i": box}})
    for camera in range(8):
        variables = {"i": {"cameraId": f"CAM-{camera}", "deviceId": "EDGE-1", "location": "x"}}
        await client.post("/graphql", json={"query": CAMERA, "variables": variables})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=DEFAULT_URL)
    parser.add_argument("--alerts", type=int, default=200)
    parser.add_argument("--subscribers", default="1,20")
    arguments = parser.parse_args()
    fanouts = [int(n) for n in arguments.subscribers.split(",")]
    asyncio.run(run(arguments.url, arguments.alerts, fanouts))


if __name__ == "__main__":
    main()

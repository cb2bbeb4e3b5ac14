"""The detection subgraph's ``GET /inference``, ``inferenceStatus`` and (served alone) ``/ready``: the embedded
model by default; Triton's state when ``ZHIJIAN_TRITON_URL`` is configured (down here; up in
tests/inference/test_triton_health.py, with a real Triton)."""

from __future__ import annotations

import socket

import httpx

from hub.probes import Probes
from kernel.db import Database
from subgraphs.common.component import Wiring
from subgraphs.detection.component import component
from subgraphs.detection.inference_status import TRITON_URL
from subgraphs.detection.services import DetectionServices
from tests.subgraphs.detection.conftest import INSPECTOR
from tests.support.components import app_of, migrated
from tests.support.graphql import data_of, post_as

STATUS = "{ inferenceStatus { backend model ready url detail } }"


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def health(services: DetectionServices, database: Database) -> tuple[httpx.Response, dict[str, object]]:
    app = app_of(component, database, services)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://detection.test") as http:
        response = await http.get("/inference")
        status = data_of(await post_as(http, INSPECTOR, STATUS, {}))["inferenceStatus"]
    return response, status


async def test_the_embedded_model_is_ready_by_default(sqlite_database_url: str) -> None:
    database = await migrated(sqlite_database_url, component)
    try:
        response, status = await health(DetectionServices.build(Wiring()), database)
    finally:
        await database.dispose()
    assert response.status_code == 200
    assert response.json()["inference"]["backend"] == "onnxruntime"
    assert status == {"backend": "onnxruntime", "model": "kitchen_detector/1", "ready": True, "url": None,
                      "detail": None}  # fmt: skip


async def test_a_configured_triton_that_is_down_makes_the_hub_degraded(sqlite_database_url: str) -> None:
    url = f"127.0.0.1:{closed_port()}"
    database = await migrated(sqlite_database_url, component)
    try:
        response, status = await health(DetectionServices.build(Wiring(environ={TRITON_URL: url})), database)
    finally:
        await database.dispose()
    assert response.status_code == 503
    assert response.json()["status"] == "degraded"
    assert (status["backend"], status["ready"], status["url"]) == ("triton", False, url)
    assert str(status["detail"]).startswith("unreachable")


async def test_served_alone_its_readiness_reports_a_down_triton_as_degraded(sqlite_database_url: str) -> None:
    url = f"127.0.0.1:{closed_port()}"
    database = await migrated(sqlite_database_url, component)
    services = DetectionServices.build(Wiring(environ={TRITON_URL: url}))
    assert component.advisory_checks is not None
    probes = Probes(
        app_of(component, database, services), "detection", {}, component.advisory_checks(services, database)
    )
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=probes), base_url="http://d.test") as http:
            ready = await http.get("/ready")
    finally:
        await database.dispose()
    assert ready.status_code == 200  # advisory: the subgraph still takes requests
    body = ready.json()
    assert body["status"] == "degraded" and body["checks"]["triton"].startswith(f"InferenceNotReady: {url}")

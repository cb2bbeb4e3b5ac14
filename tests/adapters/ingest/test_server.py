"""The server's standard services and limits: health checking, reflection naming the services, and the per-call
deadline the server keeps whatever the device asked for."""

from __future__ import annotations

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

from adapters.ingest.auth import CertificateAuthenticator
from adapters.ingest.local import SqliteIngestStore
from adapters.ingest.proto.ingest_pb2_grpc import EdgeIngestStub
from adapters.ingest.server import RunningServer, serving
from tests.adapters.ingest.conftest import CAMERA_BOX, channel
from tests.adapters.ingest.pki import Pki
from tests.adapters.ingest.test_cameras import NO_MASK, detections


async def test_health_and_reflection_answer(pki: Pki, server: RunningServer) -> None:
    async with channel(pki, server.port, CAMERA_BOX.device_id) as opened:
        checks = health_pb2_grpc.HealthStub(opened)
        overall = await checks.Check(health_pb2.HealthCheckRequest(), timeout=10)
        ours = await checks.Check(health_pb2.HealthCheckRequest(service="zhijian.ingest.v1.EdgeIngest"), timeout=10)
        reflection = reflection_pb2_grpc.ServerReflectionStub(opened)
        answers = reflection.ServerReflectionInfo(iter([reflection_pb2.ServerReflectionRequest(list_services="")]))
        listed = [service.name async for answer in answers for service in answer.list_services_response.service]

    assert overall.status == ours.status == health_pb2.HealthCheckResponse.SERVING
    assert set(listed) >= {"zhijian.ingest.v1.EdgeIngest", "grpc.health.v1.Health"}


async def test_a_call_past_the_servers_deadline_ends_and_leaves_nothing(pki: Pki, store: SqliteIngestStore) -> None:
    await store.register(CAMERA_BOX)
    async with serving(store, [CertificateAuthenticator()], None, tls=pki.tls, call_timeout=1e-6, grace=0.1) as up:
        async with channel(pki, up.port, CAMERA_BOX.device_id) as opened:
            try:
                await EdgeIngestStub(opened).SubmitDetections(detections(1, NO_MASK), timeout=10)
            except grpc.aio.AioRpcError as error:
                status = error.code()
        refusals = up.service.metrics.value(
            "zhijian_ingest_refusals_total", rpc="SubmitDetections", code="DEADLINE_EXCEEDED"
        )

    assert status == grpc.StatusCode.DEADLINE_EXCEEDED
    assert refusals == 1
    assert await store.count("detections", CAMERA_BOX.device_id) == 0

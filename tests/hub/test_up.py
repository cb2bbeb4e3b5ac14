"""``zhijian up`` as a newcomer runs it: a real process, real ports, the federated graph, Ctrl-C, restart keeps data."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import grpc
import httpx
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from adapters.ingest.proto import ingest_pb2 as pb
from adapters.ingest.proto.ingest_pb2_grpc import EdgeIngestStub
from identity.seed import DEMO_MACHINE_CLIENT, DEMO_MACHINE_SECRET

REGISTER = """
mutation {
  registerEntity(input: {
    uscc: "91440300MA5H7K2P12", name: "深圳市测试餐饮管理有限公司", entityType: COMPANY, establishedOn: "2024-03-01",
    legalRepresentative: {name: "陈测试", idNumber: "11010519491231002X", phone: "13800138000"},
    domicile: "深圳市福田区华强北街道华强北路1号", premises: "深圳市福田区华强北街道华强北路1号",
    businessScope: "餐饮服务"
  }) { outcome entity { uscc district { code } } }
}
"""
FEDERATED = "{ entities(first: 20) { edges { node { uscc name permits { number kind status } } } } }"


def _free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    for sock in sockets:
        sock.bind(("127.0.0.1", 0))
    ports = [sock.getsockname()[1] for sock in sockets]
    for sock in sockets:
        sock.close()
    return ports


class Hub:
    """One ``zhijian up`` process on free ports with its data under a temporary folder."""

    def __init__(self, workdir: Path) -> None:
        gateway, identity, entities, permits, supervision, enforcement, integration, detection, ingest = _free_ports(9)
        self.ingest = ingest
        self.url = f"http://127.0.0.1:{gateway}"
        self.issuer = f"http://127.0.0.1:{identity}"
        self.token: str | None = None
        self.workdir = workdir
        self.env = {
            **os.environ,
            "ZHIJIAN_GATEWAY_PORT": str(gateway),
            "ZHIJIAN_IDENTITY_PORT": str(identity),
            "ZHIJIAN_IDENTITY_ISSUER": f"http://127.0.0.1:{identity}",
            "ZHIJIAN_IDENTITY_GATEWAY_AUDIENCE": f"http://127.0.0.1:{gateway}/graphql",
            "ZHIJIAN_ENTITIES_PORT": str(entities),
            "ZHIJIAN_PERMITS_PORT": str(permits),
            "ZHIJIAN_SUPERVISION_PORT": str(supervision),
            "ZHIJIAN_ENFORCEMENT_PORT": str(enforcement),
            "ZHIJIAN_INTEGRATION_PORT": str(integration),
            "ZHIJIAN_DETECTION_PORT": str(detection),
            "ZHIJIAN_INGEST_PORT": str(ingest),
            "ZHIJIAN_DATA_DIR": str(workdir / ".zhijian"),
            "ZHIJIAN_LOG_LEVEL": "warning",
        }
        self.env.pop("ZHIJIAN_DATABASE_URL", None)
        self.process: subprocess.Popen[str] | None = None

    def start(self) -> str:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "hub.cli", "up"],
            cwd=self.workdir,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"zhijian up exited: {self.process.stdout.read() if self.process.stdout else ''}")
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return ""
            except httpx.TransportError:
                time.sleep(0.3)
        raise AssertionError("zhijian up did not answer /health within 90 s")

    def sign_in(self) -> None:
        """A client-credentials token of the demo machine client from the running provider (RFC 6749 §4.4)."""
        response = httpx.post(
            f"{self.issuer}/token",
            data={"grant_type": "client_credentials"},
            auth=(DEMO_MACHINE_CLIENT, DEMO_MACHINE_SECRET),
            timeout=30,
        )
        assert response.status_code == 200, response.text
        self.token = response.json()["access_token"]

    def query(self, query: str, *, signed_in: bool = True) -> dict[str, Any]:
        headers = {"authorization": f"Bearer {self.token}"} if signed_in and self.token else {}
        response = httpx.post(f"{self.url}/graphql", json={"query": query}, headers=headers, timeout=30)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    def interrupt(self) -> tuple[int, str]:
        assert self.process is not None
        self.process.send_signal(signal.SIGINT)
        output, _ = self.process.communicate(timeout=30)
        return self.process.returncode, output


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[Hub]:
    running = Hub(tmp_path)
    yield running
    if running.process is not None and running.process.poll() is None:
        running.process.kill()
        running.process.wait()


def test_up_serves_the_federated_graph_stops_on_ctrl_c_and_keeps_data(hub: Hub) -> None:
    hub.start()
    anonymous = hub.query(FEDERATED, signed_in=False)
    assert anonymous["data"] is None
    assert [e["extensions"]["code"] for e in anonymous["errors"]] == ["UNAUTHORIZED_FIELD_OR_TYPE"]
    single = hub.query('{ permitByNumber(number: "JY14403040000001") { number } }', signed_in=False)
    assert single["data"] == {"permitByNumber": None}
    assert single["errors"][0]["path"] == ["permitByNumber"]
    forged = httpx.post(
        f"{hub.url}/graphql", json={"query": FEDERATED}, headers={"authorization": "Bearer not.a.jwt"}, timeout=30
    )
    assert forged.status_code == 401
    assert forged.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert 'error="invalid_token"' in forged.headers["www-authenticate"]

    with grpc.insecure_channel(f"127.0.0.1:{hub.ingest}") as channel:  # the edge ingestion, its standard health check
        answer = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=10)
        assert answer.status == health_pb2.HealthCheckResponse.SERVING
        with pytest.raises(grpc.RpcError) as refused:  # no device token
            EdgeIngestStub(channel).SubmitDetections(pb.DetectionsRequest(), timeout=10)
    assert refused.value.code() == grpc.StatusCode.UNAUTHENTICATED
    scraped = httpx.get(f"{hub.url}/metrics", timeout=30).text  # the ingestion's counters beside the gateway's
    assert 'zhijian_ingest_refusals_total{code="UNAUTHENTICATED",rpc="SubmitDetections"} 1.0' in scraped
    assert "zhijian_gateway_requests_total" in scraped

    hub.sign_in()
    first = hub.query(FEDERATED)
    assert "errors" not in first, first
    nodes = [edge["node"] for edge in first["data"]["entities"]["edges"]]
    assert len(nodes) == 20
    assert any(node["permits"] for node in nodes), "the demo data set should give some entities permits"

    registered = hub.query(REGISTER)
    assert registered["data"]["registerEntity"]["outcome"] == "REGISTERED", registered
    assert registered["data"]["registerEntity"]["entity"]["district"]["code"] == "440304"

    status, output = hub.interrupt()
    assert status == 0, output
    assert "http://127.0.0.1:" in output and "/graphql" in output
    assert f"grpc://127.0.0.1:{hub.ingest}" in output
    assert "stopped." in output

    hub.start()
    hub.sign_in()
    again = hub.query('{ entity(uscc: "91440300MA5H7K2P12") { name } }')
    assert again == {"data": {"entity": {"name": "深圳市测试餐饮管理有限公司"}}}
    status, output = hub.interrupt()
    assert status == 0
    assert "seeded the demo data set" not in output


def test_a_taken_port_is_reported_without_a_traceback(hub: Hub) -> None:
    port = int(hub.url.rsplit(":", 1)[1])
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", port))
        blocker.listen()
        result = subprocess.run(
            [sys.executable, "-m", "hub.cli", "up"],
            cwd=hub.workdir,
            env=hub.env,
            capture_output=True,
            text=True,
            timeout=90,
        )
    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port} for the gateway" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout

"""The operators' view of the adapters: runs, counts, lag, circuits and quarantined records, for operators only;
a quarantined record is corrected and re-submitted; the rejection report is in the sender's encoding; metrics."""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import AsyncIterator

import httpx
import pytest

from hub.probes import Probes
from kernel.db import Database
from subgraphs.integration import store
from subgraphs.integration.component import component
from subgraphs.integration.services import IntegrationServices
from subgraphs.integration.store import Counts, Quarantined, Reason
from subgraphs.integration.vocabulary import CircuitState, RunStatus
from tests.support.clock import Clock
from tests.support.components import app_of, migrated
from tests.support.graphql import data_of, only_error, post_as
from tests.support.identities import CITY, machine, officer

T0 = dt.datetime(2026, 5, 1, 8, tzinfo=dt.UTC)
OPERATOR = officer(CITY, "integration:write", subject="ops", roles=("admin",))
VIEW = """
{ integration {
    adapters { name checkpoint lagSeconds circuit circuitFailures openRejections
               lastRun { status read applied rejected duplicate error lagSeconds } }
    rejections(adapter: "files") {
      edges { node { id sourceRef state record { name value } reasons { field code message } } }
    }
} }
"""
REPORT = """query($source: String!) { integration { rejectionReport(adapter: "files", source: $source) {
  filename mediaType encoding rows contentBase64 } } }"""
RESUBMIT = """mutation($id: ID!, $fix: [FieldValueInput!]!) {
  resubmitRejection(id: $id, corrections: $fix) { rejection { state record { name value } } } }"""


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    database = await migrated(database_url, component)
    yield database
    await database.dispose()


@pytest.fixture
async def client(database: Database) -> AsyncIterator[httpx.AsyncClient]:
    app = app_of(component, database, IntegrationServices(clock=Clock(T0 + dt.timedelta(minutes=10))))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://integration.test") as http:
        yield http


async def _a_file_run(database: Database) -> None:
    run, checkpoint = await store.start_run(database, "files", "cli", T0)
    assert checkpoint is None
    bad = Quarantined(
        source="permits-2026-05.csv",
        source_ref="row 3",
        record={"许可证编号": "JY123", "主体名称": "深圳市测试餐饮有限公司"},
        reasons=(Reason("许可证编号", "INVALID_PERMIT_NUMBER", "JY numbers have 14 digits after JY"),),
        encoding="GBK",
    )
    await store.progress(database, "files", run, Counts(3, 1, 1, 1), "permits-2026-05.csv:done", [bad], T0)
    await store.record_circuit(database, "files", CircuitState.CLOSED, 0, None, T0)
    await store.finish_run(database, "files", run, RunStatus.SUCCEEDED, None, True, T0)


async def test_operators_see_each_adapters_runs_counts_lag_and_rejections(
    database: Database, client: httpx.AsyncClient
) -> None:
    await _a_file_run(database)
    view = data_of(await post_as(client, OPERATOR, VIEW, {}))["integration"]
    (files,) = view["adapters"]
    assert files == {
        "name": "files",
        "checkpoint": "permits-2026-05.csv:done",
        "lagSeconds": 600.0,
        "circuit": "CLOSED",
        "circuitFailures": 0,
        "openRejections": 1,
        "lastRun": {"status": "SUCCEEDED", "read": 3, "applied": 1, "rejected": 1, "duplicate": 1, "error": None,
                    "lagSeconds": 0.0},
    }  # fmt: skip
    (rejection,) = [edge["node"] for edge in view["rejections"]["edges"]]
    assert rejection["reasons"] == [
        {"field": "许可证编号", "code": "INVALID_PERMIT_NUMBER", "message": "JY numbers have 14 digits after JY"}
    ]


@pytest.mark.parametrize(
    "caller",
    [officer(CITY, subject="inspector"), machine("some-adapter", "entities:read", "jurisdiction:city")],
    ids=["officer without admin role", "client without integration scope"],
)
async def test_others_are_refused(client: httpx.AsyncClient, caller: object) -> None:
    error = only_error(await post_as(client, caller, VIEW, {}))  # type: ignore[arg-type]
    assert error["extensions"]["code"] == "NOT_AN_OPERATOR"


async def test_a_client_with_the_integration_scope_may_look(database: Database, client: httpx.AsyncClient) -> None:
    await _a_file_run(database)
    watcher = machine("monitoring", "integration:read")
    assert data_of(await post_as(client, watcher, VIEW, {}))["integration"]["adapters"][0]["name"] == "files"
    refused = only_error(await post_as(client, watcher, RESUBMIT, {"id": "1", "fix": []}))
    assert refused["extensions"]["code"] in {"FORBIDDEN", "NOT_AN_OPERATOR"}


async def test_the_rejection_report_is_in_the_senders_encoding(database: Database, client: httpx.AsyncClient) -> None:
    await _a_file_run(database)
    report = data_of(await post_as(client, OPERATOR, REPORT, {"source": "permits-2026-05.csv"}))["integration"][
        "rejectionReport"
    ]
    assert (report["filename"], report["encoding"], report["rows"]) == ("permits-2026-05.rejected.csv", "GBK", 1)
    text = base64.b64decode(report["contentBase64"]).decode("gbk")
    assert text.splitlines() == [
        "行号 row,许可证编号,主体名称,错误原因 reasons",
        "row 3,JY123,深圳市测试餐饮有限公司,许可证编号: JY numbers have 14 digits after JY (INVALID_PERMIT_NUMBER)",
    ]


async def test_a_corrected_record_is_resubmitted_once(database: Database, client: httpx.AsyncClient) -> None:
    await _a_file_run(database)
    fix = {"id": "1", "fix": [{"name": "许可证编号", "value": "JY24403040000017"}]}
    done = data_of(await post_as(client, OPERATOR, RESUBMIT, fix))["resubmitRejection"]["rejection"]
    assert done["state"] == "RESUBMITTED"
    assert done["record"][0] == {"name": "许可证编号", "value": "JY24403040000017"}
    again = only_error(await post_as(client, OPERATOR, RESUBMIT, fix))
    assert again["extensions"]["code"] == "REJECTION_NOT_OPEN"
    (waiting,) = await store.resubmitted(database, "files")
    assert waiting.record["许可证编号"] == "JY24403040000017"
    unknown = {"id": "1", "fix": [{"name": "nope", "value": "x"}]}
    await store.resolve(database, waiting.id, False, (Reason(None, "X", "still wrong"),), T0)
    assert only_error(await post_as(client, OPERATOR, RESUBMIT, unknown))["extensions"]["code"] == (
        "UNKNOWN_RECORD_FIELD"
    )


async def test_metrics_are_exposed_for_prometheus(database: Database, client: httpx.AsyncClient) -> None:
    await _a_file_run(database)
    response = await client.get("/metrics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    lines = set(response.text.splitlines())
    assert 'zhijian_adapter_records_total{adapter="files",outcome="applied"} 1.0' in lines
    assert 'zhijian_adapter_records_total{adapter="files",outcome="rejected"} 1.0' in lines
    assert 'zhijian_adapter_lag_seconds{adapter="files"} 600.0' in lines
    assert 'zhijian_adapter_open_rejections{adapter="files"} 1.0' in lines
    assert 'zhijian_adapter_circuit_open{adapter="files"} 0.0' in lines


async def test_an_open_circuit_makes_ready_say_degraded_and_name_the_adapter(database: Database) -> None:
    assert component.advisory_checks is not None
    services = IntegrationServices(clock=Clock(T0))
    app = app_of(component, database, services)
    probes = Probes(app, "integration", {}, advisory=component.advisory_checks(services, database))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=probes), base_url="http://integration.test") as http:
        await _a_file_run(database)
        assert (await http.get("/ready")).json()["status"] == "ready"
        await store.record_circuit(database, "rest", CircuitState.OPEN, 5, T0, T0)
        answer = await http.get("/ready")
    assert answer.status_code == 200, "a legacy source failing does not make the hub unready"
    body = answer.json()
    assert body["status"] == "degraded"
    assert body["checks"]["adapter circuits"] == f"CircuitOpen: open: rest since {T0:%Y-%m-%d %H:%M} UTC"

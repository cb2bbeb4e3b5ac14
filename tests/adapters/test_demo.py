"""``ZHIJIAN_DEMO_LEGACY=true zhijian up``: the simulated legacy systems served beside the hub, the adapters pointed at
them (a real source configured stays), and a sample GBK ledger in the drop folder that a sync applies and reports."""

from __future__ import annotations

from pathlib import Path

import httpx

from adapters.files.adapter import FileDropAdapter
from adapters.settings import AdapterSettings
from adapters.sync import sync
from hub.legacy_demo import SAMPLE, legacy_demo
from hub.settings import Settings
from subgraphs.permits.models import PermitRow
from tests.adapters.harness import count, sink
from tests.support.hub import RunningHub


def settings(folder: Path, **more: str) -> Settings:
    return Settings.from_env({"ZHIJIAN_DATA_DIR": str(folder), **more})


def test_without_the_flag_nothing_is_served_and_nothing_pointed(tmp_path: Path) -> None:
    plain = settings(tmp_path)
    assert legacy_demo(plain) == (plain, ())
    assert not (tmp_path / "drops").exists()


async def test_the_adapters_are_pointed_at_the_simulators_it_serves_and_a_real_source_stays(tmp_path: Path) -> None:
    real = "http://permits.legacy.example/"
    demo, listeners = legacy_demo(
        settings(tmp_path, ZHIJIAN_DEMO_LEGACY="true", ZHIJIAN_DEMO_REGISTRY_PORT="24020", ZHIJIAN_PERMITS_API_URL=real)
    )
    sources = AdapterSettings.from_env(demo.environ)
    assert sources.registry_url == "http://127.0.0.1:24020/registry"
    assert sources.permits_api_url == real
    assert sources.drop_dir == tmp_path / "drops"
    served = [(listener.port, listener.path) for listener in listeners]
    assert served == [(24020, "/registry"), (4021, "/api/v1/permits")]
    registry, permits = (listener.app for listener in listeners)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=registry), base_url="http://127.0.0.1") as http:
        wsdl = await http.get("/registry")
    assert wsdl.status_code == 200 and "GetChanges" in wsdl.text
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=permits), base_url="http://127.0.0.1") as http:
        page = (await http.get("/api/v1/permits", params={"limit": 10})).json()
    assert len(page["data"]) == 10 and page["nextCursor"] == "10"


async def test_the_sample_ledger_is_dropped_once_applied_and_its_bad_rows_reported(
    hub: RunningHub, tmp_path: Path
) -> None:
    demo, _ = legacy_demo(settings(tmp_path, ZHIJIAN_DEMO_LEGACY="true"))
    folder = tmp_path / "drops"
    assert [path.name for path in (folder / "incoming").iterdir()] == [SAMPLE]
    report = await sync(FileDropAdapter(folder, hub.hub.database), hub.hub.database, sink(hub, "files"))
    assert (report.counts.read, report.counts.applied, report.counts.rejected) == (5, 3, 2)
    assert await count(hub.hub.database, PermitRow) == 3
    written = (folder / "rejected" / "示例许可台账.rejected.csv").read_bytes().decode("gbk").splitlines()
    assert [line.split(",")[0] for line in written[1:]] == ["row 5", "row 6"]
    assert "统一社会信用代码" in written[1] and "UNKNOWN_CODE" in written[2] and "烧烤摊" in written[2]
    legacy_demo(demo)  # a restart does not drop the sample again
    assert not list((folder / "incoming").iterdir())

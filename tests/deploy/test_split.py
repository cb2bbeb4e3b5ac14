"""The split topology run for real on this machine (``hub.split``, what ``zhijian up --split`` runs): the migration
job, the provider, each subgraph, two gateway processes behind the front, and the short and long workers as
separate processes on PostgreSQL and Redis, each configured only by the variables the manifests give it
(``hub.deployment``, from which ``deploy/`` is generated). One topology serves every check: servers are not ready
until the migration job has run; an officer signs in at the provider and asks, through the front, a question two
subgraphs answer; while callers keep asking through the front, one gateway is killed (SIGKILL) and started again
and the short worker is stopped mid-run and started again: no request fails but those in flight on the killed
gateway, and every job finishes exactly once; while a subgraph is stopped the gateways stay in service (reporting
it degraded) and answer what the others hold; SIGTERM stops every process with exit 0."""

from __future__ import annotations

import asyncio
import re
import signal
from collections import Counter
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import orjson
import pytest
from arq import create_pool

from gateway.settings import GatewaySettings
from hub.components import SCHEMAS, SUBGRAPHS
from hub.deployment import Mount, deployables
from hub.embedded import build_hub
from hub.jobs import queue_name, redis_settings
from hub.seeding import seed as seed_records
from hub.serve import run_serve
from hub.settings import Settings
from hub.split import FRONT, GATEWAYS, Ports, Split
from identity.seed import seed_demo_identity
from identity.settings import IdentitySettings
from kernel.db import Database
from subgraphs.common.component import Queue
from tests.identity.browser import Browser
from tests.support.processes import Child, free_port, own_redis

QUERY = "{ entities(first: 20) { edges { node { uscc name permits { number holderUscc } } } } }"
SMALL = "{ permits(first: 2) { edges { node { number } } } }"
JOB = "permits.expire_permits"
JOBS = 120


@dataclass
class Callers:
    """Callers asking the front one request after another, each on a new connection, counting what failed
    (no answer: the connection refused, reset or closed) — the front's failures, which the test bounds."""

    front: str
    token: str
    answers: list[dict[str, object]] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    async def caller(self, stop: asyncio.Event) -> None:
        # A connection per request (no keep-alive): the front, which balances connections, balances requests.
        async with httpx.AsyncClient(timeout=30.0, limits=httpx.Limits(max_keepalive_connections=0)) as http:
            while not stop.is_set():
                try:
                    response = await http.post(
                        f"{self.front}/graphql",
                        json={"query": SMALL},
                        headers={"authorization": f"Bearer {self.token}"},
                    )
                except httpx.TransportError as error:
                    self.failed.append(repr(error))
                    continue
                assert response.status_code == 200, response.text
                self.answers.append(response.json())

    async def run(self, clients: int, stop: asyncio.Event) -> None:
        await asyncio.gather(*(self.caller(stop) for _ in range(clients)))


async def until(loading: asyncio.Task[None], condition: Callable[[], bool]) -> None:
    """Wait while the load runs until ``condition`` holds (a caller's failure is raised at once)."""
    while not condition():
        if loading.done():
            loading.result()
            raise AssertionError("the load stopped early")
        await asyncio.sleep(0.05)


async def readiness(http: httpx.AsyncClient, url: str, *, until_ready: bool, within: float = 180.0) -> httpx.Response:
    """``GET /ready`` once the server listens (and, with ``until_ready``, once it answers 200)."""
    async with asyncio.timeout(within):
        while True:
            try:
                response = await http.get(f"{url}/ready")
                if response.status_code == 200 or not until_ready:
                    return response
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.2)


async def seed(database_url: str, issuer: str, folder: Path) -> None:
    """Records in two subgraphs and the demo officers, written here (the test's own data, not the deployment's)."""
    environ = {"ZHIJIAN_DATABASE_URL": database_url, "ZHIJIAN_DATA_DIR": str(folder)}
    settings = Settings.from_env(environ)
    identity = IdentitySettings.from_env({"ZHIJIAN_IDENTITY_ISSUER": issuer})
    database = Database.from_url(database_url, SCHEMAS)
    hub = build_hub(settings, database, identity, GatewaySettings())
    try:
        assert await seed_records(database, hub.jobs.services, {"entities": 20, "permits": 30}, progress=False) == 0
        await seed_demo_identity(database, identity)
    finally:
        await hub.close()


def finished(workers: list[Child]) -> Counter[str]:
    """How often each job id finished, over every worker process's log lines."""
    done = re.compile(r"\[(split-job-\d+)\] done")
    return Counter(match.group(1) for worker in workers for line in worker.lines if (match := done.search(line)))


@pytest.fixture
async def split(postgres_database_url: str, tmp_path: Path) -> AsyncIterator[Split]:
    with own_redis(tmp_path) as redis:
        names = [FRONT, *GATEWAYS, "identity", *(c.name for c in SUBGRAPHS)]
        topology = Split(tmp_path, Ports({name: free_port() for name in names}), postgres_database_url, redis.url)
        try:
            yield topology
        finally:
            await topology.kill_all()
            for name, child in topology.children.items():
                print(f"--- {name}", *child.lines[-15:], sep="\n")


async def test_the_split_topology_serves_through_the_front_while_a_gateway_and_a_worker_are_killed(
    postgres_database_url: str, tmp_path: Path, split: Split
) -> None:
    for name in split.servers:
        await split.start(name)
    stop_front = asyncio.Event()
    front_listening = asyncio.Event()
    front_task = asyncio.create_task(split.serve_front(stop_front, front_listening))
    await front_listening.wait()
    front = split.url[FRONT]
    async with httpx.AsyncClient(timeout=10.0) as http:
        early = await readiness(http, split.url["identity"], until_ready=False)
        assert early.status_code == 503, early.text
        assert "migrations not at head: identity" in early.json()["checks"]["database"]

        await split.migrate()
        for name in ("worker-short", "worker-long"):
            await split.start(name)
        await seed(postgres_database_url, split.url["identity"], tmp_path / "seed")

        for name in split.servers:
            body = (await readiness(http, split.url[name], until_ready=True)).json()
            assert body["component"] == name.removesuffix("-b")
            assert set(body["checks"].values()) == {"ok"}, body
        gateway_checks = (await http.get(f"{front}/ready")).json()["checks"]
        assert set(gateway_checks) == {*(c.name for c in SUBGRAPHS), "jwks", "redis"}
        for name in ("worker-short", "worker-long"):
            await split.children[name].wait_for("worker started", within=180)

        async with httpx.AsyncClient(base_url=split.url["identity"], timeout=10.0) as provider:
            tokens = await Browser(provider).tokens("city.admin")
        token = tokens["access_token"]
        answer = await http.post(
            f"{front}/graphql",
            json={"query": QUERY},
            headers={"authorization": f"Bearer {token}", "x-request-id": "split-req-1"},
        )
        assert answer.status_code == 200, answer.text
        assert "errors" not in answer.json(), answer.text
        assert answer.headers["x-request-id"] == "split-req-1"
        for name, logger in (("entities", "entities"), ("permits", "permits")):
            line = await split.children[name].wait_for('"request_id":"split-req-1"', within=30)
            assert orjson.loads(line)["logger"] == f"zhijian.{logger}.access", line
        access = '"logger":"zhijian.gateway.access","event":"request","request_id":"split-req-1"'
        async with asyncio.timeout(30):  # the gateway that served it (either) logs it after answering
            while not any(access in line for g in GATEWAYS for line in split.children[g].lines):  # noqa: ASYNC110
                await asyncio.sleep(0.05)
        nodes = [edge["node"] for edge in answer.json()["data"]["entities"]["edges"]]
        assert len(nodes) == 20 and all(node["name"] for node in nodes)
        held = [permit for node in nodes for permit in node["permits"]]
        assert held, "the permits subgraph answered for the entities subgraph's records"
        assert {permit["holderUscc"] for permit in held} <= {node["uscc"] for node in nodes}

        # Four callers keep asking through the front. One gateway is killed (SIGKILL: its in-flight requests are
        # cut) and started again; the short worker is stopped (SIGTERM, as a rollout stops it) while it works
        # through the queued jobs, and it is started again. Only requests in flight on
        # the killed gateway may fail (at most one per caller); every job finishes exactly once.
        assert split.front is not None
        served = {backend.port: backend for backend in split.front.backends}
        killed = served[split.ports.servers["gateway-b"]]
        callers = Callers(front, token)
        stop = asyncio.Event()
        loading = asyncio.create_task(callers.run(4, stop))
        jobs = await create_pool(redis_settings(split.redis_url))
        first_worker = split.children["worker-short"]
        short = queue_name(Queue.SHORT)

        def workers() -> list[Child]:
            return [first_worker, split.children["worker-short"]]

        try:
            async with asyncio.timeout(240):  # a bound for a stuck run, not a measurement
                await until(loading, lambda: min(b.served for b in served.values()) >= 3)
                for n in range(JOBS):
                    await jobs.enqueue_job("run_job", JOB, {}, _job_id=f"split-job-{n}", _queue_name=short)
                await until(loading, lambda: sum(finished([first_worker]).values()) >= JOBS // 4)
                first_worker.signal(signal.SIGTERM)  # mid-run: jobs running and queued
                assert await first_worker.exit_code(within=60) == 0, "\n".join(first_worker.lines)

                split.children["gateway-b"].process.kill()
                await split.children["gateway-b"].exit_code(within=30)
                answered_at_kill = len(callers.answers)
                await until(loading, lambda: len(callers.answers) >= answered_at_kill + 40)
                assert killed.resting_until > 0, "the front passed over the killed gateway"

                await split.start("worker-short")
                await split.start("gateway-b")
                await readiness(http, split.url["gateway-b"], until_ready=True)
                back = killed.served
                await until(loading, lambda: killed.served >= back + 3)
                await until(
                    loading, lambda: sum(finished([first_worker, split.children["worker-short"]]).values()) >= JOBS
                )
                stop.set()
                await loading
        finally:
            stop.set()
            await jobs.aclose()
        assert len(callers.failed) <= 4, f"only requests in flight on the killed gateway fail: {callers.failed}"
        assert callers.answers and all("errors" not in a and a["data"] for a in callers.answers)
        counts = finished(workers())
        assert set(counts) == {f"split-job-{n}" for n in range(JOBS)} and set(counts.values()) == {1}, counts
        assert any("split-job" in line for line in split.children["worker-short"].lines), "the second worker ran some"

        unsigned = await http.post(f"{split.url['entities']}/graphql", json={"query": QUERY})
        assert unsigned.status_code == 401, "a subgraph answers only what the gateway signed"

        assert await split.stop("entities") == 0, "\n".join(split.children["entities"].lines)
        for gateway in GATEWAYS:
            gone = await http.get(f"{split.url[gateway]}/ready")
            assert gone.status_code == 200 and gone.json()["status"] == "degraded", gone.text
            assert gone.json()["checks"]["entities"] != "ok" and gone.json()["checks"]["permits"] == "ok"
        partial = await http.post(
            f"{front}/graphql",
            json={"query": "{ permits(first: 1) { edges { node { number } } } }"},
            headers={"authorization": f"Bearer {token}"},
        )
        assert partial.status_code == 200 and "errors" not in partial.json(), partial.text

    stop_front.set()
    await front_task
    codes = await split.stop_all()
    assert set(codes.values()) == {0}, codes
    logged = "\n".join(line for child in split.children.values() for line in child.lines)
    issued = [tokens[kind] for kind in ("access_token", "refresh_token", "id_token") if kind in tokens]
    assert issued and all(token not in logged for token in issued), "no token is logged"


def test_every_server_of_the_split_deployment_has_a_port_and_every_mount_a_source() -> None:
    for deployable in deployables():
        assert (deployable.port is None) == (deployable.role in ("worker", "job")), deployable.name
        for mount in deployable.files.values():
            assert isinstance(mount, Mount) and mount.source in ("secret", "configmap", "volume")


@pytest.mark.parametrize(
    ("component", "environ", "missing"),
    [
        ("gateway", {}, "ZHIJIAN_FORWARDING_KEY_FILE"),
        ("entities", {}, "ZHIJIAN_FORWARDING_PUBLIC_KEY_FILE"),
        ("permits", {"ZHIJIAN_FORWARDING_PUBLIC_KEY_FILE": "public.pem"}, "ZHIJIAN_PERMITS_CLIENT_SECRET"),
    ],
)
async def test_a_server_without_its_key_or_secret_refuses_to_start_naming_the_variable(
    component: str, environ: dict[str, str], missing: str, capsys: pytest.CaptureFixture[str]
) -> None:
    settings, identity = Settings.from_env(environ), IdentitySettings.from_env(environ)
    assert await run_serve(component, settings, identity, GatewaySettings.from_env(environ)) == 2
    assert missing in capsys.readouterr().err

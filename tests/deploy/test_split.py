"""The split deployment run for real on this machine: the migration job, the provider, the gateway, each subgraph
and a worker as separate processes on PostgreSQL and Redis, each configured only by the variables the manifests
give it (``hub.deployment``, from which ``deploy/`` is generated), at 127.0.0.1 and free ports instead of service
names. Servers are not ready until the migration job has run; then an officer signs in at the provider and asks
the gateway a question two subgraphs answer; SIGTERM stops every server with exit 0, and while a subgraph is
stopped the gateway stays in service (reporting it degraded) and answers what the others hold."""

from __future__ import annotations

import asyncio
import secrets
import signal
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import AsyncExitStack
from pathlib import Path

import httpx
import orjson
import pytest

from gateway.settings import GatewaySettings
from hub.components import SCHEMAS
from hub.deployment import PUBLIC_SETTINGS, Deployable, Mount, Place, deployables, environment
from hub.embedded import build_hub
from hub.seeding import seed as seed_records
from hub.serve import run_serve
from hub.settings import Settings
from identity.seed import seed_demo_identity
from identity.settings import IdentitySettings
from kernel.db import Database
from kernel.forwarding import IdentitySigner, generate_private_pem
from tests.identity.browser import Browser
from tests.support.processes import Child, free_port, own_redis, python

QUERY = "{ entities(first: 20) { edges { node { uscc name permits { number holderUscc } } } } }"
SMALL = "{ permits(first: 2) { edges { node { number } } } }"


class Front:
    """The client side of the two-gateway front, as deploy/README.md ("Two gateways") tells clients to retry: a
    query that got no answer (refused, reset, closed before the response) goes to the next gateway."""

    def __init__(self, http: httpx.AsyncClient, gateways: list[str], token: str) -> None:
        self.http, self.gateways, self.token = http, gateways, token
        self.turn = 0
        self.answered: dict[str, int] = dict.fromkeys(gateways, 0)
        self.retried = 0

    async def ask(self, query: str) -> dict[str, object]:
        for attempt in range(2 * len(self.gateways)):
            gateway = self.gateways[(self.turn + attempt) % len(self.gateways)]
            try:
                response = await self.http.post(
                    f"{gateway}/graphql", json={"query": query}, headers={"authorization": f"Bearer {self.token}"}
                )
            except httpx.TransportError:
                self.retried += 1
                continue
            self.turn += 1
            assert response.status_code == 200, response.text
            self.answered[gateway] += 1
            body: dict[str, object] = response.json()
            return body
        raise AssertionError("no gateway answered")


async def until(loading: asyncio.Task[list[dict[str, object]]], condition: Callable[[], bool]) -> None:
    """Wait while the load runs until ``condition`` holds (a caller's failure is raised at once)."""
    while not condition():
        if loading.done():
            loading.result()
            raise AssertionError("the load stopped early")
        await asyncio.sleep(0.05)


async def load(front: Front, clients: int, until: asyncio.Event) -> list[dict[str, object]]:
    """``clients`` callers asking ``SMALL`` one after another until ``until`` is set; every answer."""
    answers: list[dict[str, object]] = []

    async def caller() -> None:
        while not until.is_set():
            answers.append(await front.ask(SMALL))

    await asyncio.gather(*(caller() for _ in range(clients)))
    return answers


def local_place(ports: Mapping[str, int], folder: Path) -> Place:
    return Place(
        listen="127.0.0.1",
        address=lambda service, _port: f"http://127.0.0.1:{ports[service]}",
        port=lambda service, _port: ports[service],
        file=lambda mount: str(folder / mount.key),
    )


def secret_values(database_url: str, redis_url: str, names: set[str]) -> dict[str, str]:
    values = {"ZHIJIAN_DATABASE_URL": database_url, "ZHIJIAN_REDIS_URL": redis_url}
    return {name: values.get(name) or secrets.token_urlsafe(32) for name in names}


async def run_once(args: list[str], env: Mapping[str, str]) -> None:
    child = await Child.start(python("-m", "hub.cli", *args), env, inherit=False)
    assert await child.exit_code(within=180) == 0, "\n".join(child.lines)


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


@pytest.fixture
async def stack() -> AsyncIterator[AsyncExitStack]:
    async with AsyncExitStack() as exits:
        yield exits


async def test_the_split_deployment_serves_a_signed_in_federated_query(
    postgres_database_url: str, tmp_path: Path, stack: AsyncExitStack
) -> None:
    redis = stack.enter_context(own_redis(tmp_path))
    processes = deployables()
    servers = [d for d in processes if d.port is not None]
    ports = {d.name: free_port() for d in servers}
    second_gateway = free_port()
    files = tmp_path / "mounted"
    files.mkdir()
    place = local_place(ports, files)
    processes = deployables(place)
    pem = generate_private_pem()
    (files / "private.pem").write_text(pem, encoding="ascii")
    (files / "public.pem").write_text(IdentitySigner.from_private_pem(pem).public_pem(), encoding="ascii")
    issuer = f"http://127.0.0.1:{ports['identity']}"
    gateway_origin = f"http://127.0.0.1:{ports['gateway']}"
    public = dict(zip(PUBLIC_SETTINGS, (issuer, f"{gateway_origin}/graphql", gateway_origin), strict=True))
    values = secret_values(postgres_database_url, redis.url, {n for d in processes for n in d.secrets})

    def env_of(deployable: Deployable) -> dict[str, str]:
        env = environment(deployable, place, values) | {"ZHIJIAN_DATA_DIR": str(tmp_path / deployable.name)}
        return env | (public if deployable.public_config else {})

    by_name = {d.name: d for d in processes}
    children: dict[str, Child] = {}

    async def start(deployable: Deployable, name: str | None = None, **env: str) -> None:
        children[name or deployable.name] = await Child.start(
            python("-m", "hub.cli", *deployable.args), env_of(deployable) | env, inherit=False
        )

    async def start_second_gateway() -> None:
        await start(by_name["gateway"], "gateway-b", ZHIJIAN_GATEWAY_PORT=str(second_gateway))

    for server in servers:
        await start(by_name[server.name])
    await start_second_gateway()
    try:
        async with httpx.AsyncClient(timeout=10.0) as http:
            identity_url = f"http://127.0.0.1:{ports['identity']}"
            early = await readiness(http, identity_url, until_ready=False)
            assert early.status_code == 503, early.text
            assert "migrations not at head: identity" in early.json()["checks"]["database"]

            await run_once(["migrate"], env_of(by_name["migrate"]))
            await start(by_name["worker-short"])
            await seed(postgres_database_url, issuer, tmp_path / "seed")

            for name, port in {**ports, "gateway-b": second_gateway}.items():
                body = (await readiness(http, f"http://127.0.0.1:{port}", until_ready=True)).json()
                assert body["component"] == name.removesuffix("-b")
                assert set(body["checks"].values()) == {"ok"}, body
            gateway_checks = (await http.get(f"http://127.0.0.1:{ports['gateway']}/ready")).json()["checks"]
            assert set(gateway_checks) == {*(d.name for d in servers if d.role == "subgraph"), "jwks", "redis"}
            await children["worker-short"].wait_for("worker started", within=180)

            async with httpx.AsyncClient(base_url=identity_url, timeout=10.0) as provider:
                tokens = await Browser(provider).tokens("city.admin")
            answer = await http.post(
                f"http://127.0.0.1:{ports['gateway']}/graphql",
                json={"query": QUERY},
                headers={"authorization": f"Bearer {tokens['access_token']}", "x-request-id": "split-req-1"},
            )
            assert answer.status_code == 200, answer.text
            assert "errors" not in answer.json(), answer.text
            assert answer.headers["x-request-id"] == "split-req-1"
            for name, logger in (("gateway", "gateway"), ("entities", "entities"), ("permits", "permits")):
                line = await children[name].wait_for('"request_id":"split-req-1"', within=30)
                assert orjson.loads(line)["logger"] == f"zhijian.{logger}.access", line
            nodes = [edge["node"] for edge in answer.json()["data"]["entities"]["edges"]]
            assert len(nodes) == 20 and all(node["name"] for node in nodes)
            held = [permit for node in nodes for permit in node["permits"]]
            assert held, "the permits subgraph answered for the entities subgraph's records"
            by_uscc = {node["uscc"] for node in nodes}
            assert {permit["holderUscc"] for permit in held} <= by_uscc

            # Two gateways over the same subgraphs; one is killed (SIGKILL: its in-flight requests are cut) while
            # four callers keep asking through the front. Each request is retried per the rule and answered.
            gateways = [f"http://127.0.0.1:{ports['gateway']}", f"http://127.0.0.1:{second_gateway}"]
            front = Front(http, gateways, tokens["access_token"])
            stop = asyncio.Event()
            loading = asyncio.create_task(load(front, 4, stop))
            async with asyncio.timeout(180):  # a bound for a stuck run, not a measurement
                await until(loading, lambda: min(front.answered.values()) >= 3)
                children["gateway-b"].process.kill()
                await children["gateway-b"].exit_code(within=30)
                before = dict(front.answered)
                await until(loading, lambda: front.answered[gateways[0]] >= before[gateways[0]] + 20)
                stop.set()
                answers = await loading
            assert answers and all("errors" not in a and a["data"] for a in answers), "no request was lost"
            assert front.answered[gateways[1]] <= before[gateways[1]] + 4, "only requests already in flight"
            await start_second_gateway()

            unsigned = await http.post(f"http://127.0.0.1:{ports['entities']}/graphql", json={"query": QUERY})
            assert unsigned.status_code == 401, "a subgraph answers only what the gateway signed"

            children["entities"].signal(signal.SIGTERM)
            assert await children["entities"].exit_code(within=60) == 0, "\n".join(children["entities"].lines)
            gone = await http.get(f"http://127.0.0.1:{ports['gateway']}/ready")
            assert gone.status_code == 200 and gone.json()["status"] == "degraded", gone.text
            assert gone.json()["checks"]["entities"] != "ok" and gone.json()["checks"]["permits"] == "ok"
            partial = await http.post(
                f"http://127.0.0.1:{ports['gateway']}/graphql",
                json={"query": "{ permits(first: 1) { edges { node { number } } } }"},
                headers={"authorization": f"Bearer {tokens['access_token']}"},
            )
            assert partial.status_code == 200 and "errors" not in partial.json(), partial.text

            await readiness(http, gateways[1], until_ready=True)
            restarted = await http.post(
                f"{gateways[1]}/graphql",
                json={"query": SMALL},
                headers={"authorization": f"Bearer {tokens['access_token']}"},
            )
            assert restarted.status_code == 200 and "errors" not in restarted.json(), restarted.text

        for child in children.values():
            if child.process.returncode is None:
                child.signal(signal.SIGTERM)
        for name, child in children.items():
            assert await child.exit_code(within=60) == 0, f"{name}:\n" + "\n".join(child.lines)
        logged = "\n".join(line for child in children.values() for line in child.lines)
        issued = [tokens[kind] for kind in ("access_token", "refresh_token", "id_token") if kind in tokens]
        assert issued and all(token not in logged for token in issued), "no token is logged"
    finally:
        for name, child in children.items():
            await child.kill()
            print(f"--- {name}", *child.lines[-15:], sep="\n")


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

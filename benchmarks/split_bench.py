"""The split topology beside the single-process hub, in one run, on one database.

    python -m benchmarks.split_bench [--seconds 15] [--concurrency 8]

Starts, on a fresh PostgreSQL database (``ZHIJIAN_TEST_DATABASE_URL``'s server) seeded with 200 entities and 300
permits: the split topology as ``zhijian up --split`` runs it (``hub.split``: provider, each subgraph and two
gateway processes behind the front, 127.0.0.1 and ports 21600+; no workers: nothing here queues jobs) and
``zhijian up`` (everything in one process, ports 21650+), both with the same secrets. Each asks, at the front and
at the single process's gateway, ``--concurrency`` requests at a time for ``--seconds``: the federated benchmark
query (entities with their permits: two subgraphs) as a machine client, the same as a signed-in district officer
(futian.case: the jurisdiction filter, the personal-data read audit), and a one-subgraph query. Prints requests
per second, p50 and p99, and the split/single ratio, per query.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import statistics
import sys
import time
import uuid
from pathlib import Path
from tempfile import TemporaryDirectory

import asyncpg
import httpx

from gateway.settings import GatewaySettings
from hub.components import SCHEMAS, SUBGRAPHS
from hub.embedded import build_hub, migrate, provision_machine_clients
from hub.seeding import seed
from hub.settings import Settings
from hub.split import FRONT, GATEWAYS, Ports, Split
from identity.directory import Directory
from identity.passwords import generate_secret
from identity.seed import seed_demo_identity
from identity.settings import IdentitySettings
from kernel.db import Database
from tests.identity.browser import Browser
from tests.support.processes import Child, python

FEDERATED = "{ entities(first: 20) { edges { node { uscc name permits { number } } } } }"
ONE_SUBGRAPH = "{ entities(first: 20) { edges { node { uscc name } } } }"
SCOPES = ("entities:read", "permits:read")


async def fresh_database() -> tuple[str, str]:
    server = os.environ.get("ZHIJIAN_TEST_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")
    base = server.rsplit("/", 1)[0]
    name = f"split_bench_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(base.replace("postgresql+asyncpg", "postgresql") + "/postgres")
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    return f"{base}/{name}", name


async def drop_database(url: str, name: str) -> None:
    admin = await asyncpg.connect(url.rsplit("/", 1)[0].replace("postgresql+asyncpg", "postgresql") + "/postgres")
    await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await admin.close()


async def ready(http: httpx.AsyncClient, url: str) -> None:
    async with asyncio.timeout(300):
        while True:
            try:
                if (await http.get(url)).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.5)


async def token(http: httpx.AsyncClient, issuer: str, client_id: str, secret: str) -> str:
    response = await http.post(
        f"{issuer}/token",
        data={"grant_type": "client_credentials", "scope": " ".join(SCOPES)},
        auth=(client_id, secret),
    )
    response.raise_for_status()
    return str(response.json()["access_token"])


async def load(url: str, bearer: str, query: str, seconds: float, concurrency: int) -> tuple[float, float, float]:
    """Requests per second, p50 and p99 in ms; every answer must be a 200 without errors."""
    latencies: list[float] = []
    headers = {"authorization": f"Bearer {bearer}"}
    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(timeout=30, limits=limits) as http:
        end = time.perf_counter() + seconds

        async def client() -> None:
            while time.perf_counter() < end:
                start = time.perf_counter()
                response = await http.post(url, json={"query": query}, headers=headers)
                latencies.append(time.perf_counter() - start)
                assert response.status_code == 200 and "errors" not in response.json(), response.text

        began = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(concurrency)))
        elapsed = time.perf_counter() - began
    cuts = statistics.quantiles(latencies, n=100)
    return len(latencies) / elapsed, cuts[49] * 1000, cuts[98] * 1000


async def main(seconds: float, concurrency: int) -> None:
    database_url, name = await fresh_database()
    children: list[Child] = []
    split: Split | None = None
    try:
        with TemporaryDirectory() as scratch:
            folder = Path(scratch)
            names = [FRONT, *GATEWAYS, "identity", *(c.name for c in SUBGRAPHS)]
            redis_url = os.environ.get("ZHIJIAN_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
            ports = Ports({n: 21600 + i for i, n in enumerate(names)})
            split = Split(folder / "split", ports, database_url, redis_url)
            values = split.values
            clients = {k: v for k, v in values.items() if k.endswith("_CLIENT_SECRET")}
            settings = Settings.from_env({"ZHIJIAN_DATABASE_URL": database_url, **clients})
            database = Database.from_url(database_url, SCHEMAS)
            await migrate(database)
            await provision_machine_clients(database, settings)
            hub = build_hub(
                Settings.from_env({"ZHIJIAN_DATABASE_URL": database_url, "ZHIJIAN_DATA_DIR": str(folder / "seed")}),
                database,
                IdentitySettings.from_env({}),
                GatewaySettings(),
            )
            await seed(database, hub.jobs.services, {"entities": 200, "permits": 300}, progress=False)
            client_id, client_secret = f"bench-{secrets.token_hex(4)}", generate_secret()
            await Directory(database).add_client(
                client_id, "split bench", token_endpoint_auth_method="client_secret_basic",
                grant_types=("client_credentials",), scopes=SCOPES, secret=client_secret, secret_generated=True,
            )  # fmt: skip
            await hub.close()

            single_gateway, single_issuer = "http://127.0.0.1:21650", "http://127.0.0.1:21660"
            # the demo officers, with the redirect addresses of both deployments' gateways
            for issuer in (split.url["identity"], single_issuer):
                await seed_demo_identity(database, IdentitySettings.from_env({"ZHIJIAN_IDENTITY_ISSUER": issuer}))

            for server in split.servers:
                await split.start(server)
            front_stop, front_ready = asyncio.Event(), asyncio.Event()
            front = asyncio.create_task(split.serve_front(front_stop, front_ready))
            await front_ready.wait()
            subgraph_ports = {f"ZHIJIAN_{c.name.upper()}_PORT": str(21661 + i) for i, c in enumerate(SUBGRAPHS)}
            single_env = {
                "ZHIJIAN_DATABASE_URL": database_url, "ZHIJIAN_DATA_DIR": str(folder / "single"),
                "ZHIJIAN_SEED_DEMO": "false", "ZHIJIAN_GATEWAY_PORT": "21650", "ZHIJIAN_IDENTITY_PORT": "21660",
                **subgraph_ports, **clients,
            }  # fmt: skip
            children.append(await Child.start(python("-m", "hub.cli", "up"), single_env, inherit=False))
            async with httpx.AsyncClient(timeout=30) as http:
                for server in split.servers:
                    await ready(http, f"{split.url[server]}/ready")
                await ready(http, f"{single_gateway}/health")
                split_token = await token(http, split.url["identity"], client_id, client_secret)
                single_token = await token(http, single_issuer, client_id, client_secret)
            async with httpx.AsyncClient(base_url=split.url["identity"], timeout=30) as provider:
                split_officer = (await Browser(provider).tokens("futian.case"))["access_token"]
            async with httpx.AsyncClient(base_url=single_issuer, timeout=30) as provider:
                single_officer = (await Browser(provider).tokens("futian.case"))["access_token"]
            front_url = f"{split.url[FRONT]}/graphql"
            print(f"{concurrency} concurrent clients, {seconds:g} s each; machine load {os.getloadavg()[0]:.1f}")
            print("| query | deployment | req/s | p50 ms | p99 ms |")
            print("| --- | --- | ---: | ---: | ---: |")
            runs = (
                ("federated (2 subgraphs), machine client", FEDERATED, split_token, single_token),
                ("federated, signed-in officer", FEDERATED, split_officer, single_officer),
                ("one subgraph, machine client", ONE_SUBGRAPH, split_token, single_token),
            )
            for label, query, at_split, at_single in runs:
                split_figures = await load(front_url, at_split, query, seconds, concurrency)
                single = await load(f"{single_gateway}/graphql", at_single, query, seconds, concurrency)
                print(f"| {label} | split (front, 2 gateways) | {split_figures[0]:.0f} | {split_figures[1]:.1f} | "
                      f"{split_figures[2]:.1f} |")  # fmt: skip
                print(f"| {label} | single process | {single[0]:.0f} | {single[1]:.1f} | {single[2]:.1f} |")
                print(f"| {label} | split / single | {split_figures[0] / single[0]:.2f}× | | |")
            print(f"machine load after: {os.getloadavg()[0]:.1f}")
            front_stop.set()
            await front
            await database.dispose()
    except BaseException:
        for process, child in [("single", c) for c in children] + list(split.children.items() if split else []):
            print(f"--- {process}", *child.lines[-8:], sep="\n", file=sys.stderr)
        raise
    finally:
        for child in children:
            await child.kill()
        if split is not None:
            await split.kill_all()
        await drop_database(database_url, name)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    asyncio.run(main(args.seconds, args.concurrency))
    sys.exit(0)

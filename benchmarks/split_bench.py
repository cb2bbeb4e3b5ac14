"""The split deployment beside the single-process hub, in one run, on one database.

    python -m benchmarks.split_bench [--seconds 15] [--concurrency 8]

Starts, on a fresh PostgreSQL database (``ZHIJIAN_TEST_DATABASE_URL``'s server) seeded with 200 entities and 300
permits: the split deployment as ``hub.deployment`` describes it (provider, gateway and each subgraph as their
own processes, 127.0.0.1 and ports 21600+) and ``zhijian up`` (everything in one process, ports 21650+), both with
the same secrets. A machine client signed in at each provider then asks each gateway, ``--concurrency`` requests
at a time for ``--seconds``: the federated query (entities with their permits: two subgraphs) and a
one-subgraph query. Prints requests per second, p50 and p99, and the split/single ratio, per query.
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
from hub.components import SCHEMAS
from hub.deployment import PUBLIC_SETTINGS, deployables, environment
from hub.embedded import build_hub, migrate, provision_machine_clients
from hub.seeding import seed
from hub.settings import Settings
from identity.directory import Directory
from identity.passwords import generate_secret
from identity.settings import IdentitySettings
from kernel.db import Database
from kernel.forwarding import IdentitySigner, generate_private_pem
from tests.deploy.test_split import local_place, secret_values
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
    try:
        with TemporaryDirectory() as scratch:
            folder = Path(scratch)
            servers = [d for d in deployables() if d.port is not None]
            ports = {d.name: 21600 + i for i, d in enumerate(servers)}
            place = local_place(ports, folder)
            pem = generate_private_pem()
            (folder / "private.pem").write_text(pem, encoding="ascii")
            (folder / "public.pem").write_text(IdentitySigner.from_private_pem(pem).public_pem(), encoding="ascii")
            redis_url = os.environ.get("ZHIJIAN_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
            processes = deployables(place)
            values = secret_values(database_url, redis_url, {n for d in processes for n in d.secrets})
            issuer = f"http://127.0.0.1:{ports['identity']}"
            gateway = f"http://127.0.0.1:{ports['gateway']}"
            public = dict(zip(PUBLIC_SETTINGS, (issuer, f"{gateway}/graphql", gateway), strict=True))

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

            for deployable in servers:
                d = next(p for p in processes if p.name == deployable.name)
                env = environment(d, place, values) | {"ZHIJIAN_DATA_DIR": str(folder / d.name)}
                env |= public if d.public_config else {}
                children.append(await Child.start(python("-m", "hub.cli", *d.args), env, inherit=False))
            single_gateway, single_issuer = "http://127.0.0.1:21650", "http://127.0.0.1:21660"
            single_env = {
                "ZHIJIAN_DATABASE_URL": database_url, "ZHIJIAN_DATA_DIR": str(folder / "single"),
                "ZHIJIAN_SEED_DEMO": "false", "ZHIJIAN_GATEWAY_PORT": "21650", "ZHIJIAN_IDENTITY_PORT": "21660",
                "ZHIJIAN_ENTITIES_PORT": "21661", "ZHIJIAN_PERMITS_PORT": "21662", "ZHIJIAN_INTEGRATION_PORT": "21663",
                **clients,
            }  # fmt: skip
            children.append(await Child.start(python("-m", "hub.cli", "up"), single_env, inherit=False))
            async with httpx.AsyncClient(timeout=30) as http:
                for url in [f"http://127.0.0.1:{port}/ready" for port in ports.values()]:
                    await ready(http, url)
                await ready(http, f"{single_gateway}/health")
                split_token = await token(http, issuer, client_id, client_secret)
                single_token = await token(http, single_issuer, client_id, client_secret)
            print(f"{concurrency} concurrent clients, {seconds:g} s each; machine load {os.getloadavg()[0]:.1f}")
            print("| query | deployment | req/s | p50 ms | p99 ms |")
            print("| --- | --- | ---: | ---: | ---: |")
            for label, query in (("federated (2 subgraphs)", FEDERATED), ("one subgraph", ONE_SUBGRAPH)):
                split = await load(f"{gateway}/graphql", split_token, query, seconds, concurrency)
                single = await load(f"{single_gateway}/graphql", single_token, query, seconds, concurrency)
                print(f"| {label} | split | {split[0]:.0f} | {split[1]:.1f} | {split[2]:.1f} |")
                print(f"| {label} | single process | {single[0]:.0f} | {single[1]:.1f} | {single[2]:.1f} |")
                print(f"| {label} | split / single | {split[0] / single[0]:.2f}× | | |")
            await database.dispose()
    finally:
        for child in children:
            await child.kill()
        await drop_database(database_url, name)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    asyncio.run(main(args.seconds, args.concurrency))
    sys.exit(0)

"""Reads on a real PostgreSQL streaming replica (``ZHIJIAN_DATABASE_READ_URL``), never the machine's shared server:
the test makes a primary cluster of its own (``initdb``, port 21655) and a streaming replica of it
(``pg_basebackup -R``, port 21656). With the replica's replay paused (replica lag, made certain), a mutation
answers what it wrote and a request that writes then reads sees its write (both on the primary), while the next
request's query reads the replica's older copy; replay resumed, the replica catches up. With the replica stopped,
queries are answered from the primary and ``/ready`` says the subgraph is degraded, naming the replica."""

from __future__ import annotations

import asyncio
import contextlib
import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from sqlalchemy import select, update

from hub.probes import Probes
from kernel.db import Database
from kernel.orgtree import default_org_tree
from subgraphs.common.jurisdiction import Jurisdiction, open_request_session, request_sessions
from subgraphs.entities.component import component
from subgraphs.entities.models import MarketEntityRow
from subgraphs.entities.services import EntityServices
from tests.subgraphs.entities.harness import REGISTER, Subgraph, application
from tests.support.clock import Clock
from tests.support.components import app_of, migrated
from tests.support.identities import CITY_OFFICER

PRIMARY_PORT, REPLICA_PORT = 21655, 21656
USCC = "91440300MA5H7K2P12"
NAME = "深圳市华强食品有限公司"
ASK = "query($u: String!) { entity(uscc: $u) { name suspensions { startsOn } } }"
SUSPEND = """
mutation($input: SuspendEntityInput!) {
  suspendEntity(input: $input) { entity { name suspensions { startsOn } } }
}"""
SUSPENSION = {"input": {"uscc": USCC, "startsOn": "2025-10-01", "until": "2026-09-30"}}
BINARIES = sorted(glob.glob("/usr/lib/postgresql/*/bin"))


@dataclass(frozen=True)
class Cluster:
    """A PostgreSQL cluster of this test's own, in ``folder``, run as the ``postgres`` user when we are root."""

    folder: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/postgres"

    @property
    def dsn(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def pg_ctl(self, *args: str) -> None:
        run("pg_ctl", "-D", str(self.folder), "-w", "-t", "60", *args)

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.folder}"
        self.pg_ctl("-o", options, "-l", str(self.folder / "server.log"), "start")

    def stop(self) -> None:
        self.pg_ctl("-m", "fast", "stop")


def run(program: str, *args: str) -> None:
    command = [os.path.join(BINARIES[-1], program), *args]
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    subprocess.run(command, check=True, capture_output=True, timeout=120)


@pytest.fixture(scope="module")
def clusters() -> Iterator[tuple[Cluster, Cluster]]:
    if not BINARIES or (not shutil.which("runuser") and os.geteuid() == 0):
        pytest.skip("no PostgreSQL server binaries (initdb, pg_basebackup under /usr/lib/postgresql/*/bin)")
    folder = Path(tempfile.mkdtemp(prefix="zhijian-replica-"))
    folder.chmod(0o755)
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    primary, replica = Cluster(folder / "primary", PRIMARY_PORT), Cluster(folder / "replica", REPLICA_PORT)
    started: list[Cluster] = []
    try:
        # initdb's defaults: trust for local connections, replication included; wal_level=replica
        run("initdb", "-D", str(primary.folder), "-U", "postgres", "--auth=trust", "--no-sync")
        primary.start()
        started.append(primary)
        run("pg_basebackup", "-h", "127.0.0.1", "-p", str(PRIMARY_PORT), "-U", "postgres", "-D", str(replica.folder))
        (replica.folder / "standby.signal").touch()
        if os.geteuid() == 0:
            shutil.chown(replica.folder / "standby.signal", "postgres", "postgres")
        with (replica.folder / "postgresql.auto.conf").open("a") as conf:
            conf.write(f"primary_conninfo = 'host=127.0.0.1 port={PRIMARY_PORT} user=postgres'\n")
        replica.start()
        started.append(replica)
        yield primary, replica
    finally:
        for cluster in reversed(started):
            with contextlib.suppress(subprocess.CalledProcessError):
                cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)


async def replayed(replica: Cluster) -> None:
    """Wait until the replica has replayed everything the primary wrote so far."""
    primary_dsn = replica.dsn.replace(str(REPLICA_PORT), str(PRIMARY_PORT))
    source = await asyncpg.connect(primary_dsn)
    target = await asyncpg.connect(replica.dsn)
    try:
        written = await source.fetchval("SELECT pg_current_wal_lsn()")
        async with asyncio.timeout(30):
            while not await target.fetchval("SELECT pg_last_wal_replay_lsn() >= $1", written):  # noqa: ASYNC110
                await asyncio.sleep(0.05)
    finally:
        await source.close()
        await target.close()


async def on_replica(replica: Cluster, statement: str) -> Any:
    connection = await asyncpg.connect(replica.dsn)
    try:
        return await connection.fetchval(statement)
    finally:
        await connection.close()


async def ask(database: Database, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    transport = httpx.ASGITransport(app=app_of(component, database, EntityServices(clock=Clock())))
    async with httpx.AsyncClient(transport=transport, base_url="http://entities.test") as client:
        return await Subgraph(client).data(query, variables)


async def test_reads_on_a_streaming_replica_with_lag_and_without_the_replica(
    clusters: tuple[Cluster, Cluster],
) -> None:
    primary_cluster, replica_cluster = clusters
    primary = await migrated(primary_cluster.url, component)
    routed = Database.from_url(primary_cluster.url, primary.schemas, read_url=replica_cluster.url)
    assert routed.replica_link is not None and routed.replica is not None
    try:
        assert await on_replica(replica_cluster, "SELECT pg_is_in_recovery()") is True, "a streaming replica"
        await ask(primary, REGISTER, {"input": application(name=NAME)})
        await replayed(replica_cluster)
        assert await ask(routed, ASK, {"u": USCC}) == {"entity": {"name": NAME, "suspensions": []}}

        # Replica lag: replay paused, so the replica holds what it had before the writes below.
        await on_replica(replica_cluster, "SELECT pg_wal_replay_pause()")
        filed = {"name": NAME, "suspensions": [{"startsOn": "2025-10-01"}]}
        changed = await ask(routed, SUSPEND, SUSPENSION)
        assert changed == {"suspendEntity": {"entity": filed}}, "a mutation answers what it wrote (the primary)"
        jurisdiction = Jurisdiction.of(CITY_OFFICER, default_org_tree(), component.scopes)
        name = select(MarketEntityRow.name).where(MarketEntityRow.uscc == USCC)
        session = open_request_session(request_sessions(routed.engine), jurisdiction, routed.replica)
        try:
            assert await session.scalar(name) == NAME, "a read before the request writes: the replica"
            renamed = "深圳市华强北食品有限公司"
            await session.execute(update(MarketEntityRow).where(MarketEntityRow.uscc == USCC).values(name=renamed))
            assert await session.scalar(name) == renamed, "a read after the request's write sees it (the primary)"
            await session.commit()
        finally:
            await session.close()
        lagging = await ask(routed, ASK, {"u": USCC})
        assert lagging == {"entity": {"name": NAME, "suspensions": []}}, "the next request reads the lagging replica"

        await on_replica(replica_cluster, "SELECT pg_wal_replay_resume()")
        await replayed(replica_cluster)
        caught_up = {"entity": {"name": renamed, "suspensions": filed["suspensions"]}}
        assert await ask(routed, ASK, {"u": USCC}) == caught_up

        # The replica goes away: reads fall back to the primary; readiness names the replica, degraded.
        probes = Probes(
            app_of(component, routed, EntityServices(clock=Clock())),
            "entities",
            {},
            advisory={
                "replica": routed.replica_link.check,
            },
        )
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=probes), base_url="http://e.test") as http:
            assert (await http.get("/ready")).json()["status"] == "ready"
            replica_cluster.stop()
            try:
                await routed.replica.dispose()  # the pool's connections died with the server (in flight: lost)
                async with primary.transaction() as writing:
                    await writing.execute(update(MarketEntityRow).where(MarketEntityRow.uscc == USCC).values(name=NAME))
                answer = await ask(routed, ASK, {"u": USCC})
                assert answer["entity"]["name"] == NAME, "read on the primary"
                assert routed.replica_link.down is not None
                ready = await http.get("/ready")
                assert ready.status_code == 200 and ready.json()["status"] == "degraded", ready.text
                assert "fall back to the primary" in ready.json()["checks"]["replica"], ready.text
            finally:
                replica_cluster.start()
            await replayed(replica_cluster)
            assert (await http.get("/ready")).json()["status"] == "ready"
    finally:
        await routed.dispose()
        await primary.dispose()

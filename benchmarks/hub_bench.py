"""The whole hub end to end, this tree beside a baseline commit in the same run.

    python -m benchmarks.hub_bench [--baseline HEAD~1] [--entities 20000] [--permits 6000] [--seconds 3]
                                   [--connections 16] [--modes embedded,split]

Workloads, each closed-loop over ``--connections`` keep-alive connections for ``--seconds``:

- ``entity×1``: ``entities(first: 1) { … uscc name }`` at the gateway;
- ``entities×20``: ``entities(first: 20) { … uscc name status districtCode permits { number status validTo } }``;
- ``permits×20``: ``permits(first: 20) { … number kind status validTo holder { uscc name } }``;
- ``submit``: ``submitPermitApplication`` (a new catering application, a different applicant each time);
- ``_entities×100``: one federation ``_entities`` call with 100 ``MarketEntity`` representations, straight to the
  entities subgraph with a gateway-signed identity (as the gateway sends it).

Modes: ``embedded`` is ``zhijian up``'s shape (one process: gateway, provider and subgraphs, on SQLite); ``split``
runs the gateway (with the provider) and each subgraph as its own process on PostgreSQL. The caller is a machine
client of the whole city (org path 440300, role ``service_portal``): the same jurisdiction as ``city.admin``.

The baseline is the same code at ``--baseline`` (a ``git worktree`` under ``--work``), started the same way from
the same virtual environment, and both trees' servers run side by side on copies of one seeded data set, the
workloads alternating between them, so a busy machine slows both alike. Reported per workload and tree: requests,
errors, p50/p99 latency, requests per CPU-second of each server process (utime + stime from ``/proc``), CPU ms per
request over all of them, and the baseline's CPU per request over this tree's (the speed-up).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hub.components import SUBGRAPHS

ROOT = Path(__file__).resolve().parents[1]
PORT_BASE = int(os.environ.get("HUB_BENCH_PORT_BASE", "21700"))
PG_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/zhijian_hub_bench"
CLIENT_ID = "hub-bench-portal"
CLIENT_SCOPES = ("entities:read", "permits:read", "permits:write", "supervision:read", "enforcement:read")
CLIENT_SECRET = "hub-bench-secret-0123456789abcdef0123456789abcdef"  # a local benchmark database only

ENTITY_1 = "{ entities(first: 1) { edges { node { uscc name } } } }"
ENTITIES_20 = (
    "{ entities(first: 20) { edges { node { uscc name status districtCode permits { number status validTo } } } } }"
)
PERMITS_20 = "{ permits(first: 20) { edges { node { number kind status validTo holder { uscc name } } } } }"
SUBMIT = (
    "mutation($input: PermitApplicationInput!) { submitPermitApplication(input: $input) { application { id state } } }"
)
TASKS_20 = "{ inspectionTasks(first: 20) { edges { node { id status dueOn inspectors } } } }"
CASES_20 = "{ cases(first: 20) { edges { node { id stage procedure partyUscc districtCode } } } }"
ENTITIES_BATCH = "query($r: [_Any!]!) { _entities(representations: $r) { ... on MarketEntity { uscc name status } } }"


# --------------------------------------------------------------------------------------------------------- servers


def serve(role: str) -> None:
    """Run one server process of the hub (in the tree on ``PYTHONPATH``), configured by ``ZHIJIAN_*``."""
    import httpx

    from gateway.auth import TokenValidator
    from gateway.http.app import create_app
    from gateway.http.auth import EdgeAuth, issuers_from_settings
    from gateway.settings import GatewaySettings
    from hub.embedded import build_hub, open_database
    from hub.servers import Listener, bind_all, serve_all
    from hub.settings import Settings
    from hub.supergraph import compose_code
    from identity.settings import IdentitySettings
    from kernel.forwarding import IdentitySigner, kept_private_pem
    from kernel.revocation import LocalRevocations

    settings = Settings.from_env(os.environ)
    identity = IdentitySettings.from_env(os.environ)
    gateway_settings = GatewaySettings.from_env(os.environ)

    async def main() -> None:
        database = open_database(settings)
        hub = build_hub(settings, database, identity, gateway_settings)
        listeners: tuple[Listener, ...]
        if role == "embedded":
            listeners = hub.listeners(settings)
        elif role == "gateway":  # the gateway reaching the subgraphs over HTTP, and the provider beside it
            edge = GatewaySettings(
                host=settings.host,
                port=settings.gateway_port,
                issuer=identity.issuer,
                audience=identity.gateway_audience,
            )
            jwks = httpx.AsyncClient(mounts={identity.issuer: httpx.ASGITransport(app=hub.identity)}, timeout=10.0)
            gateway = create_app(
                compose_code(settings.host, settings.subgraph_ports),
                edge,
                validator=EdgeAuth(TokenValidator(issuers_from_settings(edge), jwks), revocations=LocalRevocations()),
                signer=IdentitySigner.from_private_pem(kept_private_pem(settings.data_dir)),
            )
            listeners = (
                Listener("gateway", gateway, settings.gateway_port, "/graphql"),
                Listener("identity provider", hub.identity, settings.identity_port, "/"),
            )
        else:
            listeners = (Listener(role, hub.subgraphs[role], settings.subgraph_ports[role], "/graphql"),)
        if profiler is not None:  # a CPU-time profile of serving (not of starting), written when it stops
            profiler.enable()
        await serve_all(listeners, bind_all(listeners, settings.host), log_level="warning")

    profiler = cProfile.Profile(time.process_time) if os.environ.get("HUB_BENCH_PROFILE") else None
    try:
        import uvloop

        uvloop.run(main())
    finally:
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(Path(os.environ["HUB_BENCH_PROFILE"]) / f"{settings.data_dir.name}-{role}.prof")


@dataclass
class Tree:
    """One checkout under test and its running server processes."""

    label: str
    path: Path
    data_dir: Path
    ports: dict[str, int]
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def environ(self, database_url: str) -> dict[str, str]:
        env = {
            **os.environ,
            "PYTHONPATH": str(self.path),
            "ZHIJIAN_DATA_DIR": str(self.data_dir),
            "ZHIJIAN_DATABASE_URL": database_url,
            "ZHIJIAN_SEED_DEMO": "false",
            "ZHIJIAN_LOG_LEVEL": "warning",
            "ZHIJIAN_GATEWAY_PORT": str(self.ports["gateway"]),
            "ZHIJIAN_IDENTITY_PORT": str(self.ports["identity"]),
        }
        for component in SUBGRAPHS:  # every subgraph, or the embedded hub takes the default ports others may hold
            env[f"ZHIJIAN_{component.name.upper()}_PORT"] = str(self.ports[component.name])
        env.pop("ZHIJIAN_REDIS_URL", None)
        return env

    def start(self, roles: Sequence[str], database_url: str) -> None:
        for role in roles:
            self.processes[role] = subprocess.Popen(
                [sys.executable, str(Path(__file__).resolve()), "serve", role],
                cwd=self.path,
                env=self.environ(database_url),
            )

    def stop(self) -> None:
        for process in self.processes.values():
            process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        self.processes.clear()

    def cpu_seconds(self) -> dict[str, float]:
        """utime + stime of each server process so far."""
        tick = os.sysconf("SC_CLK_TCK")
        found: dict[str, float] = {}
        for role, process in self.processes.items():
            fields = Path(f"/proc/{process.pid}/stat").read_text().rsplit(")", 1)[1].split()
            found[role] = (int(fields[11]) + int(fields[12])) / tick
        return found


def baseline_tree(ref: str, work: Path) -> Path:
    """A detached worktree of ``ref`` under ``work`` (replaced if it exists)."""
    path = work / "baseline-tree"
    if path.exists():
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(path)], check=False)
        shutil.rmtree(path, ignore_errors=True)
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(path), ref], check=True,
                   capture_output=True)  # fmt: skip
    return path


# ------------------------------------------------------------------------------------------------------------ data


async def prepare_data(
    database_url: str,
    data_dir: Path,
    entities: int,
    permits: int,
    supervision: int = 0,
    enforcement: int = 0,
    *,
    reuse: bool = False,
) -> list[str]:
    """Migrate and seed (``zhijian seed``), register the benchmark's client; the seeded USCCs, in order. With
    ``reuse``, the database is taken as it is (a previous split run's, or one `zhijian seed` filled): its client is
    registered when missing."""

    from benchmarks.subgraph_harness import recreate_database

    if reuse:
        await _register_client(database_url)  # a database seeded by `zhijian seed` alone has no benchmark client yet
        return await _usccs(database_url)
    if database_url.startswith("postgresql"):
        await recreate_database(database_url)
    env = {**os.environ, "ZHIJIAN_DATA_DIR": str(data_dir), "ZHIJIAN_DATABASE_URL": database_url}
    began = time.perf_counter()
    command = [str(Path(sys.executable).parent / "zhijian"), "seed", "--entities", str(entities),
               "--permits", str(permits), "--supervision", str(supervision), "--enforcement", str(enforcement),
               "--no-progress"]  # fmt: skip
    await asyncio.to_thread(subprocess.run, command, check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    print(f"  seeded {entities:,} entities, {permits:,} permits in {time.perf_counter() - began:.0f} s", flush=True)
    await _register_client(database_url)
    return await _usccs(database_url)


async def _register_client(database_url: str) -> None:
    """The benchmark's client, unless the database has it already."""
    from hub.components import SCHEMAS
    from identity.directory import Directory
    from kernel.db import Database

    database = Database.from_url(database_url, SCHEMAS)
    try:
        directory = Directory(database)
        if await directory.client(CLIENT_ID) is not None:
            return
        await directory.add_client(
            CLIENT_ID,
            "hub benchmark",
            token_endpoint_auth_method="client_secret_basic",
            grant_types=("client_credentials",),
            scopes=CLIENT_SCOPES,
            secret=CLIENT_SECRET,
            secret_generated=True,
            org_path="440300",
            roles=("service_portal",),
        )
    finally:
        await database.dispose()


async def _usccs(database_url: str) -> list[str]:
    from sqlalchemy import select

    from hub.components import SCHEMAS
    from kernel.db import Database
    from subgraphs.entities.models import MarketEntityRow

    database = Database.from_url(database_url, SCHEMAS)
    try:
        async with database.transaction() as session:
            return list(await session.scalars(select(MarketEntityRow.uscc).order_by(MarketEntityRow.uscc)))
    finally:
        await database.dispose()


# ------------------------------------------------------------------------------------------------------------ load


@dataclass
class Outcome:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    first_error: str = ""


def http_post(port: int, path: str, body: bytes, headers: dict[str, str]) -> bytes:
    lines = [f"POST {path} HTTP/1.1", f"host: 127.0.0.1:{port}", "content-type: application/json",
             f"content-length: {len(body)}", *(f"{k}: {v}" for k, v in headers.items())]  # fmt: skip
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def _connection(port: int, make: Callable[[], bytes], until: float, outcome: Outcome) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while time.perf_counter() < until:
            request = make()
            began = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            body = await reader.readexactly(length)
            outcome.latencies.append(time.perf_counter() - began)
            if not head.startswith(b"HTTP/1.1 200") or b'"errors"' in body:
                outcome.errors += 1
                outcome.first_error = outcome.first_error or body[:300].decode(errors="replace")
    finally:
        writer.close()


async def load(port: int, make: Callable[[], bytes], seconds: float, connections: int) -> Outcome:
    outcome = Outcome()
    until = time.perf_counter() + seconds
    await asyncio.gather(*(_connection(port, make, until, outcome) for _ in range(connections)))
    return outcome


@dataclass(frozen=True)
class Workload:
    name: str
    target: str  # "gateway" or "entities"
    body: Callable[[], bytes]
    needs: tuple[str, ...] = ()
    """Subgraphs it reaches besides entities and permits (split mode starts them only when a chosen workload does:
    a baseline older than them has none)."""


def workloads(usccs: Sequence[str], offset: int) -> list[Workload]:
    """The five workloads; ``submit`` takes applicants from ``usccs`` starting at ``offset`` (one tree's share)."""

    def constant(query: str, variables: dict[str, Any] | None = None) -> Callable[[], bytes]:
        body = json.dumps({"query": query, "variables": variables or {}}).encode()
        return lambda: body

    counter = iter(range(offset, 10**9))

    def submit() -> bytes:
        serial = next(counter)
        application = {
            "kind": "JY", "applicantUscc": usccs[serial % len(usccs)],
            "applicantName": f"深圳市压测餐饮有限公司{serial}", "legalRepresentative": "张三",
            "premisesAddress": "广东省深圳市福田区华强北街道振兴路1号",
            "premisesRegion": "440304", "items": ["CATERING_HOT", "CATERING_DRINKS"], "businessForm": 2,
        }  # fmt: skip
        return json.dumps({"query": SUBMIT, "variables": {"input": application}}).encode()

    batch = [{"__typename": "MarketEntity", "uscc": uscc} for uscc in usccs[:100]]
    return [
        Workload("entity×1", "gateway", constant(ENTITY_1)),
        Workload("entities×20", "gateway", constant(ENTITIES_20)),
        Workload("permits×20", "gateway", constant(PERMITS_20)),
        Workload("submit", "gateway", submit),
        Workload("_entities×100", "entities", constant(ENTITIES_BATCH, {"r": batch})),
        Workload("tasks×20", "gateway", constant(TASKS_20), ("supervision",)),
        Workload("cases×20", "gateway", constant(CASES_20), ("enforcement",)),
    ]


async def access_token(port: int) -> str:
    import httpx

    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
        response = await client.post(
            "/token",
            data={"grant_type": "client_credentials", "scope": " ".join(CLIENT_SCOPES)},
            auth=(CLIENT_ID, CLIENT_SECRET),
        )
        response.raise_for_status()
        return str(response.json()["access_token"])


def signed_identity(data_dir: Path) -> str:
    """What the gateway forwards to a subgraph for the benchmark's client (signed with this tree's gateway key)."""
    from kernel.forwarding import IdentitySigner, kept_private_pem
    from kernel.principal import Principal

    signer = IdentitySigner.from_private_pem(kept_private_pem(data_dir))
    caller = Principal(subject=CLIENT_ID, issuer="http://127.0.0.1", roles=frozenset({"service_portal"}),
                       scopes=frozenset(CLIENT_SCOPES), org_path="440300", client_id=CLIENT_ID,
                       expires_at=int(time.time()) + 3600)  # fmt: skip
    return signer.sign(caller)


async def wait_until_up(port: int, seconds: float = 600.0) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"nothing listens on 127.0.0.1:{port}") from None
            await asyncio.sleep(0.3)


@dataclass
class Row:
    workload: str
    tree: str
    requests: int
    errors: int
    p50_ms: float
    p99_ms: float
    cpu: dict[str, float]
    first_error: str = ""

    @property
    def cpu_ms_per_request(self) -> float:
        return 1000 * sum(self.cpu.values()) / max(self.requests, 1)


def percentile(samples: Sequence[float], fraction: float) -> float:
    ordered = sorted(samples) or [float("nan")]
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def measure(tree: Tree, workload: Workload, headers: dict[str, str], args: argparse.Namespace) -> Row:
    port = tree.ports["gateway" if workload.target == "gateway" else "entities"]
    await load(port, lambda: http_post(port, "/graphql", workload.body(), headers), args.warmup, args.connections)
    before = tree.cpu_seconds()
    outcome = await load(
        port, lambda: http_post(port, "/graphql", workload.body(), headers), args.seconds, args.connections
    )
    after = tree.cpu_seconds()
    cpu = {role: after[role] - before[role] for role in after}
    return Row(workload.name, tree.label, len(outcome.latencies), outcome.errors,
               1000 * percentile(outcome.latencies, 0.5), 1000 * percentile(outcome.latencies, 0.99), cpu,
               outcome.first_error)  # fmt: skip


def print_rows(mode: str, rows: Sequence[Row]) -> None:
    print(f"\n== {mode} ==")
    roles = list(rows[0].cpu)
    per_process = " ".join(f"{'req/CPU-s ' + role:>20}" for role in roles)
    print(f"{'workload':<14} {'tree':<9} {'requests':>8} {'errors':>6} {'p50 ms':>8} {'p99 ms':>8} {per_process} "
          f"{'CPU ms/req':>10} {'speed-up':>8}")  # fmt: skip
    baseline = {row.workload: row for row in rows if row.tree == "baseline"}
    for row in rows:
        rates = " ".join(f"{row.requests / row.cpu[r]:>20.0f}" if row.cpu[r] > 0 else f"{'–':>20}" for r in roles)
        base = baseline[row.workload].cpu_ms_per_request
        ratio = base / row.cpu_ms_per_request if row.cpu_ms_per_request else float("nan")
        print(f"{row.workload:<14} {row.tree:<9} {row.requests:>8} {row.errors:>6} {row.p50_ms:>8.1f} "
              f"{row.p99_ms:>8.1f} {rates} {row.cpu_ms_per_request:>10.2f} {ratio:>7.2f}×")  # fmt: skip
    for row in rows:
        if row.errors:
            print(f"  first error of {row.workload} ({row.tree}): {row.first_error}")


def chosen_workload(workload: Workload, only: str) -> bool:
    """Named in ``--only``; without it, every workload but those that need more subgraphs (issue 11's lists)."""
    return workload.name in only.split(",") if only else not workload.needs


async def run_mode(mode: str, trees: Sequence[Tree], args: argparse.Namespace) -> None:
    database_url = args.database_url if mode == "split" else f"sqlite+aiosqlite:///{trees[0].data_dir / 'zhijian.db'}"
    print(f"\n{mode}: seeding {database_url.split('@')[-1]}", flush=True)
    reuse = args.reuse and mode == "split"
    for tree in trees:
        if not reuse:  # the reused database's client and keys stay with the data directories of its run
            shutil.rmtree(tree.data_dir, ignore_errors=True)
    chosen = [w for w in workloads([], 0) if chosen_workload(w, args.only)]
    extra = sorted({name for workload in chosen for name in workload.needs})
    usccs = await prepare_data(database_url, trees[0].data_dir, args.entities, args.permits,
                               args.supervision if "supervision" in extra else 0,
                               args.enforcement if "enforcement" in extra else 0,
                               reuse=reuse)  # fmt: skip
    for tree in trees[1:] if not reuse else ():  # the same seeded data and keys for the other tree (SQLite: a copy)
        shutil.copytree(trees[0].data_dir, tree.data_dir)
    roles = ("embedded",) if mode == "embedded" else ("gateway", "entities", "permits", *extra)
    try:
        for tree in trees:
            url = database_url if mode == "split" else f"sqlite+aiosqlite:///{tree.data_dir / 'zhijian.db'}"
            tree.start(roles, url)
        headers: dict[str, dict[str, str]] = {}
        for tree in trees:
            for role in ("gateway", "identity", "entities", "permits", *extra):
                if role in ("gateway", "identity", "entities") or mode == "split":  # embedded: one process
                    await wait_until_up(tree.ports[role])
            headers[tree.label] = {"authorization": f"Bearer {await access_token(tree.ports['identity'])}"}
        share = len(usccs) // len(trees)
        loads = {tree.label: workloads(usccs, index * share) for index, tree in enumerate(trees)}
        rows: list[Row] = []
        for index in range(len(loads[trees[0].label])):
            if not chosen_workload(loads[trees[0].label][index], args.only):
                continue
            for tree in trees:  # alternate: a load spike elsewhere on the machine hits both trees
                workload = loads[tree.label][index]
                signed = {"x-zhijian-identity": signed_identity(tree.data_dir)}
                rows.append(await measure(tree, workload, headers[tree.label] if workload.target == "gateway"
                                          else signed, args))  # fmt: skip
        print_rows(mode, sorted(rows, key=lambda row: (row.workload, row.tree != "baseline")))
    finally:
        for tree in trees:
            tree.stop()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", default="HEAD~1", help="git ref measured beside this tree (default HEAD~1)")
    parser.add_argument("--entities", type=int, default=20_000, help="seeded entities (the issue's scale: 1000000)")
    parser.add_argument("--permits", type=int, default=6_000, help="seeded permits (the issue's scale: 300000)")
    parser.add_argument(
        "--supervision",
        type=int,
        default=20_000,
        help="inspection records seeded when tasks×20 runs (issue 11's scale: 1000000)",
    )
    parser.add_argument(
        "--enforcement", type=int, default=5_000, help="cases seeded when cases×20 runs (issue 11's scale: 100000)"
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="split mode: measure on the database the previous split run seeded, as it is",
    )
    parser.add_argument(
        "--database-url",
        default=PG_URL,
        help="split mode: the PostgreSQL database (dropped and seeded unless --reuse, which takes any seeded one)",
    )
    parser.add_argument("--seconds", type=float, default=3.0, help="measured seconds per workload and tree")
    parser.add_argument("--warmup", type=float, default=1.0, help="unmeasured seconds before each measurement")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--only", default="", help="run only these workloads (comma-separated names)")
    parser.add_argument("--modes", default="embedded,split", help="embedded, split or both (comma-separated)")
    parser.add_argument("--profile", action="store_true", help="CPU-time profiles of the servers (cProfile) in --work")
    parser.add_argument("--work", type=Path, default=Path("/tmp/zhijian-hub-bench"), help="worktree and data")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    if args.profile:
        os.environ["HUB_BENCH_PROFILE"] = str(args.work)
    baseline = baseline_tree(args.baseline, args.work)
    commit = subprocess.run(["git", "-C", str(baseline), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True, check=True).stdout.strip()  # fmt: skip
    print(f"baseline {args.baseline} ({commit}) beside this tree ({ROOT}); load {os.getloadavg()[0]:.1f}")

    def port_block(slot: int) -> dict[str, int]:
        names = ("gateway", "identity", *(component.name for component in SUBGRAPHS))
        return {name: PORT_BASE + 10 * slot + index for index, name in enumerate(names)}

    trees = [
        Tree("baseline", baseline, args.work / "data-baseline", port_block(0)),
        Tree("this", ROOT, args.work / "data-this", port_block(1)),
    ]
    try:
        for mode in args.modes.split(","):
            asyncio.run(run_mode(mode.strip(), trees, args))
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(baseline)], check=False)
    print(f"\nload average at the end: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["serve"]:
        serve(sys.argv[2])
    else:
        raise SystemExit(main())

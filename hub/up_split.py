"""``zhijian up --split``: the split topology (``hub.split``) on this machine until Ctrl-C — the migration job,
the demo data on first run, then every component as its own process behind the front."""

from __future__ import annotations

import asyncio
import signal
import sys

import httpx

from gateway.settings import GatewaySettings
from hub.embedded import build_hub, open_database, seed_demo_data
from hub.settings import Settings
from hub.split import FRONT, GATEWAYS, WORKERS, Ports, Split
from identity.seed import DEMO_PASSWORD
from identity.settings import IdentitySettings
from inference.triton import TRITON_VENV


def _echo(name: str, line: str) -> None:
    print(f"{name:<14}| {line}", file=sys.stderr, flush=True)


async def seed_demo(split: Split, settings: Settings, gateway: GatewaySettings) -> list[str]:
    """The demo data set where the components have none yet (as ``zhijian up`` seeds it), written from here."""
    identity = IdentitySettings.from_env(split.public)
    database = open_database(settings)
    hub = build_hub(settings, database, identity, gateway)
    try:
        return await seed_demo_data(database, identity, hub.jobs.services)
    finally:
        await hub.close()


async def start(split: Split) -> None:
    """Triton (when it runs here), the provider, the subgraphs and both gateways, then the workers."""
    await split.start_triton()
    for name in split.servers:
        await split.start(name)
    for name in WORKERS:
        await split.start(name)


async def ready(split: Split, within: float = 120.0) -> list[str]:
    """Wait until every server's ``/ready`` answers 200 (the front's is the gateways'); the names still not ready
    when ``within`` seconds have passed."""
    waiting = list(split.servers)
    deadline = asyncio.get_running_loop().time() + within
    async with httpx.AsyncClient(timeout=5.0) as http:
        while waiting and asyncio.get_running_loop().time() < deadline:
            answers = await asyncio.gather(
                *(http.get(f"{split.url[name]}/ready") for name in waiting), return_exceptions=True
            )
            waiting = [
                name
                for name, answer in zip(waiting, answers, strict=True)
                if isinstance(answer, BaseException) or answer.status_code != 200
            ]
            if waiting:
                await asyncio.sleep(0.25)
    return waiting


async def run_up_split(settings: Settings, gateway: GatewaySettings) -> int:
    if settings.redis_url is None or not settings.database_url.startswith("postgresql"):
        print("zhijian up --split: set ZHIJIAN_DATABASE_URL (PostgreSQL) and ZHIJIAN_REDIS_URL", file=sys.stderr)
        return 2
    triton = (TRITON_VENV / ".installed").exists()
    ports = Ports.defaults(settings.gateway_port, settings.identity_port, settings.subgraph_ports, triton)
    split = Split(settings.data_dir / "split", ports, settings.database_url, settings.redis_url, echo=_echo)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await split.migrate()
        if settings.seed_demo:
            report = await seed_demo(split, settings, gateway)
            if report:
                print("seeded the demo data set (first run): " + "; ".join(report))
        await start(split)
        listening = asyncio.Event()
        front = asyncio.create_task(split.serve_front(stop, listening))
        await listening.wait()
        late = await ready(split)
    except (RuntimeError, OSError) as error:
        print(f"zhijian up --split: {error}", file=sys.stderr)
        await split.kill_all()
        return 1
    if late:
        print(f"zhijian up --split: not ready after 120 s: {', '.join(late)} (see their /ready)", file=sys.stderr)
    print("\n智监 zhijian is up, split (every component its own process):")
    print(f"  {'front':<14} {split.url[FRONT]}/graphql  (round-robin over {', '.join(GATEWAYS)})")
    for name in split.servers:
        print(f"  {name:<14} {split.url[name]}")
    print(f"  {'workers':<14} {', '.join(WORKERS)} on {settings.redis_url}")
    if ports.triton is not None:
        print(f"  {'triton':<14} http://127.0.0.1:{ports.triton[0]}")
    if settings.seed_demo:
        print(f"  demo officers  city.admin / futian.head / futian.case / futian.station, password {DEMO_PASSWORD}")
    print("Press Ctrl-C to stop.\n", flush=True)
    await stop.wait()
    await front
    codes = await split.stop_all()
    failed = {name: code for name, code in codes.items() if code != 0 and name != "migrate"}
    print("stopped." if not failed else f"stopped; exit codes: {failed}")
    return 0 if not failed else 1

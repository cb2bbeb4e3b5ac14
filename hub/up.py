"""``zhijian up``: migrate, seed on first run, print the addresses, serve until Ctrl-C."""

from __future__ import annotations

import asyncio
import sys
from contextlib import AsyncExitStack

from gateway.settings import GatewaySettings
from hub.embedded import build_hub, migrate, open_database, provision_machine_clients, seed_demo_data
from hub.ingest import ingestion
from hub.jobs import ArqJobQueue, InProcessJobQueue
from hub.legacy_demo import legacy_demo
from hub.outbox import Drainer
from hub.schedule import run_schedule
from hub.servers import PortInUse, bind_all, serve_all
from hub.settings import Settings
from identity.logredact import install as install_log_redaction
from identity.seed import DEMO_PASSWORD
from identity.settings import IdentitySettings
from kernel.logs import configure_logging


async def run_up(settings: Settings, identity: IdentitySettings, gateway: GatewaySettings) -> int:
    """Run the embedded hub on 127.0.0.1 with its data under ``settings.data_dir``; data survives restarts."""
    configure_logging(settings.log_level, settings.log_format)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    settings, simulators = legacy_demo(settings)
    database = open_database(settings)
    await migrate(database)
    hub = build_hub(settings, database, identity, gateway)
    await provision_machine_clients(database, settings)
    if settings.seed_demo:
        report = await seed_demo_data(database, identity, hub.jobs.services)
        if report:
            print("seeded the demo data set (first run): " + "; ".join(report))
    listeners = (*hub.listeners(settings), *simulators)
    try:
        sockets = bind_all(listeners, settings.host)
    except PortInUse as error:
        await hub.close()
        print(f"zhijian up: {error}", file=sys.stderr)
        return 1
    stack = AsyncExitStack()
    try:
        ingest = await stack.enter_async_context(ingestion(hub, settings))
    except OSError as error:
        for sock in sockets:
            sock.close()
        await hub.close()
        print(f"zhijian up: {error}; choose another port (ZHIJIAN_INGEST_PORT)", file=sys.stderr)
        return 1
    print("\n智监 zhijian is up:")
    for listener in listeners:
        print(f"  {listener.name:<20} http://{settings.host}:{listener.port}{listener.path}")
    if ingest is not None:
        print(f"  {'edge ingestion':<20} grpc://{settings.host}:{ingest.port} (health, reflection)")
    print(f"  GraphiQL             open http://{settings.host}:{settings.gateway_port}/graphql in a browser")
    if settings.seed_demo:
        officers = "city.admin / futian.head / futian.case / futian.station"
        print(f"  demo officers        {officers}, password {DEMO_PASSWORD}")
        print("  demo enterprise user demo.owner (市场通: the enterprise entrance of the sign-in page)")
    if identity.key_encryption_key is None:
        print("  signing keys         sealed with a generated key (demo): set ZHIJIAN_IDENTITY_KEY_ENCRYPTION_KEY")
    print(f"  data                 {settings.database_url}")
    print("Press Ctrl-C to stop.\n")
    install_log_redaction()
    # With Redis, arq workers (`zhijian worker`) run the jobs and drain the outbox; without, this process does.
    local = None if settings.redis_url else InProcessJobQueue(hub.jobs)
    queue = local or await ArqJobQueue.connect(settings.redis_url or "", hub.jobs)
    stop = asyncio.Event()
    background = [asyncio.create_task(run_schedule(queue, hub.jobs, stop), name="schedule")]
    if local is not None:
        drainer = Drainer(hub.database, hub.jobs.deliveries)
        background.append(asyncio.create_task(drainer.run(stop), name="outbox"))
    try:
        # uvicorn's own start/stop lines (one per server) only at debug; the banner above says where everything is.
        uvicorn_level = "debug" if settings.log_level == "debug" else "warning"
        await serve_all(listeners, sockets, log_level=uvicorn_level)
    finally:
        stop.set()
        await asyncio.wait(background, timeout=10.0)
        await stack.aclose()  # the ingestion server, before the hub it writes through
        if local is not None:
            await local.close(grace=10.0)
        else:
            await queue.close()
        await hub.close()
    print("stopped.")
    return 0

"""``zhijian up``: migrate, seed on first run, print the addresses, serve until Ctrl-C."""

from __future__ import annotations

import asyncio
import logging
import sys

from gateway.settings import GatewaySettings
from hub.embedded import build_hub, migrate, open_database, provision_machine_clients, seed_demo_data
from hub.jobs import ArqJobQueue, InProcessJobQueue, JobQueue, run_daily_forever
from hub.servers import PortInUse, bind_all, serve_all
from hub.settings import Settings
from identity.logredact import install as install_log_redaction
from identity.seed import DEMO_PASSWORD
from identity.settings import IdentitySettings


async def run_up(settings: Settings, identity: IdentitySettings, gateway: GatewaySettings) -> int:
    """Run the embedded hub on 127.0.0.1 with its data under ``settings.data_dir``; data survives restarts."""
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    database = open_database(settings)
    await migrate(database)
    hub = build_hub(settings, database, identity, gateway)
    await provision_machine_clients(database, settings)
    if settings.seed_demo:
        report = await seed_demo_data(database, identity, hub.jobs.services)
        if report:
            print("seeded the demo data set (first run): " + "; ".join(report))
    listeners = hub.listeners(settings)
    try:
        sockets = bind_all(listeners, settings.host)
    except PortInUse as error:
        await hub.close()
        print(f"zhijian up: {error}", file=sys.stderr)
        return 1
    print("\n智监 zhijian is up:")
    for listener in listeners:
        print(f"  {listener.name:<20} http://{settings.host}:{listener.port}{listener.path}")
    print(f"  GraphiQL             open http://{settings.host}:{settings.gateway_port}/graphql in a browser")
    if settings.seed_demo:
        print(f"  demo officers        city.admin / futian.case / futian.station, password {DEMO_PASSWORD}")
    print(f"  data                 {settings.database_url}")
    print("Press Ctrl-C to stop.\n")
    install_log_redaction()
    queue: JobQueue = (
        await ArqJobQueue.connect(settings.redis_url, hub.jobs) if settings.redis_url else InProcessJobQueue(hub.jobs)
    )
    scheduler = asyncio.create_task(run_daily_forever(queue, hub.jobs), name="daily jobs")
    try:
        # uvicorn's own start/stop lines (one per server) only at debug; the banner above says where everything is.
        uvicorn_level = "debug" if settings.log_level == "debug" else "warning"
        await serve_all(listeners, sockets, log_level=uvicorn_level)
    finally:
        scheduler.cancel()
        await queue.close()
        await hub.close()
    print("stopped.")
    return 0

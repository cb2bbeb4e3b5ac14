"""The ``zhijian`` command: run the hub, migrate, seed, export schemas, compose, serve the gateway, administer."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from gateway.settings import GatewaySettings
from hub import jobs_command, sync_command
from hub.components import MACHINE_CLIENTS, MIGRATIONS, SUBGRAPHS
from hub.settings import Settings
from identity import cli as identity_cli
from identity import devlogin
from identity.settings import IdentitySettings
from kernel.db import Database
from kernel.settings import SettingsError

SCHEMA_DIR = Path("schema")


def _count(raw: str) -> int:
    """A row count for ``zhijian seed``: a whole number, zero or more."""
    try:
        value = int(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{raw!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{value} is negative; give 0 or more")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="zhijian", description="智监 market-supervision integration hub")
    commands = parser.add_subparsers(dest="command", required=True)
    up = commands.add_parser("up", help="migrate, seed the demo data on first run, and serve everything on 127.0.0.1")
    up.add_argument(
        "--split",
        action="store_true",
        help="each component its own process, two gateways behind a front (PostgreSQL, Redis)",
    )
    commands.add_parser("migrate", help="bring every component's tables up to date; register the machine clients")
    serve = commands.add_parser("serve", help="serve one component alone (a split deployment): gateway, identity, …")
    serve.add_argument("component", choices=("gateway", "identity", *(c.name for c in SUBGRAPHS)))
    seed = commands.add_parser("seed", help="generate realistic data at scale (valid USCCs, permit numbers)")
    for component in SUBGRAPHS:
        if component.seed is not None:
            seed.add_argument(f"--{component.name}", type=_count, default=0, help=f"{component.name} records to add")
    seed.add_argument("--no-progress", action="store_true", help="no progress bar")
    schema = commands.add_parser("schema", help="the subgraphs' SDL contracts")
    schema_commands = schema.add_subparsers(dest="schema_command", required=True)
    export = schema_commands.add_parser("export", help="write schema/<subgraph>.graphql from code")
    export.add_argument("--dir", type=Path, default=SCHEMA_DIR)
    compose = commands.add_parser("compose", help="compose schema/*.graphql into schema/supergraph.graphql")
    compose.add_argument("--dir", type=Path, default=SCHEMA_DIR)
    worker = commands.add_parser("worker", help="run jobs from Redis (arq); needs ZHIJIAN_REDIS_URL")
    worker.add_argument("--queue", choices=("short", "long"), default="short", help="which jobs (default: short)")
    worker.add_argument("--grace", type=float, default=30.0, help="seconds a stop waits for running jobs")
    worker.add_argument("--max-jobs", type=int, default=10, help="jobs run at once")
    worker.add_argument("--no-outbox", action="store_true", help="do not drain the outbox here")
    worker.add_argument("--queue-prefix", default="zhijian:jobs", help="Redis key prefix (several hubs on one Redis)")
    jobs_command.register(commands)
    sync_command.register(commands)
    commands.add_parser("gateway", help="serve the federation gateway alone: --supergraph FILE --host H --port P")
    commands.add_parser("triton", help="serve the kitchen models on Triton Inference Server: triton up [--grpc-port P]")
    identity_cli.register(commands)
    devlogin.register(commands)
    return parser


async def _with_database(
    settings: Settings, identity: IdentitySettings, gateway: GatewaySettings, action: str, args: argparse.Namespace
) -> int:
    """Commands that need the database: it is migrated first, whatever the command."""
    from hub import embedded

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    database = embedded.open_database(settings)
    try:
        try:
            await embedded.migrate(database)
        except (OSError, DBAPIError) as error:
            print(f"zhijian {action}: {database_problem(settings.database_url, error)}", file=sys.stderr)
            return 2
        if action == "migrate":
            print(f"migrated {', '.join(history.schema for history in MIGRATIONS)}")
            await embedded.provision_machine_clients(database, settings)
            print(f"registered {len(MACHINE_CLIENTS)} machine clients")
            return 0
        if action == "seed":
            from hub.seeding import seed

            hub = embedded.build_hub(settings, database, identity, gateway)
            counts = {c.name: getattr(args, c.name) for c in SUBGRAPHS if c.seed is not None}
            try:
                return await seed(database, hub.jobs.services, counts, progress=not args.no_progress)
            finally:
                for client in hub.clients:
                    await client.aclose()
        if action == "jobs":
            return await _jobs(settings, database, identity, gateway, args)
        if action == "sync":
            return await _sync(settings, database, identity, gateway, args)
        return await identity_cli.run(args, database, identity)
    finally:
        await database.dispose()


async def _jobs(
    settings: Settings,
    database: Database,
    identity: IdentitySettings,
    gateway: GatewaySettings,
    args: argparse.Namespace,
) -> int:
    """``zhijian jobs …``: a replay goes to the workers through Redis, or runs here when there is none."""
    from hub import embedded
    from hub.jobs import ArqJobQueue, InProcessJobQueue

    hub = embedded.build_hub(settings, database, identity, gateway)
    local = None if settings.redis_url else InProcessJobQueue(hub.jobs)
    queue = local or await ArqJobQueue.connect(settings.redis_url or "", hub.jobs)
    try:
        status = await jobs_command.run(args, hub.jobs, queue)
        if local is not None:
            await local.drain()
            for job_id, outcome in local.results.items():
                done = f"dead-lettered again (letter {outcome.dead_letter})" if outcome.dead_letter else "done"
                print(f"{job_id}: {done}, {outcome.rows} records")
        return status
    finally:
        await queue.close()
        for client in hub.clients:
            await client.aclose()


async def _sync(
    settings: Settings,
    database: Database,
    identity: IdentitySettings,
    gateway: GatewaySettings,
    args: argparse.Namespace,
) -> int:
    """``zhijian sync ADAPTER``: the adapter writes through this process's gateway as its own machine client (with
    ``ZHIJIAN_DEMO_LEGACY``, on the simulators a running ``zhijian up`` serves)."""
    from hub import embedded
    from hub.legacy_demo import legacy_demo

    settings, _ = legacy_demo(settings)
    hub = embedded.build_hub(settings, database, identity, gateway)
    await embedded.provision_machine_clients(database, settings)
    try:
        return await sync_command.run(args, database, hub.jobs.services["adapters"])
    finally:
        for client in hub.clients:
            await client.aclose()


def database_problem(url: str, error: BaseException) -> str:
    """One line on why the database could not be used, without the URL's password."""
    shown = make_url(url).render_as_string(hide_password=True)
    reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
    if "does not exist" in reason:
        return f"{reason} — create it first (e.g. createdb), then run zhijian migrate ({shown})"
    return f"cannot use the database {shown}: {reason}"


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; settings are read here, once, and passed down."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["gateway"]:
        from gateway.__main__ import main as gateway_main

        return gateway_main(argv[1:])
    if argv[:2] == ["triton", "up"]:
        from inference.triton import main as triton_main

        return triton_main(argv[2:])
    args = _parser().parse_args(argv)
    if args.command == "schema":
        from hub.supergraph import export_schemas

        for path in export_schemas(args.dir):
            print(f"wrote {path}")
        return 0
    if args.command == "triton":
        print("zhijian triton: the command is `zhijian triton up` (--help lists its options)", file=sys.stderr)
        return 2
    if args.command == "compose":
        from gateway.composition import CompositionFailed
        from hub.supergraph import write_supergraph

        try:
            print(f"wrote {write_supergraph(args.dir)}")
        except CompositionFailed as failure:
            print(f"zhijian compose: {failure}", file=sys.stderr)
            return 1
        return 0
    try:
        settings = Settings.from_env(os.environ)
        identity = IdentitySettings.from_env(os.environ)
        gateway = GatewaySettings.from_env(os.environ)
    except SettingsError as exc:
        print(f"zhijian: {exc.message}", file=sys.stderr)
        return 2
    if args.command == "login":
        return devlogin.run(args, identity.issuer, identity.gateway_origin)
    if args.command == "up" and args.split:
        from hub.up_split import run_up_split

        return asyncio.run(run_up_split(settings, gateway))
    if args.command == "up":
        from hub.up import run_up

        return asyncio.run(run_up(settings, identity, gateway))
    if args.command == "serve":
        from hub.serve import run_serve

        return asyncio.run(run_serve(args.component, settings, identity, gateway))
    if args.command == "worker":
        from hub.embedded import token_url
        from hub.worker import WorkerOptions, run_worker
        from subgraphs.common.component import Queue

        options = WorkerOptions(
            queue=Queue(args.queue),
            grace=args.grace,
            max_jobs=args.max_jobs,
            outbox=not args.no_outbox,
            prefix=args.queue_prefix,
        )
        return asyncio.run(run_worker(settings, token_url(settings, identity), options))
    return asyncio.run(_with_database(settings, identity, gateway, args.command, args))


if __name__ == "__main__":
    raise SystemExit(main())

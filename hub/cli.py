"""The ``zhijian`` command: run the hub, migrate, seed, export schemas, compose, and administer."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

from hub.settings import Settings, SettingsError
from subgraphs.common.db import Database
from subgraphs.common.migrate import upgrade

COMPONENTS: tuple[str, ...] = ("entities", "permits")
"""Components with tables, migrated in this order."""


async def _migrate(settings: Settings) -> None:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    database = Database.from_url(settings.database_url)
    try:
        await upgrade(database, COMPONENTS)
    finally:
        await database.dispose()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="zhijian", description="智监 market-supervision integration hub")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("migrate", help="bring every component's tables up to date")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; settings are read here and passed down."""
    args = _parser().parse_args(argv)
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(f"zhijian: {exc}", file=sys.stderr)
        return 2
    if args.command == "migrate":
        asyncio.run(_migrate(settings))
        print(f"migrated {', '.join(COMPONENTS)} on {settings.database_url.split('://')[0]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

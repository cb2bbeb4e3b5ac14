"""One provider process for tests that need several: ``python -m tests.identity.provider_process PORT DB_URL``,
configured by ``ZHIJIAN_*`` variables like any deployment (``ZHIJIAN_REDIS_URL`` to share throttles and the
revocation list). Prints ``ready`` once it listens."""

from __future__ import annotations

import asyncio
import os
import sys

import uvicorn

from identity.app import create_app
from identity.settings import IdentitySettings
from kernel.db import Database


async def main(port: int, url: str) -> None:
    settings = IdentitySettings.from_env(os.environ)
    database = Database.from_url(url, ["identity"])
    app = create_app(database, settings)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error", lifespan="on"))
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn exposes only a flag, no event
        await asyncio.sleep(0.02)
    print("ready", flush=True)
    await task
    await database.dispose()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), sys.argv[2]))

"""What checking a client secret costs: Argon2id (chosen secrets) vs SHA-256 (generated 256-bit secrets), in one run.

    python -m benchmarks.client_secret_bench [--rounds 7] [--calls 20]

Prints the median CPU time of one ``verify_secret`` of each kind and the ratio, and the median wall time of one
client-credentials ``/token`` request through the provider in process (SQLite) for a client of each kind: what
one unauthenticated request with a wrong secret makes the provider spend.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import httpx

from identity.app import create_app
from identity.component import MIGRATIONS
from identity.directory import Directory
from identity.passwords import generate_secret, hash_generated_secret, hash_password, verify_secret
from identity.settings import IdentitySettings
from kernel.db import Database
from kernel.migrations import upgrade
from kernel.settings import Secret


def cpu_us(secret_hash: str, attempt: str, calls: int) -> float:
    start = time.process_time()
    for _ in range(calls):
        verify_secret(secret_hash, attempt)
    return (time.process_time() - start) / calls * 1e6


async def token_ms(http: httpx.AsyncClient, client_id: str, secret: str, calls: int) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        answer = await http.post("/token", data={"grant_type": "client_credentials"}, auth=(client_id, secret))
        assert answer.status_code == 401, answer.text
    return (time.perf_counter() - start) / calls * 1000


async def main(rounds: int, calls: int) -> None:
    generated = generate_secret()
    chosen = "a chosen secret, 32 bytes or more"
    argon2, sha256 = hash_password(chosen), hash_generated_secret(generated)
    slow = statistics.median(cpu_us(argon2, "wrong", calls) for _ in range(rounds))
    cheap = statistics.median(cpu_us(sha256, "wrong", calls * 1000) for _ in range(rounds))
    with tempfile.TemporaryDirectory() as folder:
        settings = replace(
            IdentitySettings.from_env({}),
            key_dir=Path(folder) / "keys",
            key_encryption_key=Secret("benchmark-key-encryption-key-0123456789"),
            client_auth_failures=10**9,  # measure the check, not the throttle
        )
        database = Database.from_url(f"sqlite+aiosqlite:///{folder}/bench.db", [MIGRATIONS.schema])
        await upgrade(database, [MIGRATIONS])
        directory = Directory(database)
        for client_id, secret, is_generated in (("argon2", chosen, False), ("sha256", generated, True)):
            await directory.add_client(
                client_id, client_id, token_endpoint_auth_method="client_secret_basic",
                grant_types=["client_credentials"], scopes=[], secret=secret, secret_generated=is_generated,
            )  # fmt: skip
        app = create_app(database, settings)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=settings.issuer) as http:
            await token_ms(http, "sha256", "wrong", 5)
            request = {
                kind: statistics.median([await token_ms(http, kind, "wrong", calls) for _ in range(rounds)])
                for kind in ("argon2", "sha256")
            }
        await database.dispose()
    print(f"verify_secret, Argon2id (chosen secret): {slow:9.1f} µs CPU per check (median of {rounds} × {calls})")
    print(f"verify_secret, SHA-256 (generated):      {cheap:9.2f} µs CPU per check; Argon2id costs {slow / cheap:.0f}×")
    print(f"/token with a wrong secret, Argon2id client: {request['argon2']:6.1f} ms;  generated-secret client: "
          f"{request['sha256']:6.1f} ms  ({request['argon2'] / request['sha256']:.1f}×)")  # fmt: skip


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--calls", type=int, default=20)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.rounds, arguments.calls))

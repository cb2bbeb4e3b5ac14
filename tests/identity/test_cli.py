"""``zhijian users …`` / ``zhijian clients …`` as the hub mounts them: parse with ``register``, execute with ``run``."""

from __future__ import annotations

import argparse
import io
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from joserfc import jws
from joserfc.jwk import KeySet, RSAKey
from starlette.applications import Starlette

from identity import cli
from identity.directory import Directory
from identity.seed import DEMO_MACHINE_CLIENT, DEMO_MACHINE_SECRET
from identity.settings import IdentitySettings
from kernel.db import Database
from tests.identity.conftest import ISSUER

PASSWORD = "a-long-enough-password\n"


@dataclass
class Zhijian:
    """Runs one command line the way ``hub/cli.py`` does, with the given stdin; returns (status, output)."""

    database: Database
    settings: IdentitySettings
    monkeypatch: pytest.MonkeyPatch
    capsys: pytest.CaptureFixture[str]

    async def __call__(self, *argv: str, stdin: str = "") -> tuple[int, str]:
        parser = argparse.ArgumentParser(prog="zhijian")
        cli.register(parser.add_subparsers(dest="command", required=True))
        self.monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        status = await cli.run(parser.parse_args(argv), self.database, self.settings)
        captured = self.capsys.readouterr()
        return status, captured.out + captured.err


@pytest.fixture
def zhijian(
    database: Database,
    identity_settings: IdentitySettings,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Zhijian:
    return Zhijian(database, identity_settings, monkeypatch, capsys)


async def test_users_add_list_disable(zhijian: Zhijian) -> None:
    add = ("users", "add", "nanshan.lab", "--name", "南山 检验员", "--role", "lab_analyst", "--level", "DISTRICT")
    status, out = await zhijian(*add, "--org-path", "440300/440305", stdin=PASSWORD)
    assert status == 0, out
    _, out = await zhijian("users", "list")
    assert "nanshan.lab\tDISTRICT\t440300/440305\tlab_analyst\tactive" in out
    assert (await zhijian("users", "disable", "nanshan.lab"))[0] == 0
    _, out = await zhijian("users", "list")
    assert "nanshan.lab\tDISTRICT\t440300/440305\tlab_analyst\tdisabled" in out


async def test_users_add_refuses_bad_input(zhijian: Zhijian) -> None:
    station = ("users", "add", "x", "--name", "x", "--role", "inspector", "--level", "STATION", "--org-path")
    status, out = await zhijian(*station, "440300/440304", stdin=PASSWORD)
    assert status == 2 and "org path '440300/440304' is a DISTRICT unit, not a STATION one" in out
    status, out = await zhijian(*station, "440300/440305/440304009", stdin=PASSWORD)  # 华强北 is not in 南山
    assert status == 2 and "is not a path of the org tree" in out
    status, out = await zhijian(*station, "440300/440304/440304001", stdin="short\n")
    assert status == 2 and "12 characters" in out
    city = ("users", "add", "futian.case", "--name", "dup", "--role", "inspector", "--level", "CITY")
    status, out = await zhijian(*city, "--org-path", "440300", stdin=PASSWORD)
    assert status == 2 and "already exists" in out


async def test_clients_add_list_rotate(zhijian: Zhijian, database: Database, tmp_path: Path) -> None:
    status, out = await zhijian("clients", "add", "csv-drop", "--name", "CSV drop", "--kind", "machine",
                                "--scope", "entities:write")  # fmt: skip
    assert status == 0
    secret = out.split("shown once): ")[1].strip()
    assert len(secret) >= 32
    jwks = tmp_path / "jwks.json"
    jwks.write_text(json.dumps(KeySet([RSAKey.generate_key(2048, {"kid": "k"}, private=True)]).as_dict()))
    status, out = await zhijian("clients", "add", "soap", "--name", "SOAP", "--kind", "machine",
                                "--jwks-file", str(jwks))  # fmt: skip
    assert status == 0 and "private_key_jwt" in out and "shown once" not in out
    leaked = tmp_path / "private.json"
    leaked.write_text(json.dumps({"keys": [RSAKey.generate_key(2048, private=True).as_dict(private=True)]}))
    status, out = await zhijian(
        "clients", "add", "leaky", "--name", "x", "--kind", "machine", "--jwks-file", str(leaked)
    )
    assert status == 2 and "public keys only" in out
    _, out = await zhijian("clients", "list")
    assert "csv-drop\tclient_secret_basic\tentities:write\tactive" in out
    assert "soap\tprivate_key_jwt" in out
    status, out = await zhijian("clients", "rotate-secret", "csv-drop")
    new_secret = out.split("shown once): ")[1].strip()
    assert status == 0 and new_secret != secret
    client = await Directory(database).client("csv-drop")
    assert client is not None
    assert client.check_client_secret(new_secret) and not client.check_client_secret(secret)
    assert (await zhijian("clients", "rotate-secret", "soap"))[0] == 2


async def test_keys_rotate_is_seen_by_a_running_provider(zhijian: Zhijian, app: Starlette) -> None:
    """The CLI is another process: the provider re-reads the key directory and signs with the new key."""
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=ISSUER) as http:
        before = {k["kid"] for k in (await http.get("/jwks.json")).json()["keys"]}
        status, out = await zhijian("keys", "rotate")
        assert status == 0
        new_kid = out.split("new signing key ")[1].split(";")[0]
        after = {k["kid"] for k in (await http.get("/jwks.json")).json()["keys"]}
        assert after == before | {new_kid}
        token = (await http.post("/token", data={"grant_type": "client_credentials"},
                                 auth=(DEMO_MACHINE_CLIENT, DEMO_MACHINE_SECRET))).json()["access_token"]  # fmt: skip
        assert jws.extract_compact(token.encode()).headers()["kid"] == new_kid
    _, listing = await zhijian("keys", "list")
    assert f"{new_kid}\t" in listing and "active" in listing and "retired" in listing

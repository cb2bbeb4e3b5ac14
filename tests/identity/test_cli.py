"""``zhijian users …`` / ``zhijian clients …`` as the hub mounts them: parse with ``register``, execute with ``run``."""

from __future__ import annotations

import argparse
import io
import json
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

import httpx
import pytest
from joserfc import jws
from joserfc.jwk import KeySet, RSAKey

from identity import cli
from identity.app import create_app
from identity.directory import Directory
from identity.seed import DEMO_MACHINE_CLIENT, DEMO_MACHINE_SECRET
from identity.settings import IdentitySettings
from kernel.db import Database
from kernel.settings import Secret
from tests.identity.conftest import ISSUER, key_ring

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
                                "--scope", "entities:write", "--role", "registry_feed")  # fmt: skip
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
    assert "csv-drop\tclient_secret_basic\tentities:write\tregistry_feed\tactive" in out
    assert "soap\tprivate_key_jwt" in out
    status, out = await zhijian("clients", "rotate-secret", "csv-drop")
    new_secret = out.split("shown once): ")[1].strip()
    assert status == 0 and new_secret != secret
    client = await Directory(database).client("csv-drop")
    assert client is not None
    assert client.check_client_secret(new_secret) and not client.check_client_secret(secret)
    assert client.secret_hash is not None and client.secret_hash.startswith("sha256$")  # generated: cheap to check
    assert (await zhijian("clients", "rotate-secret", "soap"))[0] == 2


async def test_keys_rotate_is_published_by_a_running_provider_before_it_signs(
    zhijian: Zhijian, database: Database, identity_settings: IdentitySettings
) -> None:
    """The CLI is another process: the provider re-reads the key directory, publishes the new key at once and signs
    with it once the publish-ahead time has passed."""
    now = [time.time()]
    app = create_app(database, identity_settings, clock=lambda: now[0])
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=ISSUER) as http:
        before = {k["kid"] for k in (await http.get("/jwks.json")).json()["keys"]}
        status, out = await zhijian("keys", "rotate")
        assert status == 0
        new_kid = out.split("new signing key ")[1].split(":")[0]
        after = {k["kid"] for k in (await http.get("/jwks.json")).json()["keys"]}
        assert after == before | {new_kid}

        async def signing_kid() -> str:
            machine = (DEMO_MACHINE_CLIENT, DEMO_MACHINE_SECRET)
            answer = await http.post("/token", data={"grant_type": "client_credentials"}, auth=machine)
            return str(jws.extract_compact(answer.json()["access_token"].encode()).headers()["kid"])

        assert await signing_kid() in before
        _, listing = await zhijian("keys", "list")
        assert f"{new_kid}\t" in listing and "pending" in listing and "active" in listing
        now[0] += identity_settings.key_publish_ahead + 1
        assert await signing_kid() == new_kid


async def test_signing_keys_are_sealed_at_rest(zhijian: Zhijian, identity_settings: IdentitySettings) -> None:
    await zhijian("keys", "rotate")
    files = sorted((identity_settings.key_dir / "signing").glob("*.json"))
    assert files and all(path.stat().st_mode & 0o777 == 0o600 for path in files)
    for path in files:
        record = json.loads(path.read_text())
        assert set(record["public"]) >= {"kid", "n", "e"} and "d" not in record["public"]
        assert '"d"' not in path.read_text() and '"p"' not in path.read_text()  # no private parameter in clear
        assert record["wrapper"] == "aes256gcm"
    other = replace(identity_settings, key_encryption_key=Secret("another-key-encryption-key-0123456789"))
    with pytest.raises(ValueError, match="does not open"):
        key_ring(other).load()

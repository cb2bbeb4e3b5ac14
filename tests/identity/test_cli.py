"""``zhijian users …`` / ``zhijian clients …`` as the hub mounts them: parse with ``register``, execute with ``run``."""

from __future__ import annotations

import argparse
import io
import json
import sys
from pathlib import Path

import pytest
from joserfc.jwk import KeySet, RSAKey

from identity import cli
from identity.directory import Directory
from identity.settings import IdentitySettings
from subgraphs.common.db import Database


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="zhijian")
    cli.register(parser.add_subparsers(dest="command", required=True))
    return parser


async def _run(
    database: Database,
    settings: IdentitySettings,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    *argv: str,
    stdin: str = "",
) -> tuple[int, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    status = await cli.run(_parser().parse_args(argv), database, settings)
    captured = capsys.readouterr()
    return status, captured.out + captured.err


async def test_users_add_list_disable(
    database: Database,
    identity_settings: IdentitySettings,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out = await _run(
        database,
        identity_settings,
        monkeypatch,
        capsys,
        "users",
        "add",
        "nanshan.lab",
        "--name",
        "南山 检验员",
        "--role",
        "lab_analyst",
        "--level",
        "DISTRICT",
        "--org-path",
        "440300/440305",
        stdin="a-long-enough-password\n",
    )
    assert status == 0, out
    status, out = await _run(database, identity_settings, monkeypatch, capsys, "users", "list")
    assert "nanshan.lab\tDISTRICT\t440300/440305\tlab_analyst\tactive" in out
    status, out = await _run(database, identity_settings, monkeypatch, capsys, "users", "disable", "nanshan.lab")
    assert status == 0
    _, out = await _run(database, identity_settings, monkeypatch, capsys, "users", "list")
    assert "nanshan.lab\tDISTRICT\t440300/440305\tlab_analyst\tdisabled" in out


async def test_users_add_refuses_bad_input(
    database: Database,
    identity_settings: IdentitySettings,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = ("users", "add", "x", "--name", "x", "--role", "inspector", "--level", "STATION")
    status, out = await _run(
        database,
        identity_settings,
        monkeypatch,
        capsys,
        *args,
        "--org-path",
        "440300/440304",
        stdin="a-long-enough-password\n",
    )
    assert status == 2 and "org path" in out
    status, out = await _run(
        database,
        identity_settings,
        monkeypatch,
        capsys,
        *args,
        "--org-path",
        "440300/440304/440304001",
        stdin="short\n",
    )
    assert status == 2 and "12 characters" in out
    status, out = await _run(
        database,
        identity_settings,
        monkeypatch,
        capsys,
        "users",
        "add",
        "futian.case",
        "--name",
        "dup",
        "--role",
        "inspector",
        "--level",
        "CITY",
        "--org-path",
        "440300",
        stdin="a-long-enough-password\n",
    )
    assert status == 2 and "already exists" in out


async def test_clients_add_list_rotate(
    database: Database,
    identity_settings: IdentitySettings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out = await _run(
        database,
        identity_settings,
        monkeypatch,
        capsys,
        "clients",
        "add",
        "csv-drop",
        "--name",
        "CSV drop",
        "--kind",
        "machine",
        "--scope",
        "entities:write",
    )
    assert status == 0
    secret = out.split("shown once): ")[1].strip()
    assert len(secret) >= 32
    jwks = tmp_path / "jwks.json"
    jwks.write_text(json.dumps(KeySet([RSAKey.generate_key(2048, {"kid": "k"}, private=True)]).as_dict()))
    status, out = await _run(
        database,
        identity_settings,
        monkeypatch,
        capsys,
        "clients",
        "add",
        "soap",
        "--name",
        "SOAP",
        "--kind",
        "machine",
        "--jwks-file",
        str(jwks),
    )
    assert status == 0 and "private_key_jwt" in out and "shown once" not in out
    _, out = await _run(database, identity_settings, monkeypatch, capsys, "clients", "list")
    assert "csv-drop\tclient_secret_basic\tentities:write\tactive" in out
    assert "soap\tprivate_key_jwt" in out
    status, out = await _run(database, identity_settings, monkeypatch, capsys, "clients", "rotate-secret", "csv-drop")
    new_secret = out.split("shown once): ")[1].strip()
    assert status == 0 and new_secret != secret
    client = await Directory(database).client("csv-drop")
    assert client is not None
    assert client.check_client_secret(new_secret) and not client.check_client_secret(secret)
    status, _ = await _run(database, identity_settings, monkeypatch, capsys, "clients", "rotate-secret", "soap")
    assert status == 2

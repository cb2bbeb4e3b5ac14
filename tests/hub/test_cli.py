"""The ``zhijian`` command as an operator runs it: real processes, real databases."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from hub.components import SCHEMAS
from kernel.db import Database
from kernel.uscc import parse_uscc
from subgraphs.entities.models import MarketEntityRow
from subgraphs.permits.models import PermitRow
from subgraphs.permits.numbers import parse_permit_number
from subgraphs.permits.vocabulary import PermitKind


def _zhijian(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hub.cli", *args],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
    )


async def test_seed_generates_valid_entities_and_permits(database_url: str, tmp_path: Path) -> None:
    result = _zhijian(
        "seed",
        "--entities",
        "3000",
        "--permits",
        "800",
        "--no-progress",
        cwd=tmp_path,
        env={"ZHIJIAN_DATABASE_URL": database_url},
    )
    assert result.returncode == 0, result.stderr
    assert "entities: 3,000 rows" in result.stdout
    assert "permits: 800 rows" in result.stdout
    database = Database.from_url(database_url, SCHEMAS)
    async with database.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(MarketEntityRow)) == 3000
        entities = {row.uscc: row for row in (await session.scalars(select(MarketEntityRow))).all()}
        permits = (await session.scalars(select(PermitRow).limit(200))).all()
    await database.dispose()
    for uscc in list(entities)[:200]:
        assert parse_uscc(uscc).warnings == ()  # check character and the GB 11714 check both pass
    for permit in permits:
        parse_permit_number(PermitKind(permit.kind), permit.number, on=permit.valid_from)
        holder = entities[permit.holder_uscc]  # held by a seeded entity, in its name, at its premises
        assert (permit.holder_name, permit.premises_address) == (holder.name, holder.premises)
        assert (permit.district_code, permit.station_code) == (holder.district_code, holder.station_code)
    again = _zhijian(
        "seed", "--entities", "10", "--no-progress", cwd=tmp_path, env={"ZHIJIAN_DATABASE_URL": database_url}
    )
    assert again.returncode == 0, again.stderr  # serials continue after the existing rows: no duplicate codes


def test_seed_refuses_permits_without_entities(sqlite_database_url: str, tmp_path: Path) -> None:
    result = _zhijian("seed", "--permits", "5", cwd=tmp_path, env={"ZHIJIAN_DATABASE_URL": sqlite_database_url})
    assert result.returncode == 2
    assert result.stderr == "zhijian seed: permits need entities to hold them; seed --entities first\n"


def test_migrate_names_a_missing_postgresql_database_in_one_line(postgres_server_url: str, tmp_path: Path) -> None:
    missing = make_url(postgres_server_url).set(database="zhijian_no_such_database").render_as_string(False)
    result = _zhijian("migrate", cwd=tmp_path, env={"ZHIJIAN_DATABASE_URL": missing})
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith('zhijian migrate: database "zhijian_no_such_database" does not exist')
    assert "createdb" in result.stderr


def test_seed_refuses_a_negative_count_before_touching_the_database(tmp_path: Path) -> None:
    result = _zhijian("seed", "--entities", "-5", cwd=tmp_path)
    assert result.returncode == 2
    assert "argument --entities: -5 is negative; give 0 or more" in result.stderr
    assert not (tmp_path / ".zhijian").exists()


def test_gateway_refuses_a_broken_supergraph_with_a_clear_message(tmp_path: Path) -> None:
    (tmp_path / "broken.graphql").write_text("type Query {", encoding="utf-8")
    result = _zhijian("gateway", "--supergraph", "broken.graphql", "--port", "1", cwd=tmp_path)
    assert result.returncode == 2
    assert "refusing to start: The supergraph is not valid GraphQL SDL" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("variable", ["ZHIJIAN_GATEWAY_PORT=web", "ZHIJIAN_DATABASE_URL=mysql://db/x"])
def test_a_bad_setting_stops_the_command_before_it_touches_anything(variable: str, tmp_path: Path) -> None:
    name, value = variable.split("=", 1)
    result = _zhijian("migrate", cwd=tmp_path, env={name: value})
    assert result.returncode == 2
    assert result.stderr.startswith(f"zhijian: {name}")
    assert not (tmp_path / ".zhijian").exists()

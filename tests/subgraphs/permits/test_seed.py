"""Seeds: well-formed numbers of every kind, bulk COPY on PostgreSQL, repeatable without collisions."""

from __future__ import annotations

from sqlalchemy import select

from kernel.db import Database
from tests.support.clock import DEFAULT_NOW
from subgraphs.permits.models import PermitRow
from subgraphs.permits.numbers import parse_permit_number
from subgraphs.permits.seed import seed_demo_permits, seed_permits
from subgraphs.permits.vocabulary import PermitKind, PermitStatus
from tests.subgraphs.permits.conftest import uscc


async def test_seeded_permits_are_well_formed_and_a_second_run_appends(database: Database) -> None:
    holders = [uscc(serial) for serial in range(1, 21)]
    assert await seed_permits(database, 600, holders, progress=False) == 600
    assert await seed_permits(database, 400, holders, progress=False, seed=7) == 400
    async with database.transaction() as session:
        rows = (await session.scalars(select(PermitRow))).all()
    assert len(rows) == len({row.number for row in rows}) == 1000
    assert {row.kind for row in rows} == {kind.value for kind in PermitKind}
    assert {row.holder_uscc for row in rows} == set(holders)
    today = DEFAULT_NOW.date()
    for row in rows:
        parsed = parse_permit_number(PermitKind(row.kind), row.number, on=row.valid_from)
        assert parsed.value == row.number
        assert row.status == (PermitStatus.VALID if row.valid_to >= today else PermitStatus.EXPIRED)


async def test_demo_permits_are_written_once(database: Database) -> None:
    holders = [uscc(serial) for serial in range(1, 5)]
    numbers = await seed_demo_permits(database, holders)
    assert [number[:2] for number in numbers] == ["JY", "JY", "SC", "YB"]
    assert await seed_demo_permits(database, holders) == ()

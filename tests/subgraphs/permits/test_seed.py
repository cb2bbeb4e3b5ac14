"""Seeds: well-formed numbers of every kind, held by the holders' entities at their premises, bulk COPY on
PostgreSQL, repeatable without collisions."""

from __future__ import annotations

from sqlalchemy import select

from kernel.db import Database
from subgraphs.common.component import Holder, SeedRequest
from subgraphs.permits.models import PermitRow
from subgraphs.permits.numbers import parse_permit_number
from subgraphs.permits.seed import seed_demo, seed_permits
from subgraphs.permits.services import PermitServices
from subgraphs.permits.vocabulary import PermitKind, PermitStatus
from tests.subgraphs.permits.conftest import uscc
from tests.support.clock import DEFAULT_NOW, Clock

SERVICES = PermitServices(clock=Clock())
PLACES = (
    ("广东省深圳市福田区南园街道建设路1号", "440304", "440304", "440304001"),
    ("广东省深圳市南山区蛇口街道工业八路2号", "440305", "440305", "440305004"),
    ("广东省深圳市深汕特别合作区鹅埠镇创业路3号", "441521", "SSTHQ", None),
)


def holders(count: int) -> list[Holder]:
    return [
        Holder(uscc(serial), f"深圳市持证食品有限公司{serial}", PLACES[serial % 3][0], PLACES[serial % 3][1])
        for serial in range(1, count + 1)
    ]


async def test_seeded_permits_are_well_formed_and_a_second_run_appends(database: Database) -> None:
    owners = holders(20)
    assert await seed_permits(database, SERVICES, 600, owners, progress=False) == 600
    assert await seed_permits(database, SERVICES, 400, owners, progress=False, seed=7) == 400
    async with database.transaction() as session:
        rows = (await session.scalars(select(PermitRow))).all()
    assert len(rows) == len({row.number for row in rows}) == 1000
    assert {row.kind for row in rows} == {kind.value for kind in PermitKind}
    assert {row.holder_uscc for row in rows} == {holder.uscc for holder in owners}
    today = DEFAULT_NOW.date()
    for row in rows:
        parsed = parse_permit_number(PermitKind(row.kind), row.number, on=row.valid_from)
        assert parsed.value == row.number
        if row.kind == PermitKind.PREPACK_FILING:  # a filing has no validity period and never expires
            assert (row.valid_to, row.status) == (None, PermitStatus.VALID)
        else:
            assert row.valid_to is not None
            assert row.status == (PermitStatus.VALID if row.valid_to >= today else PermitStatus.EXPIRED)


async def test_a_permit_belongs_to_its_holder_where_the_holder_is(database: Database) -> None:
    """Name, premises and the supervising district and station are the holder's (DOMAIN.md §9)."""
    owners = {holder.uscc: holder for holder in holders(6)}
    await seed_permits(database, SERVICES, 12, list(owners.values()), progress=False)
    async with database.transaction() as session:
        rows = (await session.scalars(select(PermitRow))).all()
    places = {address: (district, station) for address, _, district, station in PLACES}
    for row in rows:
        holder = owners[row.holder_uscc]
        assert (row.holder_name, row.premises_address, row.premises_region) == (
            holder.name,
            holder.premises,
            holder.region_code,
        )
        assert (row.district_code, row.station_code) == places[holder.premises]


async def test_demo_permits_are_written_once(database: Database) -> None:
    request = SeedRequest(0, progress=False, holders=tuple(holders(5)))
    first = await seed_demo(database, SERVICES, request)
    assert first.report == "permits: 5 demo permits"
    assert (await seed_demo(database, SERVICES, request)).report == ""

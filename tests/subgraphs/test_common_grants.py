"""Grants widen exactly one record: a supervised record granted to another unit or officer is read (lists,
counts, ``session.get``) and changed by that grantee, and nothing else of the grantor's jurisdiction becomes
visible; a revoked grant reaches nothing; records without a holder are never an enterprise user's."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import ForeignKey, String, func, select, update
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from kernel.db import Database
from kernel.errors import ForbiddenError
from kernel.orgtree import default_org_tree
from kernel.principal import Principal
from subgraphs.common.jurisdiction import (
    GrantColumns,
    Jurisdiction,
    Scopes,
    Supervised,
    Unscoped,
    fetch_scoped,
    grant_record,
    open_request_session,
    request_sessions,
)
from subgraphs.common.prepared import PreparedRead
from tests.support.identities import CITY, FUTIAN, HUAQIANGBEI, NANSHAN, enterprise_user, officer

TREE = default_org_tree()
SCOPES = Scopes(read=("tasks:read", "tasks:write"), write="tasks:write")
AT = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)


class Base(DeclarativeBase):
    pass


class TaskGrant(GrantColumns, Unscoped, Base):
    __tablename__ = "grant_test_task_grants"
    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("grant_test_tasks.id"), index=True)


class Task(Supervised, Base):
    """A supervised record with grants and without a holder."""

    __tablename__ = "grant_test_tasks"
    grants = TaskGrant
    id: Mapped[int] = mapped_column(primary_key=True)
    district_code: Mapped[str] = mapped_column(String(6))
    station_code: Mapped[str] = mapped_column(String(9))
    note: Mapped[str] = mapped_column(String(40), default="")


class Counted(Supervised, Base):
    """Queried by one test only, whose first statement over it is a count (no entity among its columns)."""

    __tablename__ = "grant_test_counted"
    id: Mapped[int] = mapped_column(primary_key=True)
    district_code: Mapped[str] = mapped_column(String(6))
    station_code: Mapped[str] = mapped_column(String(9))


ALL_TASKS = PreparedRead(Task, lambda rows: rows.order_by(Task.id))

TASKS = {  # id: (district, station) — three in 华强北, one in 园岭 (福田), two in 南山
    1: ("440304", "440304009"),
    2: ("440304", "440304009"),
    3: ("440304", "440304009"),
    4: ("440304", "440304002"),
    5: ("440305", "440305001"),
    6: ("440305", "440305002"),
}


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    database = Database.from_url(database_url, ())
    async with database.engine.begin() as connection:
        await connection.run_sync(Base.metadata.create_all)
    async with database.transaction() as session:
        session.add_all(Task(id=key, district_code=d, station_code=s) for key, (d, s) in TASKS.items())
    yield database
    await database.dispose()


async def seen(database: Database, caller: Principal) -> tuple[list[int], int, list[int]]:
    """The ids a caller lists, counts and gets one by one; reading them as the driver's records
    (:func:`fetch_scoped`, the draw's way) or through a prepared read (a page's way) reaches exactly the listed
    ones."""
    session = open_request_session(request_sessions(database.engine), Jurisdiction.of(caller, TREE, SCOPES))
    try:
        listed = list((await session.scalars(select(Task.id).order_by(Task.id))).all())
        assert [row[0] for row in await fetch_scoped(session, select(Task.id).order_by(Task.id))] == listed
        assert [record.id for record in await ALL_TASKS.all(session)] == listed
        counted = await session.scalar(select(func.count()).select_from(Task))
        got = [key for key in TASKS if await session.get(Task, key) is not None]
        return listed, counted or 0, got
    finally:
        await session.close()


async def grant(database: Database, record: int, **grantee: object) -> None:
    grantor = officer(FUTIAN, subject="futian-head", roles=("agency_head",))
    session = open_request_session(request_sessions(database.engine), Jurisdiction.of(grantor, TREE, SCOPES))
    async with session, session.begin():
        grant_record(session, Task, record, by=grantor, reason="双随机 draw", at=AT, **grantee)  # type: ignore[arg-type]


async def test_a_grant_to_a_station_widens_exactly_that_record(database: Database) -> None:
    nanshan_station = officer(f"{NANSHAN}/440305001", "tasks:write", subject="nanshan-inspector")
    assert await seen(database, nanshan_station) == ([5], 1, [5])
    await grant(database, 2, unit=TREE.station("440305001"))
    assert await seen(database, nanshan_station) == ([2, 5], 2, [2, 5])
    # its district (above the grantee) reaches it too; another station of the district does not
    assert await seen(database, officer(NANSHAN, "tasks:write")) == ([2, 5, 6], 3, [2, 5, 6])
    assert await seen(database, officer(f"{NANSHAN}/440305002", "tasks:write")) == ([6], 1, [6])
    # the grantor's own view is unchanged, and so is the city's
    assert (await seen(database, officer(HUAQIANGBEI)))[0] == [1, 2, 3]
    assert (await seen(database, officer(CITY)))[0] == [1, 2, 3, 4, 5, 6]


async def test_a_grant_to_an_officer_reaches_that_officer_only(database: Database) -> None:
    await grant(database, 4, subject="nanshan-inspector")
    assert await seen(database, officer(NANSHAN, subject="nanshan-inspector")) == ([4, 5, 6], 3, [4, 5, 6])
    assert await seen(database, officer(NANSHAN, subject="someone-else")) == ([5, 6], 2, [5, 6])
    assert await seen(database, officer(f"{FUTIAN}/440304009", subject="nanshan-inspector")) == (
        [1, 2, 3, 4],
        4,
        [1, 2, 3, 4],
    )


async def test_the_grantee_may_change_the_granted_record_and_nothing_else(database: Database) -> None:
    await grant(database, 3, unit=TREE.station("440305001"))
    inspector = officer(f"{NANSHAN}/440305001", "tasks:write", subject="nanshan-inspector")
    jurisdiction = Jurisdiction.of(inspector, TREE, SCOPES)
    session = open_request_session(request_sessions(database.engine), jurisdiction)
    async with session, session.begin():
        task = await session.get(Task, 3)
        assert task is not None
        task.note = "inspected"
    session = open_request_session(request_sessions(database.engine), jurisdiction)
    with pytest.raises(ForbiddenError):
        async with session, session.begin():
            session.add(Task(id=7, district_code="440304", station_code="440304009"))
    async with database.transaction() as system:
        notes = dict((await system.execute(select(Task.id, Task.note))).all())
        assert notes[3] == "inspected" and 7 not in notes


async def test_a_revoked_grant_reaches_nothing(database: Database) -> None:
    await grant(database, 1, unit=TREE.station("440305001"))
    station = officer(f"{NANSHAN}/440305001", subject="nanshan-inspector")
    assert (await seen(database, station))[0] == [1, 5]
    async with database.transaction() as system:
        await system.execute(update(TaskGrant).values(revoked_at=AT + dt.timedelta(days=1)))
    assert await seen(database, station) == ([5], 1, [5])


async def test_records_without_a_holder_are_no_enterprise_users(database: Database) -> None:
    assert await seen(database, enterprise_user("91440300MA5H7K2P12")) == ([], 0, [])


async def test_a_grant_needs_exactly_one_grantee(database: Database) -> None:
    with pytest.raises(ValueError, match="exactly one"):
        await grant(database, 1)
    with pytest.raises(ValueError, match="exactly one"):
        await grant(database, 1, unit=TREE.station("440305001"), subject="x")


async def test_a_count_is_scoped_even_as_the_first_statement_over_a_model(database: Database) -> None:
    """``select_from(Model)`` names an annotated table: it must still be recognised as supervised."""
    async with database.transaction() as session:
        session.add_all(Counted(id=key, district_code=d, station_code=s) for key, (d, s) in TASKS.items())
    caller = officer(NANSHAN)
    session = open_request_session(request_sessions(database.engine), Jurisdiction.of(caller, TREE, SCOPES))
    try:
        assert await session.scalar(select(func.count()).select_from(Counted)) == 2
    finally:
        await session.close()

"""Prepared reads answer what the ORM answers: the same rows in the caller's jurisdiction, the same values of every
column type (dates, aware timestamps, booleans, JSON), what the session has pending, inside a writing transaction;
a parameter that would need converting is refused when the read is compiled."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import JSON, Boolean, Date, Integer, String, bindparam, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from kernel.db import Database, statement_transactions, uncommitted_writes, write_transactions, writes_pending
from kernel.errors import InternalError
from kernel.orgtree import default_org_tree
from kernel.principal import Principal
from kernel.timestamps import UtcDateTime
from subgraphs.common.jurisdiction import (
    Jurisdiction,
    Scopes,
    Supervised,
    Unscoped,
    open_request_session,
    request_sessions,
)
from subgraphs.common.prepared import PreparedRead
from tests.support.identities import CITY, FUTIAN, HUAQIANGBEI, NANSHAN, enterprise_user, officer

TREE = default_org_tree()
SCOPES = Scopes(read=("stalls:read",), write="stalls:write")


class Base(DeclarativeBase):
    pass


class Stall(Supervised, Base):
    """A supervised record held by an entity, with a column of each type the hub's tables use."""

    __tablename__ = "prepared_test_stalls"
    holder = "holder_uscc"
    id: Mapped[int] = mapped_column(primary_key=True)
    holder_uscc: Mapped[str] = mapped_column(String(18))
    district_code: Mapped[str] = mapped_column(String(6))
    station_code: Mapped[str | None] = mapped_column(String(9))
    opened_on: Mapped[dt.date] = mapped_column(Date)
    checked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    open: Mapped[bool] = mapped_column(Boolean)
    items: Mapped[list[str]] = mapped_column(JSON)
    seats: Mapped[int | None] = mapped_column(Integer)


class Note(Unscoped, Base):
    """A row a query writes beside its reads (as the personal-data read audit does)."""

    __tablename__ = "prepared_test_notes"
    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(String(40))


HOLDER_A, HOLDER_B = "91440300MA5FAAAA1X", "91440300MA5FBBBB2Y"
STALLS = [  # id, holder, district, station
    (1, HOLDER_A, "440304", "440304009"),
    (2, HOLDER_A, "440304", "440304002"),
    (3, HOLDER_B, "440304", "440304009"),
    (4, HOLDER_B, "440305", None),
]
BY_HOLDER = PreparedRead(
    Stall, lambda rows: rows.where(Stall.holder_uscc.in_(bindparam("holders", expanding=True))).order_by(Stall.id)
)


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    database = Database.from_url(database_url, ())
    async with database.engine.begin() as connection:
        await connection.run_sync(Base.metadata.create_all)
    async with database.transaction() as session:
        session.add_all(
            Stall(
                id=key,
                holder_uscc=holder,
                district_code=district,
                station_code=station,
                opened_on=dt.date(2024, 2, key),
                checked_at=None if key == 4 else dt.datetime(2026, 3, key, 9, 30, tzinfo=dt.UTC),
                open=key % 2 == 1,
                items=[f"ITEM-{key}", "共同"],
                seats=None if key == 3 else 10 * key,
            )
            for key, holder, district, station in STALLS
        )
    yield database
    await database.dispose()


COLUMNS = ("id", "holder_uscc", "district_code", "station_code", "opened_on", "checked_at", "open", "items", "seats")


def values(row: Any) -> tuple[Any, ...]:
    return tuple(getattr(row, column) for column in COLUMNS)


@pytest.mark.parametrize(
    ("caller", "expected"),
    [
        (officer(CITY), [1, 2, 3, 4]),
        (officer(FUTIAN), [1, 2, 3]),
        (officer(HUAQIANGBEI), [1, 3]),
        (officer(NANSHAN), [4]),
        (enterprise_user(HOLDER_B), [3, 4]),
    ],
)
async def test_a_prepared_read_answers_as_the_orm_in_each_jurisdiction(
    database: Database, caller: Principal, expected: list[int]
) -> None:
    factory = request_sessions(database.engine)
    jurisdiction = Jurisdiction.of(caller, TREE, SCOPES)
    for _ in range(2):  # compiled for this scope, then reused
        session = open_request_session(factory, jurisdiction)
        statement_transactions(session)
        try:
            holders = [HOLDER_A, HOLDER_B]
            orm = (await session.scalars(select(Stall).where(Stall.holder_uscc.in_(holders)).order_by(Stall.id))).all()
            records = await BY_HOLDER.all(session, holders=holders)
        finally:
            await session.close()
        assert [record.id for record in records] == expected
        assert [values(record) for record in records] == [values(row) for row in orm]
        assert all(type(a) is type(b) for record, row in zip(records, orm, strict=True)
                   for a, b in zip(values(record), values(row), strict=True))  # fmt: skip


async def test_a_read_in_a_writing_transaction_sees_what_it_has_pending(database: Database) -> None:
    writer = officer(CITY, "stalls:write")
    session = open_request_session(request_sessions(database.engine), Jurisdiction.of(writer, TREE, SCOPES))
    write_transactions(session)
    async with session, session.begin():
        (await session.get_one(Stall, 1)).seats = 99
        session.add(
            Stall(
                id=5,
                holder_uscc=HOLDER_A,
                district_code="440304",
                station_code="440304009",
                opened_on=dt.date(2024, 3, 1),
                checked_at=None,
                open=True,
                items=[],
                seats=1,
            )
        )
        records = await BY_HOLDER.all(session, holders=[HOLDER_A])
        assert [(record.id, record.seats) for record in records] == [(1, 99), (2, 20), (5, 1)]
        await session.rollback()
    async with database.transaction() as check:
        assert (await check.get_one(Stall, 1)).seats == 10 and await check.get(Stall, 5) is None


async def test_a_parameter_that_needs_converting_is_refused(database: Database) -> None:
    opened = PreparedRead(Stall, lambda rows: rows.where(Stall.opened_on == bindparam("on", type_=UtcDateTime)))
    session = open_request_session(request_sessions(database.engine), Jurisdiction.of(officer(CITY), TREE, SCOPES))
    async with session:
        with pytest.raises(InternalError, match="parameter on needs converting"):
            await opened.all(session, on=dt.datetime(2024, 2, 1, tzinfo=dt.UTC))


async def test_a_query_whose_read_flushed_its_audit_still_has_it_to_commit(database: Database) -> None:
    """A query's session is only closed when it wrote nothing (``RequestTransaction``); a prepared read flushes what
    the query had pending (its audit trail), which must still be committed."""
    session = open_request_session(request_sessions(database.engine), Jurisdiction.of(officer(CITY), TREE, SCOPES))
    statement_transactions(session)
    async with session:
        assert not uncommitted_writes(session)
        session.add(Note(id=1, text="unmasked read"))
        await BY_HOLDER.all(session, holders=[HOLDER_A])
        assert not writes_pending(session) and uncommitted_writes(session)
        await session.commit()
        assert not uncommitted_writes(session)
    async with database.transaction() as check:
        assert (await check.get_one(Note, 1)).text == "unmasked read"

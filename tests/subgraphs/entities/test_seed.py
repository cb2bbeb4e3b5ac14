"""Seeding writes valid, deterministic data in the real org tree, on both databases."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from sqlalchemy import inspect, select

from kernel.db import Database
from kernel.orgtree import default_org_tree
from kernel.uscc import parse_uscc
from subgraphs.common.component import SeedRequest
from subgraphs.entities.models import SCHEMA, CreditListingRow, MarketEntityRow
from subgraphs.entities.persons import parse_id_number
from subgraphs.entities.seed import seed_demo, seed_entities
from subgraphs.entities.services import EntityServices
from tests.subgraphs.entities.harness import count

TODAY = dt.date(2026, 6, 1)


async def test_a_few_thousand_valid_entities(database: Database) -> None:
    # the bulk path: on PostgreSQL secondary indexes are dropped for the COPY and rebuilt after it
    report = await seed_entities(
        database, 3000, today=TODAY, tree=default_org_tree(), rng_seed=11, progress=False, rebuild_indexes=True
    )
    assert report.entities == 3000 and report.listings > 30
    assert await count(database, "market_entity") == 3000
    assert await count(database, "credit_listing") == report.listings
    tree = default_org_tree()
    async with database.transaction() as session:
        rows = (await session.scalars(select(MarketEntityRow))).all()
        listings = (await session.scalars(select(CreditListingRow))).all()
    for row in rows:
        assert parse_uscc(row.uscc).warnings == ()  # GB 32100 and GB 11714 both hold
        assert parse_id_number(row.legal_rep_id_number) == row.legal_rep_id_number
        district = tree.district(row.district_code)
        if row.station_code is not None:
            assert tree.district_of(tree.station(row.station_code)) == district
            assert tree.station(row.station_code).area in row.premises
        if row.suspended_until is not None:
            assert row.status == "SUSPENDED" and row.suspended_until <= dt.date(2029, 6, 1)
    assert len(Counter(row.district_code for row in rows)) == 11
    assert {listing.list_type for listing in listings} == {"ABNORMAL", "ABNORMAL_STATUS", "SERIOUS"}
    schema = None if database.is_sqlite else SCHEMA
    async with database.engine.connect() as connection:
        indexes = await connection.run_sync(
            lambda sync: {index["name"] for index in inspect(sync).get_indexes("market_entity", schema=schema)}
        )
    expected = {"ix_market_entity_district", "ix_market_entity_station", "ix_market_entity_status"}
    if not database.is_sqlite:
        expected |= {"ix_market_entity_name_trgm", "ix_market_entity_name_bigrams"}
    assert expected <= indexes


async def test_demo_is_deterministic_and_only_seeds_an_empty_database(database: Database) -> None:
    first = await seed_demo(database, EntityServices(), SeedRequest(0, progress=False))
    assert first.report.startswith("entities: 300 rows") and len(first.holders) > 200
    async with database.transaction() as session:
        names = list(await session.scalars(select(MarketEntityRow.name).order_by(MarketEntityRow.uscc).limit(3)))
    assert (await seed_demo(database, EntityServices(), SeedRequest(0, progress=False))).report == ""
    assert await count(database, "market_entity") == 300
    assert names == [
        "深圳市湘川供应链管理有限公司宝安区分公司",
        "深圳市海中大贸易有限公司",
        "深圳市小大生物科技有限公司",
    ]

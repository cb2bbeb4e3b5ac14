"""entities(filter, first, after): keyset pages across filters, and name search served by the trigram index."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select, text

from kernel.db import Database
from kernel.orgtree import default_org_tree
from subgraphs.entities.models import MarketEntityRow
from subgraphs.entities.queries import EntityFilter, filtered
from subgraphs.entities.seed import seed_entities
from tests.subgraphs.entities.harness import REGISTER, Subgraph, another_uscc, application
from tests.support.clock import DEFAULT_NOW

PAGE = """
query($filter: EntityFilter, $first: Int!, $after: String) {
  entities(filter: $filter, first: $first, after: $after) {
    edges { cursor node { uscc name districtCode stationCode status entityType creditFlags } }
    pageInfo { hasNextPage endCursor }
  }
}"""


@pytest.fixture
async def seeded(database: Database) -> list[MarketEntityRow]:
    await seed_entities(database, 400, today=DEFAULT_NOW.date(), tree=default_org_tree(), rng_seed=7, progress=False)
    async with database.transaction() as session:
        return list(await session.scalars(select(MarketEntityRow).order_by(MarketEntityRow.uscc)))


async def walk(subgraph: Subgraph, entity_filter: dict[str, Any] | None, first: int) -> list[dict[str, Any]]:
    """Every node, page by page, following endCursor."""
    nodes: list[dict[str, Any]] = []
    after = None
    while True:
        variables = {"filter": entity_filter, "first": first, "after": after}
        connection = (await subgraph.data(PAGE, variables))["entities"]
        nodes.extend(edge["node"] for edge in connection["edges"])
        assert len(connection["edges"]) <= first
        if not connection["pageInfo"]["hasNextPage"]:
            return nodes
        after = connection["pageInfo"]["endCursor"]
        assert after == connection["edges"][-1]["cursor"]


async def test_pages_cover_the_list_once_in_uscc_order(subgraph: Subgraph, seeded: list[MarketEntityRow]) -> None:
    nodes = await walk(subgraph, None, 37)
    assert [n["uscc"] for n in nodes] == [row.uscc for row in seeded]


@pytest.mark.parametrize(
    "entity_filter",
    [
        {"districtCode": "440306"},
        {"stationCode": "440304009"},
        {"status": "SUSPENDED"},
        {"entityType": "INDIVIDUAL_BUSINESS", "districtCode": "440307"},
        {"onAbnormalList": True},
    ],
)
async def test_filtered_pages(subgraph: Subgraph, seeded: list[MarketEntityRow], entity_filter: dict[str, Any]) -> None:
    nodes = await walk(subgraph, entity_filter, 5)
    expected = [
        row.uscc
        for row in seeded
        if row.district_code == entity_filter.get("districtCode", row.district_code)
        and row.station_code == entity_filter.get("stationCode", row.station_code)
        and row.status == entity_filter.get("status", row.status)
        and row.entity_type == entity_filter.get("entityType", row.entity_type)
    ]
    if "onAbnormalList" in entity_filter:
        # enterprises on the list, individual businesses in abnormal status (个体工商户年度报告暂行办法 Art. 13)
        abnormal = {"ON_ABNORMAL_LIST", "IN_ABNORMAL_STATUS"}
        assert nodes and all(abnormal & set(n["creditFlags"]) for n in nodes)
        rest = await walk(subgraph, {"onAbnormalList": False}, 100)
        assert sorted(n["uscc"] for n in nodes + rest) == expected
    else:
        assert expected and [n["uscc"] for n in nodes] == expected


@pytest.mark.parametrize("needle", ["餐饮管理", "餐饮", "湘", "有限公司", "福田区"])
async def test_name_search_finds_exactly_the_substring_matches(
    subgraph: Subgraph, seeded: list[MarketEntityRow], needle: str
) -> None:
    nodes = await walk(subgraph, {"nameContains": needle}, 50)
    expected = [row.uscc for row in seeded if needle in row.name]
    assert expected and [n["uscc"] for n in nodes] == expected


async def test_name_search_treats_wildcards_literally(subgraph: Subgraph, seeded: list[MarketEntityRow]) -> None:
    await subgraph.data(REGISTER, {"input": application(name="深圳市100%_食品有限公司")})
    await subgraph.data(REGISTER, {"input": application(uscc=another_uscc(9999), name="深圳市1000食品有限公司")})
    nodes = await walk(subgraph, {"nameContains": "100%_食品"}, 10)
    assert [n["name"] for n in nodes] == ["深圳市100%_食品有限公司"]
    nodes = await walk(subgraph, {"nameContains": "SHENZHEN"}, 10)
    assert nodes == []
    quoted = "深圳市奥'尼尔\\食品有限公司"  # the needle is rendered inline on PostgreSQL: quotes must stay data
    await subgraph.data(REGISTER, {"input": application(uscc=another_uscc(9998), name=quoted)})
    for needle in ("奥'尼尔\\", "'", "'); DROP TABLE entities.market_entity; --"):
        nodes = await walk(subgraph, {"nameContains": needle}, 10)
        assert [n["name"] for n in nodes] == ([quoted] if needle in quoted else [])


@pytest.mark.parametrize("needle", ["餐饮管理", "餐饮"])
async def test_name_search_uses_an_index(database: Database, seeded: list[MarketEntityRow], needle: str) -> None:
    statement = filtered(
        EntityFilter(name_contains=needle), default_org_tree(), DEFAULT_NOW.date(), database.is_sqlite
    ).order_by(MarketEntityRow.uscc)
    translate = database.engine.get_execution_options().get("schema_translate_map")  # SQLite: no schemas
    options = {"schema_translate_map": translate, "render_schema_translate": True} if translate else {}
    compiled = statement.compile(database.engine.sync_engine, compile_kwargs={"literal_binds": True}, **options)
    async with database.transaction() as session:
        if database.is_sqlite:
            plan = " ".join(str(row) for row in await session.execute(text(f"EXPLAIN QUERY PLAN {compiled}")))
            if len(needle) >= 3:
                assert "market_entity_name_fts VIRTUAL TABLE INDEX 0:L" in plan  # L: the LIKE constraint is indexed
            else:  # FTS5 trigram cannot serve two characters: the small embedded database scans
                assert "market_entity_name_fts" not in plan
        else:
            await session.execute(text("SET LOCAL enable_seqscan = off"))
            plan = " ".join(str(row) for row in await session.execute(text(f"EXPLAIN {compiled}")))
            assert ("ix_market_entity_name_trgm" if len(needle) >= 3 else "ix_market_entity_name_bigrams") in plan


@pytest.mark.parametrize(
    ("variables", "code"),
    [
        ({"first": 0}, "INVALID_PAGE_SIZE"),
        ({"first": 101}, "INVALID_PAGE_SIZE"),
        ({"first": 5, "after": "not-a-cursor"}, "INVALID_CURSOR"),
        ({"first": 5, "filter": {"districtCode": "440312"}}, "UNKNOWN_DISTRICT"),
        ({"first": 5, "filter": {"stationCode": "440304"}}, "UNKNOWN_STATION"),
        ({"first": 5, "filter": {"nameContains": " "}}, "INVALID_FILTER"),
    ],
)
async def test_bad_list_arguments(subgraph: Subgraph, variables: dict[str, Any], code: str) -> None:
    error = await subgraph.error(PAGE, variables)
    assert error["extensions"]["code"] == code


async def test_entity_lookup(subgraph: Subgraph, seeded: list[MarketEntityRow]) -> None:
    lookup = "query($u: String!) { entity(uscc: $u) { uscc name } }"
    found = await subgraph.data(lookup, {"u": seeded[0].uscc.lower()})
    assert found["entity"] == {"uscc": seeded[0].uscc, "name": seeded[0].name}
    unknown = await subgraph.post(lookup, {"u": "91440300MA5H7K2P12"})
    assert unknown["data"]["entity"] is None and unknown["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    error = await subgraph.error(lookup, {"u": "91440300MA5H7K2P13"})
    assert error["extensions"]["code"] == "INVALID_USCC" and error["path"] == ["entity"]


async def test_sibling_fields_share_one_session_safely(subgraph: Subgraph, seeded: list[MarketEntityRow]) -> None:
    both = """
    query($u: String!) {
      one: entity(uscc: $u) { creditFlags holdReasons { reason } abnormalListings { id } }
      page: entities(first: 3) { edges { node { uscc creditFlags holdReasons { reason } } } }
    }"""
    data = await subgraph.data(both, {"u": seeded[0].uscc})
    assert data["one"] is not None
    assert [edge["node"]["uscc"] for edge in data["page"]["edges"]] == [row.uscc for row in seeded[:3]]

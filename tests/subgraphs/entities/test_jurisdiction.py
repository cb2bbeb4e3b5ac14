"""Jurisdiction over HTTP (DOMAIN.md §9): a station, a district bureau and the city see different entities for the
same query; nothing leads to another jurisdiction's rows; writes outside it are FORBIDDEN and write nothing."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import select

from kernel.db import Database
from kernel.forwarding import FORWARDED_IDENTITY_HEADER
from kernel.orgtree import CITY_WIDE
from kernel.principal import Principal
from subgraphs.entities.models import PersonalDataReadRow
from tests.subgraphs.entities.harness import REGISTER, Subgraph, another_uscc, application, count, id_number
from tests.support.identities import CITY, FUTIAN, HUAQIANGBEI, NANSHAN, YUANLING, machine, officer
from tests.support.paging import every_node

PLACES = {
    "huaqiangbei": "广东省深圳市福田区华强北街道振华路8号",
    "yuanling": "广东省深圳市福田区园岭街道红荔路1号",
    "shekou": "广东省深圳市南山区蛇口街道工业八路2号",
}
USCC = {place: another_uscc(serial) for serial, place in enumerate(PLACES, start=101)}
ALL = sorted(USCC.values())
PAGE = """
query($first: Int!, $after: String) {
  entities(first: $first, after: $after) { edges { node { uscc } } pageInfo { hasNextPage endCursor } }
}"""
LOOKUP = "query($u: String!) { entity(uscc: $u) { uscc name } }"
REFERENCES = "query($r: [_Any!]!) { _entities(representations: $r) { ... on MarketEntity { uscc } } }"
PII = """query($u: String!, $p: PersonalDataPurpose) {
  entity(uscc: $u) { legalRepresentative { name idNumber(purpose: $p) phone(purpose: $p) } }
}"""
REVIEWER = ("case_officer",)
"""Investigates cases: may state CASE_INVESTIGATION."""
DECIDERS = ("agency_head", "admin")
"""District or city staff whose roles allow every entities mutation (so a refusal is the jurisdiction's)."""
ADD = """
mutation($u: String!) {
  addToAbnormalList(input: {uscc: $u, reason: UNREACHABLE_AT_DOMICILE, listedOn: "2025-07-01"}) { listing { id } }
}"""
SUSPEND = """
mutation($u: String!) {
  suspendEntity(input: {uscc: $u, startsOn: "2025-09-26", until: "2025-12-31"}) { entity { status } }
}"""


@pytest.fixture
async def city(subgraph: Subgraph) -> Subgraph:
    """Three entities registered by the city bureau: two in 福田 (华强北, 园岭 stations), one in 南山 (蛇口)."""
    for place, premises in PLACES.items():
        await subgraph.data(REGISTER, {"input": application(uscc=USCC[place], premises=premises)})
    return subgraph


async def pages(subgraph: Subgraph, first: int) -> list[str]:
    """Every uscc the caller sees, following the keyset cursor page by page."""
    nodes = await every_node(lambda after: subgraph.data(PAGE, {"first": first, "after": after}), "entities")
    return [node["uscc"] for node in nodes]


@pytest.mark.parametrize(
    ("caller", "places"),
    [
        (officer(CITY), ["huaqiangbei", "yuanling", "shekou"]),
        (officer(FUTIAN), ["huaqiangbei", "yuanling"]),
        (officer(NANSHAN), ["shekou"]),
        (officer(HUAQIANGBEI), ["huaqiangbei"]),
        (officer(YUANLING), ["yuanling"]),
        (machine("adapter", "entities:read", org_path=FUTIAN), ["huaqiangbei", "yuanling"]),
        (machine("adapter", "entities:write", CITY_WIDE), ["huaqiangbei", "yuanling", "shekou"]),
        (machine("adapter", "entities:read"), []),  # no jurisdiction and no city-wide scope
        (machine("adapter", "permits:read", CITY_WIDE), []),  # city-wide, but not for entities
        (officer("440300/44030"), []),  # a string prefix of 福田's path is no unit at all
        (officer("440300/440304/4403040"), []),
        (officer("440300/440305/440304009"), []),  # 华强北 is not in 南山
    ],
)
async def test_each_caller_sees_its_own_jurisdiction(city: Subgraph, caller: Principal, places: list[str]) -> None:
    expected = sorted(USCC[place] for place in places)
    caller_view = city.as_(caller)
    assert await pages(caller_view, first=1) == expected  # keyset pages stay correct under the filter
    assert await pages(caller_view, first=20) == expected
    found = await caller_view.data(REFERENCES, {"r": [{"__typename": "MarketEntity", "uscc": u} for u in ALL]})
    assert [entity["uscc"] if entity else None for entity in found["_entities"]] == [
        u if u in expected else None for u in ALL
    ]


async def test_a_foreign_entity_looks_exactly_like_a_missing_one(city: Subgraph) -> None:
    station = city.as_(officer(HUAQIANGBEI))
    own = await station.data(LOOKUP, {"u": USCC["huaqiangbei"]})
    assert own["entity"]["uscc"] == USCC["huaqiangbei"]
    foreign = await station.post(LOOKUP, {"u": USCC["yuanling"]})
    missing = await station.post(LOOKUP, {"u": another_uscc(999)})
    assert foreign["data"] == missing["data"] == {"entity": None}
    for body, uscc in ((foreign, USCC["yuanling"]), (missing, another_uscc(999))):
        (error,) = body["errors"]
        assert error["extensions"] == {"code": "NOT_FOUND", "uscc": uscc}
        assert error["message"] == f"no entity {uscc} in your jurisdiction"
    district = city.as_(officer(FUTIAN))
    assert (await district.data(LOOKUP, {"u": USCC["yuanling"]}))["entity"]["uscc"] == USCC["yuanling"]


async def _audit(database: Database) -> list[tuple[str, str | None, str, str]]:
    async with database.transaction() as session:
        rows = await session.scalars(select(PersonalDataReadRow).order_by(PersonalDataReadRow.id))
        return [(row.subject, row.org_path, row.uscc, row.fields) for row in rows]


async def test_personal_data_is_masked_without_a_purpose(city: Subgraph, database: Database) -> None:
    shown = await city.as_(officer(FUTIAN, roles=REVIEWER)).data(PII, {"u": USCC["yuanling"]})
    assert shown["entity"]["legalRepresentative"] == {
        "name": "张伟",
        "idNumber": "4403**********" + id_number()[-4:],
        "phone": "138****5678",
    }
    assert await _audit(database) == []


async def test_unmasked_reads_are_audited_once_per_entity(city: Subgraph, database: Database) -> None:
    reader = city.as_(officer(FUTIAN, roles=REVIEWER, subject="futian-reviewer"))
    shown = await reader.data(PII, {"u": USCC["yuanling"], "p": "CASE_INVESTIGATION"})
    assert shown["entity"]["legalRepresentative"] == {"name": "张伟", "idNumber": id_number(), "phone": "13812345678"}
    assert await _audit(database) == [("futian-reviewer", FUTIAN, USCC["yuanling"], "idNumber,phone")]
    page = """{ entities(first: 10) {
      edges { node { uscc legalRepresentative { phone(purpose: CASE_INVESTIGATION) } } } } }"""
    phones = [edge["node"]["legalRepresentative"]["phone"] for edge in (await reader.data(page))["entities"]["edges"]]
    assert phones == ["13812345678", "13812345678"]  # 福田's two entities, not 南山's
    assert sorted((uscc, fields) for _, _, uscc, fields in (await _audit(database))[1:]) == [
        (USCC["huaqiangbei"], "phone"),
        (USCC["yuanling"], "phone"),
    ]


async def test_an_unmasked_read_stays_audited_when_the_query_also_fails(city: Subgraph, database: Database) -> None:
    reader = city.as_(officer(FUTIAN, roles=REVIEWER, subject="futian-reviewer"))
    query = """query($u: String!, $other: String!) {
      mine: entity(uscc: $u) { legalRepresentative { idNumber(purpose: CASE_INVESTIGATION) } }
      theirs: entity(uscc: $other) { uscc }
    }"""
    body = await reader.post(query, {"u": USCC["yuanling"], "other": USCC["shekou"]})
    assert body["data"]["mine"]["legalRepresentative"]["idNumber"] == id_number()
    assert [error["extensions"]["code"] for error in body["errors"]] == ["NOT_FOUND"]
    assert await _audit(database) == [("futian-reviewer", FUTIAN, USCC["yuanling"], "idNumber")]


async def test_a_purpose_does_not_widen_the_jurisdiction(city: Subgraph, database: Database) -> None:
    reader = city.as_(officer(HUAQIANGBEI, roles=REVIEWER))
    body = await reader.post(PII, {"u": USCC["shekou"], "p": "CASE_INVESTIGATION"})
    assert body["data"] == {"entity": None}
    assert await _audit(database) == []


@pytest.mark.parametrize(
    ("roles", "purpose"),
    [(("analyst",), "INSPECTION"), (("inspector",), "CASE_INVESTIGATION"), (("legal_reviewer",), "REGISTRATION")],
)
async def test_a_purpose_the_role_may_not_state_is_forbidden_and_shows_nothing(
    city: Subgraph, database: Database, roles: tuple[str, ...], purpose: str
) -> None:
    body = await city.as_(officer(FUTIAN, roles=roles)).post(PII, {"u": USCC["yuanling"], "p": purpose})
    assert body["data"] is None or body["data"]["entity"] is None
    assert {error["extensions"]["code"] for error in body["errors"]} == {"FORBIDDEN"}
    assert all(error["extensions"]["purpose"] == purpose for error in body["errors"])
    assert await _audit(database) == []


async def test_personal_data_follows_the_role_whatever_the_client(city: Subgraph, database: Database) -> None:
    """The same officer through another app (client) with the same role gets the same answer."""
    other_app = replace(officer(FUTIAN, roles=("legal_reviewer",), subject="reviewer"), client_id="third-app")
    shown = await city.as_(other_app).data(PII, {"u": USCC["yuanling"], "p": "LEGAL_REVIEW"})
    assert shown["entity"]["legalRepresentative"]["phone"] == "13812345678"
    async with database.transaction() as session:
        row = await session.scalar(select(PersonalDataReadRow))
    assert row is not None
    assert (row.client_id, row.purpose, row.roles) == ("third-app", "LEGAL_REVIEW", "legal_reviewer")


@pytest.mark.parametrize(
    "caller",
    [
        officer("440300/440304/440304002", roles=DECIDERS),  # a neighbouring station, were it to hold the roles
        officer(NANSHAN, roles=DECIDERS),  # another district
        machine("adapter", "entities:read", CITY_WIDE),  # reads everything, may write nothing
        machine("adapter", "entities:write", org_path=NANSHAN),
    ],
)
async def test_writes_outside_the_jurisdiction_are_forbidden_and_write_nothing(
    city: Subgraph, database: Database, caller: Principal
) -> None:
    outsider = city.as_(caller)
    target = USCC["huaqiangbei"]
    new = application(uscc=another_uscc(200), premises=PLACES["huaqiangbei"])
    for query, variables in ((ADD, {"u": target}), (SUSPEND, {"u": target}), (REGISTER, {"input": new})):
        error = await outsider.error(query, variables)
        assert error["extensions"]["code"] == "FORBIDDEN", error
        assert "action" not in error["extensions"] or caller.org_path == YUANLING, error  # not the role check
    assert await count(database, "credit_listing") == 0
    assert await count(database, "market_entity") == 3
    status = await city.data("query($u: String!) { entity(uscc: $u) { status } }", {"u": target})
    assert status["entity"]["status"] == "EXISTING"


@pytest.mark.parametrize(
    "caller", [officer(FUTIAN, roles=DECIDERS), machine("adapter", "entities:write", org_path=FUTIAN)]
)
async def test_writes_inside_the_jurisdiction_go_through(city: Subgraph, database: Database, caller: Principal) -> None:
    insider = city.as_(caller)
    await insider.data(ADD, {"u": USCC["huaqiangbei"]})
    new = application(uscc=another_uscc(200), premises=PLACES["huaqiangbei"])
    registered: dict[str, Any] = (await insider.data(REGISTER, {"input": new}))["registerEntity"]
    assert registered["entity"]["stationCode"] == "440304009"
    assert await count(database, "credit_listing") == 1


async def test_a_forged_identity_header_gets_nothing(city: Subgraph) -> None:
    forged = {FORWARDED_IDENTITY_HEADER: '{"sub": "x", "org_path": "440300", "scope": "pii:read"}'}
    response = await city.client.post("/graphql", json={"query": PAGE, "variables": {"first": 5}}, headers=forged)
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"

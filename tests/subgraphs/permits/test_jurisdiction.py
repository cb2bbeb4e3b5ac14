"""Jurisdiction in the permits subgraph: permits and applications are seen where their premises are (the district
and station recorded on each row), in every query and in ``_entities``; writes elsewhere are FORBIDDEN."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import text

from kernel.db import Database
from kernel.migrations import upgrade
from kernel.orgtree import CITY_WIDE
from kernel.principal import Principal
from subgraphs.permits.component import component
from tests.subgraphs.permits.conftest import Subgraph, uscc
from tests.subgraphs.permits.operations import ACCEPT, RECORD, SUBMIT, catering, legacy_permit
from tests.support.identities import CITY, FUTIAN, HUAQIANGBEI, NANSHAN, YUANLING, machine, officer
from tests.support.paging import every_node

PLACES: dict[str, dict[str, Any]] = {
    "huaqiangbei": {
        "serial": 1,
        "premisesAddress": "广东省深圳市福田区华强北街道振兴路1号",
        "premisesRegion": "440304",
    },
    "yuanling": {"serial": 2, "premisesAddress": "广东省深圳市福田区园岭街道红荔路1号", "premisesRegion": "440304"},
    "shekou": {
        "serial": 3,
        "number": "JY24403050000037",
        "premisesAddress": "广东省深圳市南山区蛇口街道工业八路2号",
        "premisesRegion": "440305",
        "holderUscc": uscc(1),  # the 华强北 holder also trades in 南山
    },
}
PAGE = """
query($first: Int!, $after: String) {
  permits(first: $first, after: $after) { edges { node { number } } pageInfo { hasNextPage endCursor } }
}"""
LOOKUPS = "query($id: ID!, $n: String!) { permit(id: $id) { number } permitByNumber(number: $n) { number } }"
REFERENCES = """
query($r: [_Any!]!) {
  _entities(representations: $r) { ... on Permit { number } ... on MarketEntity { permits { number } } }
}"""
APPLICATIONS = "{ permitApplications(first: 20) { edges { node { id premisesRegion } } } }"
APPLICATION = "query($id: ID!) { permitApplication(id: $id) { id } }"
CHANGE = 'mutation($id: ID!) { changePermitStatus(id: $id, status: SUSPENDED, reason: "整改") { permit { status } } }'


class World:
    """Three recorded permits and two submitted applications, by place."""

    def __init__(self) -> None:
        self.permits: dict[str, dict[str, Any]] = {}
        self.applications: dict[str, str] = {}


@pytest.fixture
async def world(subgraph: Subgraph) -> World:
    subgraph.clock.on(dt.date(2025, 9, 26))
    world = World()
    for place, changes in PLACES.items():
        permit = (await subgraph.data(RECORD, input=legacy_permit(**changes)))["recordPermit"]["permit"]
        world.permits[place] = permit
    for place, serial in (("huaqiangbei", 11), ("shekou", 12)):
        where = {k: v for k, v in PLACES[place].items() if k.startswith("premises")}
        application = (await subgraph.data(SUBMIT, input=catering(serial, **where)))["submitPermitApplication"][
            "application"
        ]
        world.applications[place] = application["id"]
    return world


async def numbers(subgraph: Subgraph, first: int) -> list[str]:
    """Every permit number the caller sees, page by page."""
    nodes = await every_node(lambda after: subgraph.data(PAGE, first=first, after=after), "permits")
    return [node["number"] for node in nodes]


@pytest.mark.parametrize(
    ("caller", "places"),
    [
        (officer(CITY), {"huaqiangbei", "yuanling", "shekou"}),
        (officer(FUTIAN), {"huaqiangbei", "yuanling"}),
        (officer(HUAQIANGBEI), {"huaqiangbei"}),
        (officer(YUANLING), {"yuanling"}),
        (officer(NANSHAN), {"shekou"}),
        (machine("adapter", "permits:read", org_path=FUTIAN), {"huaqiangbei", "yuanling"}),
        (machine("adapter", "permits:read", CITY_WIDE), {"huaqiangbei", "yuanling", "shekou"}),
        (machine("adapter", "permits:read"), set()),
        (machine("adapter", "entities:write", CITY_WIDE), set()),
        (officer("440300/440304/44030400"), set()),
    ],
)
async def test_each_caller_sees_the_permits_and_applications_of_its_jurisdiction(
    subgraph: Subgraph, world: World, caller: Principal, places: set[str]
) -> None:
    view = subgraph.as_(caller)
    expected = sorted(world.permits[place]["number"] for place in places)
    assert await numbers(view, first=1) == expected
    for place, permit in world.permits.items():
        found = await view.data(LOOKUPS, id=permit["id"], n=permit["number"])
        mine = {"number": permit["number"]} if place in places else None
        assert found == {"permit": mine, "permitByNumber": mine}
    representations = [{"__typename": "Permit", "number": p["number"]} for p in world.permits.values()]
    representations += [{"__typename": "Permit", "id": p["id"]} for p in world.permits.values()]
    representations.append({"__typename": "MarketEntity", "uscc": uscc(1)})
    resolved = (await view.data(REFERENCES, r=representations))["_entities"]
    seen = [{"number": permit["number"]} if place in places else None for place, permit in world.permits.items()]
    assert resolved[:6] == seen + seen
    held = sorted(world.permits[place]["number"] for place in ("huaqiangbei", "shekou") if place in places)
    assert resolved[6] == {"permits": [{"number": number} for number in held]}
    listed = {edge["node"]["id"] for edge in (await view.data(APPLICATIONS))["permitApplications"]["edges"]}
    assert listed == {world.applications[place] for place in world.applications if place in places}
    for place, application_id in world.applications.items():
        one = (await view.data(APPLICATION, id=application_id))["permitApplication"]
        assert one == ({"id": application_id} if place in places else None)


@pytest.mark.parametrize(
    "caller",
    [officer(YUANLING), officer(NANSHAN), machine("adapter", "permits:read", CITY_WIDE)],
)
async def test_acting_outside_the_jurisdiction_is_forbidden_and_changes_nothing(
    subgraph: Subgraph, world: World, caller: Principal
) -> None:
    outsider = subgraph.as_(caller)
    accepted = await outsider.error(ACCEPT, id=world.applications["huaqiangbei"])
    suspended = await outsider.error(CHANGE, id=world.permits["huaqiangbei"]["id"])
    where = {k: v for k, v in PLACES["huaqiangbei"].items() if k.startswith("premises")}
    submitted = await outsider.error(SUBMIT, input=catering(21, **where))
    recorded = await outsider.error(RECORD, input=legacy_permit(serial=22))
    assert {e.extensions["code"] for e in (accepted, suspended, submitted, recorded)} == {"FORBIDDEN"}
    check = await subgraph.data(
        "query($a: ID!, $p: ID!) { permitApplication(id: $a) { state } permit(id: $p) { status } }",
        a=world.applications["huaqiangbei"],
        p=world.permits["huaqiangbei"]["id"],
    )
    assert check == {"permitApplication": {"state": "SUBMITTED"}, "permit": {"status": "VALID"}}
    assert await subgraph.count("permit") == 3
    assert await subgraph.count("permit_application") == 2


async def test_the_station_acts_on_its_own_premises(subgraph: Subgraph, world: World) -> None:
    station = subgraph.as_(officer(HUAQIANGBEI, subject="hqb-officer"))
    accepted = (await station.data(ACCEPT, id=world.applications["huaqiangbei"]))["acceptApplication"]["application"]
    assert accepted["state"] == "ACCEPTED" and accepted["transitions"][-1]["actor"] == "hqb-officer"
    head = subgraph.as_(officer(FUTIAN, subject="futian-head", roles=("agency_head",)))  # a district decision
    suspended = (await head.data(CHANGE, id=world.permits["huaqiangbei"]["id"]))["changePermitStatus"]["permit"]
    assert suspended == {"status": "SUSPENDED"}


async def test_existing_rows_get_their_district_and_station_on_upgrade(database_url: str) -> None:
    database = Database.from_url(database_url, [component.name])
    prefix = "" if database.is_sqlite else "permits."
    try:
        await upgrade(database, [component.migrations], "permits_0002")
        async with database.transaction() as session:
            for number, address, region in (
                ("JY24403040000017", "广东省深圳市福田区园岭街道红荔路1号", "440304"),
                ("JY24403050000027", "广东省深圳市南山区某路2号", "440305"),
                ("JY24403070000037", "广东省深圳市某路3号", "440307"),  # 龙岗's own code, not 大鹏's
                ("JY24499990000047", "外地某路4号", "449999"),
            ):
                await session.execute(
                    text(
                        f"INSERT INTO {prefix}permit (id, kind, number, holder_uscc, holder_name, items, "
                        "premises_address, premises_region, issuing_org, valid_from, valid_to, validity_rule, status, "
                        "renewals, issued_at, updated_at) VALUES (:id, 'JY', :number, :holder, '测试', '[]', :address, "
                        ":region, '福田监管局', '2021-03-01', '2026-02-28', 'v', 'VALID', 0, :at, :at)"
                    ),
                    {
                        "id": number,
                        "number": number,
                        "holder": uscc(1),
                        "address": address,
                        "region": region,
                        "at": dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
                    },
                )
        await upgrade(database, [component.migrations])
        async with database.transaction() as session:
            rows = await session.execute(
                text(f"SELECT number, district_code, station_code FROM {prefix}permit ORDER BY number")
            )
            placed = [tuple(row) for row in rows]
    finally:
        await database.dispose()
    assert placed == [
        ("JY24403040000017", "440304", "440304002"),
        ("JY24403050000027", "440305", None),
        ("JY24403070000037", "440307", None),
        ("JY24499990000047", None, None),  # no unit claims it: only the city sees it
    ]

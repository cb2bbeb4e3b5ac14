"""Permits through GraphQL: recording legacy permits, look-ups by id and number, keyset pages, batched _entities."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.subgraphs.permits.conftest import Subgraph, uscc
from tests.subgraphs.permits.operations import PERMIT, RECORD, legacy_permit
from tests.support.statements import statements

ENTITIES = """
query($representations: [_Any!]!) {
  _entities(representations: $representations) {
    __typename
    ... on Permit { id number holder { uscc } }
    ... on MarketEntity { uscc permits { number kind } }
  }
}
"""
PAGE = """
query($filter: PermitFilter, $first: Int!, $after: String) {
  permits(filter: $filter, first: $first, after: $after) {
    edges { cursor node { number } } pageInfo { hasNextPage endCursor }
  }
}
"""
CHECK = """
query($kind: PermitKind!, $number: String!) {
  checkPermitNumber(kind: $kind, number: $number) { number regionCode sequence checkDigit businessForm warnings }
}
"""


async def record(subgraph: Subgraph, **changes: Any) -> dict[str, Any]:
    permit: dict[str, Any] = (await subgraph.data(RECORD, input=legacy_permit(**changes)))["recordPermit"]["permit"]
    return permit


async def test_a_legacy_permit_is_recorded_and_found_by_id_and_by_number(subgraph: Subgraph) -> None:
    subgraph.clock.on(dt.date(2025, 9, 26))
    permit = await record(subgraph, number="jy24403040000017")
    assert (permit["number"], permit["businessForm"], permit["status"]) == ("JY24403040000017", 2, "VALID")
    by_id = await subgraph.data(f"query($id: ID!) {{ permit(id: $id) {{ {PERMIT} }} }}", id=permit["id"])
    assert by_id["permit"] == permit
    by_number = await subgraph.data(
        "query($n: String!) { permitByNumber(number: $n) { id renewalWindow { opensOn dueBy expiresOn } } }",
        n=" JY24403040000017 ",
    )
    assert by_number["permitByNumber"]["id"] == permit["id"]
    assert by_number["permitByNumber"]["renewalWindow"]["expiresOn"] == "2026-02-28"
    missing = await subgraph.data('{ permit(id: "nope") { id } permitByNumber(number: "JY00") { id } }')
    assert missing == {"permit": None, "permitByNumber": None}


async def test_invalid_legacy_permits_are_refused_precisely_and_write_nothing(subgraph: Subgraph) -> None:
    subgraph.clock.on(dt.date(2025, 9, 26))
    cases: list[tuple[dict[str, Any], str, str | None]] = [
        ({"number": "JY2440304000017"}, "INVALID_PERMIT_NUMBER", "LENGTH"),
        ({"number": "JX24403040000017"}, "INVALID_PERMIT_NUMBER", "PREFIX"),
        ({"number": "JY54403040000017"}, "INVALID_PERMIT_NUMBER", "BUSINESS_FORM"),
        ({"kind": "SC", "number": "SC13344030400017", "items": ["106@SC-2015"]}, "INVALID_PERMIT_NUMBER", "CATEGORY"),
        ({"holderUscc": "91440300MA5F00001"}, "INVALID_USCC", None),
        ({"validTo": "2026-03-02"}, "INVALID_VALIDITY_PERIOD", None),
        ({"validFrom": "2020-01-01", "validTo": "2024-12-31"}, "INVALID_PERMIT_STATUS", None),
        ({"businessForm": 1}, "INVALID_BUSINESS_FORM", None),
        ({"items": ["SEMI_FINISHED@JY-2015"]}, "INVALID_ITEM_CODE", None),
        ({"premisesRegion": "福田"}, "INVALID_REGION_CODE", None),
        ({"validFrom": "2021-02-30"}, "INVALID_DATE", None),
        ({"validFrom": "2014-06-01", "validTo": "2019-05-31", "status": "EXPIRED"}, "INVALID_VALIDITY_PERIOD", None),
    ]
    for changes, code, reason in cases:
        error = await subgraph.error(RECORD, input=legacy_permit(**changes))
        assert error.extensions["code"] == code, (changes, error)
        if reason:
            assert error.extensions["reason"] == reason
    assert await subgraph.count("permit") == 0
    await record(subgraph)
    duplicate = await subgraph.error(RECORD, input=legacy_permit(holderUscc=uscc(2)))
    assert duplicate.extensions["code"] == "CONFLICT"
    assert await subgraph.count("permit") == 1


async def test_an_expired_permit_may_be_recorded_as_expired(subgraph: Subgraph) -> None:
    subgraph.clock.on(dt.date(2025, 9, 26))
    permit = await record(subgraph, validFrom="2019-06-01", validTo="2024-05-31", status="EXPIRED")
    assert permit["status"] == "EXPIRED"


async def test_number_checks_report_parts_and_warnings(subgraph: Subgraph) -> None:
    ok = await subgraph.data(CHECK, kind="JY", number="JY21101050000123")
    assert ok["checkPermitNumber"]["regionCode"] == "110105"
    assert "not a Guangdong" in ok["checkPermitNumber"]["warnings"][0]
    bad = await subgraph.error(CHECK, kind="SC", number="SC30644030600015")
    assert bad.extensions == {
        "code": "INVALID_PERMIT_NUMBER",
        "kind": "SC",
        "number": "SC30644030600015",
        "reason": "CATEGORY_GROUP",
    }


async def test_permits_come_in_number_order_pages_with_filters(subgraph: Subgraph) -> None:
    subgraph.clock.on(dt.date(2025, 9, 26))
    for serial in (5, 3, 1, 4, 2):
        await record(subgraph, serial=serial)
    await record(subgraph, serial=6, number="JY24403050000067", premisesRegion="440305")
    first = (await subgraph.data(PAGE, first=2))["permits"]
    assert [edge["node"]["number"] for edge in first["edges"]] == ["JY24403040000017", "JY24403040000027"]
    assert first["pageInfo"]["hasNextPage"] is True
    rest = (await subgraph.data(PAGE, first=10, after=first["pageInfo"]["endCursor"]))["permits"]
    assert [edge["node"]["number"][-3:] for edge in rest["edges"]] == ["037", "047", "057", "067"]
    assert rest["pageInfo"]["hasNextPage"] is False
    futian = (await subgraph.data(PAGE, first=10, filter={"premisesRegion": "440305"}))["permits"]
    assert [edge["node"]["number"] for edge in futian["edges"]] == ["JY24403050000067"]
    mine = (await subgraph.data(PAGE, first=10, filter={"holderUscc": uscc(3).lower(), "status": "VALID"}))["permits"]
    assert [edge["node"]["number"] for edge in mine["edges"]] == ["JY24403040000037"]
    too_many = await subgraph.error(PAGE, first=101)
    assert too_many.extensions["code"] == "INVALID_PAGE_SIZE"
    forged = await subgraph.error(PAGE, first=1, after="bm90LWEtY3Vyc29y")
    assert forged.extensions["code"] == "INVALID_CURSOR"


async def test_entities_resolve_by_id_and_by_number_in_one_batch_each(subgraph: Subgraph) -> None:
    subgraph.clock.on(dt.date(2025, 9, 26))
    permits = [await record(subgraph, serial=serial) for serial in (1, 2, 3)]
    representations = [
        {"__typename": "Permit", "id": permits[0]["id"]},
        {"__typename": "Permit", "number": permits[1]["number"]},
        {"__typename": "Permit", "id": permits[2]["id"]},
        {"__typename": "Permit", "number": permits[2]["number"]},
        {"__typename": "Permit", "number": "JY29999999999999"},
        {"__typename": "MarketEntity", "uscc": uscc(2)},
        {"__typename": "MarketEntity", "uscc": uscc(9)},
    ]
    with statements(subgraph.database, selects_only=True) as selects:
        result = (await subgraph.data(ENTITIES, representations=representations))["_entities"]
    assert [entity and (entity.get("number") or entity.get("uscc")) for entity in result] == [
        permits[0]["number"],
        permits[1]["number"],
        permits[2]["number"],
        permits[2]["number"],
        None,
        uscc(2),
        uscc(9),
    ]
    assert result[0]["holder"] == {"uscc": uscc(1)}
    assert result[5]["permits"] == [{"number": permits[1]["number"], "kind": "JY"}]
    assert result[6]["permits"] == []
    assert len(selects) == 3, selects  # one per loader: by id, by number, by holder


async def test_sibling_root_fields_share_the_request_session_safely(subgraph: Subgraph) -> None:
    subgraph.clock.on(dt.date(2025, 9, 26))
    permit = await record(subgraph)
    query = """
    query($id: ID!, $n: String!, $r: [_Any!]!) {
      permit(id: $id) { number }
      permitByNumber(number: $n) { id }
      permits(first: 5) { edges { node { number } } }
      permitApplication(id: $id) { id }
      _entities(representations: $r) { ... on MarketEntity { permits { id } } }
    }
    """
    owner = [{"__typename": "MarketEntity", "uscc": uscc(1)}]
    data = await subgraph.data(query, id=permit["id"], n=permit["number"], r=owner)
    assert data["permit"] == {"number": permit["number"]}
    assert data["permitByNumber"] == {"id": permit["id"]}
    assert data["permits"]["edges"] == [{"node": {"number": permit["number"]}}]
    assert data["permitApplication"] is None
    assert data["_entities"] == [{"permits": [{"id": permit["id"]}]}]


async def test_sc_categories_are_the_catalogue_s(subgraph: Subgraph) -> None:
    """食品生产许可分类目录: categories 01–31 (其他食品 last) and additives 01–03; 32 is none of them."""
    subgraph.clock.on(dt.date(2025, 9, 26))
    assert (await subgraph.data(CHECK, kind="SC", number="SC13144030600015"))["checkPermitNumber"]["sequence"] == "0001"
    refused = await subgraph.error(CHECK, kind="SC", number="SC13244030600015")
    assert refused.extensions["reason"] == "CATEGORY" and "SC-2015" in refused.message

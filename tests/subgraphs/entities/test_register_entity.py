"""registerEntity end to end over HTTP: validation codes, nothing written on error, and the 登管联动 credit holds."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kernel.db import Database
from subgraphs.entities.credit_lists import serious_listing
from subgraphs.entities.models import MarketEntityRow, PersonRestrictionRow
from subgraphs.entities.vocabulary import RestrictionKind, SeriousReason
from tests.subgraphs.entities.harness import REGISTER, Subgraph, another_uscc, application, count, id_number
from tests.support.clock import DEFAULT_NOW


async def test_registration_derives_station_from_premises_and_masks_personal_data(subgraph: Subgraph) -> None:
    result = (await subgraph.data(REGISTER, {"input": application()}))["registerEntity"]
    assert result["outcome"] == "REGISTERED" and result["warnings"] == [] and result["holdReasons"] == []
    entity = result["entity"]
    assert (
        entity["stationCode"] == "440304009" and entity["districtCode"] == "440304"
    )  # 华强北, not the domicile's 园岭
    assert entity["station"]["path"] == entity["supervisingOrg"]["path"] == "440300/440304/440304009"
    assert entity["legalRepresentative"] == {"name": "张伟", "idNumber": "4403**********1233", "phone": "138****5678"}
    assert (entity["registrationAuthorityCode"], entity["categoryCode"], entity["registrationRegionCode"]) == (
        "9",
        "1",
        "440300",
    )
    again = await subgraph.data('{ entity(uscc: "91440300ma5h7k2p12") { name status creditFlags } }')
    assert again["entity"] == {"name": "深圳市华强食品有限公司", "status": "EXISTING", "creditFlags": []}


async def test_gb11714_mismatch_registers_with_a_warning(subgraph: Subgraph) -> None:
    result = (await subgraph.data(REGISTER, {"input": application(uscc="91440300MA5H7K2M10")}))["registerEntity"]
    assert result["outcome"] == "REGISTERED"
    assert len(result["warnings"]) == 1 and "GB 11714" in result["warnings"][0]


async def test_individual_business_in_shenshan_is_supervised_by_the_bureau(subgraph: Subgraph) -> None:
    overrides = {
        "uscc": another_uscc(5, category="2"),
        "entityType": "INDIVIDUAL_BUSINESS",
        "premises": "深汕特别合作区鹅埠镇创业路1号",
        "districtCode": "SSTHQ",
    }
    entity = (await subgraph.data(REGISTER, {"input": application(**overrides)}))["registerEntity"]["entity"]
    assert (entity["districtCode"], entity["stationCode"], entity["station"]) == ("SSTHQ", None, None)
    assert entity["supervisingOrg"]["path"] == "440300/SSTHQ"


@pytest.mark.parametrize(
    "premises",
    ["广东省汕尾市海丰县梅陇镇建设路1号", "广东省汕尾市海丰县海城镇人民路2号"],
)
async def test_shenshan_is_its_four_towns_a_premises_elsewhere_is_refused(
    subgraph: Subgraph, database: Database, premises: str
) -> None:
    """深汕特别合作区 is 鹅埠、小漠、鲘门、赤石 of 海丰县, not the whole county (issue 8 item 8)."""
    overrides = {"uscc": another_uscc(6, category="2"), "entityType": "INDIVIDUAL_BUSINESS"}
    error = await subgraph.error(REGISTER, {"input": application(**overrides, premises=premises, districtCode="SSTHQ")})
    assert error["extensions"]["code"] == "PREMISES_NOT_IN_DISTRICT"
    assert "鹅埠镇" in error["message"]
    assert await count(database, "market_entity") == 0


def _bad(field: str, value: Any) -> dict[str, Any]:
    return application(**{field: value})


@pytest.mark.parametrize(
    ("variables", "code", "fragment"),
    [
        (_bad("uscc", "91440300MA5H7K2P13"), "INVALID_USCC", "check character expected 2 but found 3"),
        (_bad("uscc", "91440300ＭA5H7K2P12"), "INVALID_USCC", "illegal character 'Ｍ' at position 9"),
        (_bad("uscc", "9144030MA5H7K2P12"), "INVALID_USCC", "18 characters"),
        (_bad("uscc", "94440300MA5H7K2P12"), "INVALID_USCC", "authority/category pair 94"),
        (_bad("entityType", "INDIVIDUAL_BUSINESS"), "ENTITY_TYPE_MISMATCH", "needs 92"),
        (_bad("districtCode", "440399"), "UNKNOWN_DISTRICT", "unknown district '440399'"),
        (_bad("stationCode", "440304099"), "UNKNOWN_STATION", "unknown station '440304099'"),
        (_bad("premises", "深圳市福田区振华路8号"), "UNKNOWN_STATION", "name its 街道"),
        (_bad("districtCode", "440305"), "STATION_NOT_IN_DISTRICT", "belongs to 福田区, not 南山区"),
        (_bad("establishedOn", "2024-02-30"), "INVALID_DATE", "not a real calendar date"),
        (_bad("establishedOn", "2024/03/01"), "INVALID_DATE", "YYYY-MM-DD"),
        (_bad("establishedOn", "2999-01-01"), "DATE_IN_FUTURE", "in the future"),
        (_bad("legalRepresentative", {"name": "张伟", "idNumber": "440304199001011234", "phone": "13812345678"}),
         "INVALID_ID_NUMBER", "expected 3 but found 4"),
        (_bad("legalRepresentative", {"name": "张伟", "idNumber": id_number(), "phone": "138"}),
         "INVALID_PHONE", "not a mobile"),
        (_bad("name", "   "), "INVALID_NAME", "must not be empty"),
        (_bad("legacyRegNo", "4403"), "INVALID_LEGACY_REG_NO", "15 digits"),
    ],
)  # fmt: skip
async def test_bad_input_names_the_problem_and_writes_nothing(
    subgraph: Subgraph, database: Database, variables: dict[str, Any], code: str, fragment: str
) -> None:
    error = await subgraph.error(REGISTER, {"input": variables})
    assert error["extensions"]["code"] == code
    assert fragment in error["message"]
    assert await count(database, "market_entity") == 0


async def test_duplicate_registration_is_a_conflict(subgraph: Subgraph, database: Database) -> None:
    await subgraph.data(REGISTER, {"input": application()})
    error = await subgraph.error(REGISTER, {"input": application(name="另一家公司")})
    assert error["extensions"]["code"] == "DUPLICATE_USCC"
    assert await count(database, "market_entity") == 1


async def test_one_failing_mutation_rolls_back_the_whole_operation(subgraph: Subgraph, database: Database) -> None:
    two = """
    mutation($a: RegisterEntityInput!, $b: RegisterEntityInput!) {
      first: registerEntity(input: $a) { outcome }
      second: registerEntity(input: $b) { outcome }
    }"""
    body = await subgraph.post(two, {"a": application(), "b": application(uscc=another_uscc(1), districtCode="440399")})
    assert [e["extensions"]["code"] for e in body["errors"]] == ["UNKNOWN_DISTRICT"]
    assert await count(database, "market_entity") == 0


async def _represented_serious_entity(database: Database, rep_id: str) -> str:
    """An entity represented by ``rep_id`` and on the serious list since last year."""
    uscc = another_uscc(2)
    listed_on = DEFAULT_NOW.date() - dt.timedelta(days=365)
    async with database.transaction() as session:
        session.add(
            MarketEntityRow(
                uscc=uscc, name="深圳市失信餐饮有限公司", entity_type="COMPANY", status="EXISTING",
                established_on=dt.date(2019, 1, 1), legal_rep_name="张伟", legal_rep_id_number=rep_id,
                legal_rep_phone="13800000000", domicile="深圳市福田区", premises="深圳市福田区南园街道1号",
                district_code="440304", station_code="440304001", business_scope="餐饮服务", held_for_review=False,
            )
        )  # fmt: skip
        session.add(serious_listing(uscc, SeriousReason.HEAVIER_PENALTY, listed_on, "440304"))
    return uscc


async def test_credit_hits_hold_the_registration_with_every_reason(subgraph: Subgraph, database: Database) -> None:
    rep = id_number()
    serious = await _represented_serious_entity(database, rep)
    today = DEFAULT_NOW.date()
    async with database.transaction() as session:
        session.add_all(
            [
                PersonRestrictionRow(person_id_number=rep, kind=RestrictionKind.FOOD_PERMIT_REVOKED,
                                     source_uscc=serious, decided_on=today - dt.timedelta(days=400)),
                PersonRestrictionRow(person_id_number=rep, kind=RestrictionKind.REVOKED_ENTITY_REPRESENTATIVE,
                                     source_uscc=serious, decided_on=today - dt.timedelta(days=200)),
                # expired: a 5-year ban decided six years ago no longer counts
                PersonRestrictionRow(person_id_number=rep, kind=RestrictionKind.FOOD_PERMIT_REVOKED,
                                     source_uscc=serious, decided_on=today - dt.timedelta(days=6 * 366)),
            ]
        )  # fmt: skip
    result = (await subgraph.data(REGISTER, {"input": application()}))["registerEntity"]
    assert result["outcome"] == "HELD_FOR_REVIEW"
    assert [hold["reason"] for hold in result["holdReasons"]] == [
        "LEGAL_REP_OF_SERIOUS_LIST_ENTITY",
        "LEGAL_REP_FOOD_PERMIT_BAN",
        "LEGAL_REP_REVOKED_ENTITY_BAN",
    ]
    assert serious in result["holdReasons"][0]["detail"]
    assert "食品安全法" in result["holdReasons"][1]["detail"]
    assert result["entity"]["heldForReview"] and result["entity"]["creditFlags"] == ["REGISTRATION_HELD"]
    stored = await subgraph.data('{ entity(uscc: "91440300MA5H7K2P12") { holdReasons { reason } } }')
    assert len(stored["entity"]["holdReasons"]) == 3
    queue = await subgraph.data("{ entities(first: 10, filter: {heldForReview: true}) { edges { node { uscc } } } }")
    assert [edge["node"]["uscc"] for edge in queue["entities"]["edges"]] == ["91440300MA5H7K2P12"]


async def test_entity_already_on_the_serious_list_is_held(subgraph: Subgraph, database: Database) -> None:
    async with database.transaction() as session:  # imported from the national list before it moved in
        session.add(serious_listing("91440300MA5H7K2P12", SeriousReason.HEAVIER_PENALTY, dt.date(2025, 6, 1), "440304"))
    result = (await subgraph.data(REGISTER, {"input": application()}))["registerEntity"]
    assert result["outcome"] == "HELD_FOR_REVIEW"
    assert [hold["reason"] for hold in result["holdReasons"]] == ["ENTITY_ON_SERIOUS_LIST"]
    assert "ON_SERIOUS_LIST" in result["entity"]["creditFlags"]


async def test_clean_representative_is_registered(subgraph: Subgraph, database: Database) -> None:
    await _represented_serious_entity(database, id_number("11010519491231002"))
    result = (await subgraph.data(REGISTER, {"input": application()}))["registerEntity"]
    assert result["outcome"] == "REGISTERED"

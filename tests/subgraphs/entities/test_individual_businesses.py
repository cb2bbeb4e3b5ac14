"""Individual businesses (个体工商户): marked 经营异常状态 (个体工商户年度报告暂行办法 Art. 13–14), never put on the
enterprises' abnormal list nor escalated to the serious list (企业信息公示暂行条例 Art. 17); the 3-year bar of
市场主体登记管理条例 Art. 12 covers only the legal representatives of companies and non-company enterprise legal
persons.
"""

from __future__ import annotations

import datetime as dt

from kernel.db import Database
from subgraphs.entities.jobs import move_long_abnormal_to_serious
from subgraphs.entities.models import PersonRestrictionRow
from subgraphs.entities.vocabulary import RestrictionKind
from tests.subgraphs.entities.harness import REGISTER, Subgraph, another_uscc, application, id_number
from tests.subgraphs.entities.test_jobs import on
from tests.support.clock import DEFAULT_NOW

INDIVIDUAL = another_uscc(5, category="2")
ADD = """mutation($i: AddToAbnormalListInput!) {
  addToAbnormalList(input: $i) { listing { listType basis active } entity { creditFlags } }
}"""
LISTINGS = """query($u: String!) { entity(uscc: $u) {
  creditFlags abnormalListings { listType reasonCode active } seriousListings { reasonCode }
} }"""


async def registered_individual(subgraph: Subgraph) -> None:
    individual = application(uscc=INDIVIDUAL, name="深圳市福田区张记小吃店", entityType="INDIVIDUAL_BUSINESS")
    await subgraph.data(REGISTER, {"input": {**individual, "establishedOn": "2020-01-01"}})


async def test_an_individual_business_is_marked_abnormal_status_and_never_escalated(
    subgraph: Subgraph, database: Database
) -> None:
    await registered_individual(subgraph)
    added = await subgraph.data(
        ADD, {"i": {"uscc": INDIVIDUAL, "reason": "ANNUAL_REPORT_NOT_FILED", "listedOn": "2022-03-10"}}
    )
    listing = added["addToAbnormalList"]["listing"]
    assert (listing["listType"], listing["active"]) == ("ABNORMAL_STATUS", True)
    assert "个体工商户年度报告暂行办法" in listing["basis"]
    assert added["addToAbnormalList"]["entity"]["creditFlags"] == ["IN_ABNORMAL_STATUS"]

    # Three years and more on: an enterprise would move to the serious list (Art. 17); an individual business not.
    assert await move_long_abnormal_to_serious(database, on(dt.date(2025, 3, 10))) == 0
    entity = (await subgraph.data(LISTINGS, {"u": INDIVIDUAL}))["entity"]
    assert entity["abnormalListings"] == [
        {"listType": "ABNORMAL_STATUS", "reasonCode": "ANNUAL_REPORT_NOT_FILED", "active": True}
    ]
    assert (entity["seriousListings"], entity["creditFlags"]) == ([], ["IN_ABNORMAL_STATUS"])
    held = await subgraph.data("{ entities(first: 5, filter: {onAbnormalList: true}) { edges { node { uscc } } } }")
    assert [edge["node"]["uscc"] for edge in held["entities"]["edges"]] == [INDIVIDUAL]


async def test_the_adhoc_publication_ground_binds_enterprises_only(subgraph: Subgraph) -> None:
    await registered_individual(subgraph)
    error = await subgraph.error(
        ADD, {"i": {"uscc": INDIVIDUAL, "reason": "ADHOC_INFORMATION_NOT_PUBLISHED", "listedOn": "2022-03-10"}}
    )
    assert error["extensions"]["code"] == "GROUND_NOT_APPLICABLE"


async def test_art_12_bars_only_legal_representatives_of_companies_and_enterprise_legal_persons(
    subgraph: Subgraph, database: Database
) -> None:
    representative = id_number()
    async with database.transaction() as session:
        session.add(
            PersonRestrictionRow(
                person_id_number=representative,
                kind=RestrictionKind.REVOKED_ENTITY_REPRESENTATIVE,
                source_uscc=another_uscc(9),
                decided_on=DEFAULT_NOW.date() - dt.timedelta(days=200),
            )
        )
    operator = application(uscc=INDIVIDUAL, name="深圳市福田区张记小吃店", entityType="INDIVIDUAL_BUSINESS")
    individual = (await subgraph.data(REGISTER, {"input": operator}))["registerEntity"]
    assert (individual["outcome"], individual["holdReasons"]) == ("REGISTERED", [])
    partnership = application(uscc=another_uscc(6), name="深圳市合伙餐饮企业（有限合伙）", entityType="PARTNERSHIP")
    assert (await subgraph.data(REGISTER, {"input": partnership}))["registerEntity"]["outcome"] == "REGISTERED"
    company = (await subgraph.data(REGISTER, {"input": application()}))["registerEntity"]
    assert company["outcome"] == "HELD_FOR_REVIEW"
    assert [hold["reason"] for hold in company["holdReasons"]] == ["LEGAL_REP_REVOKED_ENTITY_BAN"]


async def test_art_63_a_missing_annual_report_is_not_listed_before_it_is_due(subgraph: Subgraph) -> None:
    # Established 2024-03-01: the 2024 report is due 1 January – 30 June 2025.
    await subgraph.data(REGISTER, {"input": application()})
    early = {"uscc": "91440300MA5H7K2P12", "reason": "ANNUAL_REPORT_NOT_FILED", "listedOn": "2025-06-30"}
    error = await subgraph.error(ADD, {"i": early})
    assert error["extensions"] == {"code": "ANNUAL_REPORT_NOT_YET_DUE", "dueBy": "2025-06-30"}
    listed = await subgraph.data(ADD, {"i": {**early, "listedOn": "2025-07-01"}})
    assert listed["addToAbnormalList"]["listing"]["listType"] == "ABNORMAL"

"""Key persons beyond the legal representative, each in their own role (市场主体登记管理条例 Art. 9 (4), (7); 实施细则
Art. 7), 双告知 at registration (食品安全法 Art. 35: which permits the scope needs, told to the applicant and pushed
to the permit authority through the outbox), and changes of registered items filed within 30 days (条例 Art. 24)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from kernel.db import Database
from kernel.jobs.tables import events
from tests.subgraphs.entities.harness import Subgraph, another_uscc, application, count, id_number
from tests.support.clock import Clock

REGISTER = """
mutation($input: RegisterEntityInput!) {
  registerEntity(input: $input) {
    outcome
    permitNotices { permit scopeItem basis }
    entity { uscc keyPersons { role name idType idNumber } }
  }
}"""
CHANGES = """
mutation($changes: [RegistryChangeInput!]!) { recordRegistryChanges(changes: $changes) { ref status code } }"""
ENTITY = """
query($u: String!) {
  entity(uscc: $u) {
    keyPersons { role name }
    registryChanges { ref changedOn filedOn dueOn filedLate rule }
  }
}"""
USCC = "91440300MA5H7K2P12"
PEOPLE = [
    {"role": "DIRECTOR", "name": "赵强", "idNumber": id_number("44030419700101123")},
    {"role": "SUPERVISOR", "name": "钱敏", "idNumber": "H12345678", "idType": "HK_MACAO_PERMIT"},
    {"role": "SENIOR_MANAGER", "name": "孙丽", "idNumber": "E12345678", "idType": "FOREIGN_PASSPORT"},
    {"role": "FINANCE_OFFICER", "name": "周杰", "idNumber": id_number("44030419800101123")},
    {"role": "REGISTRATION_LIAISON", "name": "王芳", "idNumber": id_number("44030419950101123")},
]


async def permit_pushes(database: Database) -> list[dict[str, Any]]:
    async with database.transaction() as session:
        rows = await session.execute(
            select(events.c.payload).where(events.c.event_type == "entities.permits_notified").order_by(events.c.id)
        )
    return [row.payload for row in rows]


async def test_art_9_key_persons_are_filed_in_their_roles_and_shown_masked(subgraph: Subgraph) -> None:
    registered = (await subgraph.data(REGISTER, {"input": application(keyPersons=PEOPLE)}))["registerEntity"]
    persons = registered["entity"]["keyPersons"]
    assert [(p["role"], p["name"], p["idType"]) for p in persons] == [
        ("DIRECTOR", "赵强", "RESIDENT_ID"),
        ("SUPERVISOR", "钱敏", "HK_MACAO_PERMIT"),
        ("SENIOR_MANAGER", "孙丽", "FOREIGN_PASSPORT"),
        ("FINANCE_OFFICER", "周杰", "RESIDENT_ID"),
        ("REGISTRATION_LIAISON", "王芳", "RESIDENT_ID"),
    ]
    assert persons[1]["idNumber"] == "H1*****78" and persons[0]["idNumber"].startswith("4403****")


@pytest.mark.parametrize(
    ("entity_type", "category", "person", "code"),
    [
        # 实施细则 Art. 7: directors, supervisors and senior managers are filed by companies only
        ("PARTNERSHIP", "1", PEOPLE[0], "KEY_PERSON_ROLE_NOT_APPLICABLE"),
        ("INDIVIDUAL_BUSINESS", "2", PEOPLE[2], "KEY_PERSON_ROLE_NOT_APPLICABLE"),
        ("COMPANY", "1", {**PEOPLE[0], "idNumber": "440304197001011230"}, "INVALID_ID_NUMBER"),
        ("COMPANY", "1", {**PEOPLE[0], "name": " "}, "INVALID_LEGAL_REPRESENTATIVE"),
    ],
)
async def test_art_9_key_persons_out_of_their_type_or_form_are_refused(
    subgraph: Subgraph, database: Database, entity_type: str, category: str, person: dict[str, str], code: str
) -> None:
    variables = {"input": application(uscc=another_uscc(21, category), entityType=entity_type, keyPersons=[person])}
    error = await subgraph.error(REGISTER, variables)
    assert error["extensions"]["code"] == code
    assert await count(database, "market_entity") == 0


async def test_a_liaison_is_filed_by_every_type(subgraph: Subgraph) -> None:
    variables = {
        "input": application(uscc=another_uscc(22, "2"), entityType="INDIVIDUAL_BUSINESS", keyPersons=[PEOPLE[4]])
    }
    registered = (await subgraph.data(REGISTER, variables))["registerEntity"]
    assert [p["role"] for p in registered["entity"]["keyPersons"]] == ["REGISTRATION_LIAISON"]


async def test_food_safety_law_art_35_dual_notice_tells_the_applicant_and_pushes_to_the_permit_authority(
    subgraph: Subgraph, database: Database
) -> None:
    scope = "食品销售（仅销售预包装食品）；餐饮服务；日用百货销售。"
    registered = (await subgraph.data(REGISTER, {"input": application(businessScope=scope)}))["registerEntity"]
    assert [(n["permit"], n["scopeItem"]) for n in registered["permitNotices"]] == [
        ("PREPACK_FILING", "食品销售（仅销售预包装食品）"),
        ("JY", "餐饮服务"),
    ]
    assert all("Art. 35" in notice["basis"] for notice in registered["permitNotices"])
    [pushed] = await permit_pushes(database)
    assert (pushed["uscc"], pushed["permits"], pushed["district_code"]) == (USCC, ["PREPACK_FILING", "JY"], "440304")
    plain = application(uscc=another_uscc(23), businessScope="日用百货销售；食用农产品销售。")
    assert (await subgraph.data(REGISTER, {"input": plain}))["registerEntity"]["permitNotices"] == []
    assert len(await permit_pushes(database)) == 1


def change(ref: str, filed_on: str, changed_on: str | None, **registration: Any) -> dict[str, Any]:
    return {
        "ref": ref,
        "kind": "CHANGE",
        "uscc": USCC,
        "effectiveOn": filed_on,
        "changedOn": changed_on,
        "registration": application(**registration),
    }


async def test_art_24_a_change_is_filed_within_30_days_or_kept_as_late(subgraph: Subgraph, clock: Clock) -> None:
    clock.on(dt.date(2025, 10, 20))
    await subgraph.data(REGISTER, {"input": application(keyPersons=PEOPLE[:1])})
    changes = [
        # 30 days from 2 Sep 2025 end on 2 Oct, inside the National Day holiday: the filing is due by 9 Oct
        # (民法典 Art. 203, as the rule data says for this period)
        change("C1", "2025-10-09", "2025-09-02", name="深圳市华强食品有限公司（新）", keyPersons=PEOPLE[4:]),
        change("C2", "2025-09-20", "2025-08-15"),  # 30 days from 15 Aug end on Sun 14 Sep, so Mon 15: late
        change("C3", "2025-09-01", "2025-09-02"),  # the change after its filing: refused
        change("C4", "2025-09-25", None),  # no day of change given: recorded, no deadline kept
    ]
    outcomes = (await subgraph.data(CHANGES, {"changes": changes}))["recordRegistryChanges"]
    assert [(o["ref"], o["status"], o["code"]) for o in outcomes] == [
        ("C1", "APPLIED", None),
        ("C2", "APPLIED", None),
        ("C3", "REJECTED", "CHANGE_AFTER_FILING"),
        ("C4", "APPLIED", None),
    ]
    entity = (await subgraph.data(ENTITY, {"u": USCC}))["entity"]
    assert [(c["ref"], c["dueOn"], c["filedLate"]) for c in entity["registryChanges"]] == [
        ("C2", "2025-09-15", True),
        ("C1", "2025-10-09", False),
    ]
    assert entity["registryChanges"][0]["rule"] == "entities.registry_change_due@2022-03-01"
    # C1 sent the key persons anew; C2 and C4 sent none and left them as they were
    assert entity["keyPersons"] == [{"role": "REGISTRATION_LIAISON", "name": "王芳"}]

"""The 3-year bar after a registration revoked as false (市场主体登记管理条例 Art. 40 ¶3; 实施细则 Art. 71 ¶3): the
person directly responsible may not register again for 3 years, so the registration is held with that reason."""

from __future__ import annotations

import datetime as dt

from kernel.db import Database
from subgraphs.entities.models import PersonRestrictionRow
from subgraphs.entities.vocabulary import RestrictionKind
from tests.subgraphs.entities.harness import REGISTER, Subgraph, another_uscc, application, id_number
from tests.support.clock import DEFAULT_NOW


async def test_art_40_a_false_registration_bars_its_responsible_person_for_3_years(
    subgraph: Subgraph, database: Database
) -> None:
    barred, last_day, cleared = id_number(), id_number("44030419850101123"), id_number("44030419800101123")
    today = DEFAULT_NOW.date()
    assert today == dt.date(2025, 9, 26)
    revocations = (
        (barred, today - dt.timedelta(days=400)),
        (last_day, dt.date(2022, 9, 26)),
        (cleared, dt.date(2022, 9, 25)),
    )
    async with database.transaction() as session:
        for person, revoked_on in revocations:
            session.add(
                PersonRestrictionRow(
                    person_id_number=person,
                    kind=RestrictionKind.FALSE_REGISTRATION,
                    source_uscc=another_uscc(9),
                    decided_on=revoked_on,
                )
            )
    held = (await subgraph.data(REGISTER, {"input": application()}))["registerEntity"]
    assert held["outcome"] == "HELD_FOR_REVIEW"
    assert [hold["reason"] for hold in held["holdReasons"]] == ["LEGAL_REP_FALSE_REGISTRATION_BAN"]
    assert "Art. 40" in held["holdReasons"][0]["detail"]
    # 民法典 Art. 201–202: revoked on 26 Sep 2022, the 3 years run from the 27th through 26 Sep 2025, still barred today
    rep = {"name": "王芳", "idNumber": last_day, "phone": "13812345678"}
    on_the_last_day = application(uscc=another_uscc(7), legalRepresentative=rep)
    assert (await subgraph.data(REGISTER, {"input": on_the_last_day}))["registerEntity"]["outcome"] == "HELD_FOR_REVIEW"
    rep = {"name": "李明", "idNumber": cleared, "phone": "13812345678"}
    three_years_on = application(uscc=another_uscc(8), legalRepresentative=rep)  # revoked 2022-09-25: bar ended
    assert (await subgraph.data(REGISTER, {"input": three_years_on}))["registerEntity"]["outcome"] == "REGISTERED"

"""The 3-year bar after a registration revoked as false (实施细则 Art. 71 ¶3; 市场主体登记管理条例 Art. 40 ¶3): the
person directly responsible may not apply for registration again for 3 years from the revocation, counted per 民法典
Art. 201–202, whether named as legal representative or as another key person: the application is refused
(REGISTRATION_BARRED) and nothing is written."""

from __future__ import annotations

import datetime as dt

from kernel.db import Database
from subgraphs.entities.models import PersonRestrictionRow
from subgraphs.entities.vocabulary import RestrictionKind
from tests.subgraphs.entities.harness import REGISTER, Subgraph, another_uscc, application, count, id_number
from tests.support.clock import DEFAULT_NOW


async def bar(database: Database, person: str, revoked_on: dt.date) -> None:
    async with database.transaction() as session:
        session.add(
            PersonRestrictionRow(
                person_id_number=person,
                kind=RestrictionKind.FALSE_REGISTRATION,
                source_uscc=another_uscc(9),
                decided_on=revoked_on,
            )
        )


def rep(number: str) -> dict[str, str]:
    return {"name": "李明", "idNumber": number, "phone": "13812345678"}


async def test_art_71_a_false_registration_bars_its_responsible_person_for_3_years(
    subgraph: Subgraph, database: Database
) -> None:
    today = DEFAULT_NOW.date()
    assert today == dt.date(2025, 9, 26)
    last_day, cleared = id_number("44030419850101123"), id_number("44030419800101123")
    # Revoked on 26 Sep 2022: the 3 years run from the 27th through 26 Sep 2025, today
    await bar(database, last_day, dt.date(2022, 9, 26))
    await bar(database, cleared, dt.date(2022, 9, 25))
    error = await subgraph.error(REGISTER, {"input": application(legalRepresentative=rep(last_day))})
    assert error["extensions"] == {
        "code": "REGISTRATION_BARRED",
        "role": "LEGAL_REPRESENTATIVE",
        "barredUntil": "2025-09-26",
    }
    assert "Art. 71" in error["message"]
    assert await count(database, "market_entity") == 0
    registered = await subgraph.data(REGISTER, {"input": application(legalRepresentative=rep(cleared))})
    assert registered["registerEntity"]["outcome"] == "REGISTERED"


async def test_art_71_the_bar_reaches_every_person_named_not_only_the_legal_representative(
    subgraph: Subgraph, database: Database
) -> None:
    director = id_number("44030419700101123")
    await bar(database, director, dt.date(2024, 8, 22))
    people = [
        {"role": "REGISTRATION_LIAISON", "name": "王芳", "idNumber": id_number("44030419950101123")},
        {"role": "DIRECTOR", "name": "赵强", "idNumber": director},
    ]
    error = await subgraph.error(REGISTER, {"input": application(keyPersons=people)})
    assert error["extensions"] == {"code": "REGISTRATION_BARRED", "role": "DIRECTOR", "barredUntil": "2027-08-22"}
    assert await count(database, "market_entity") == 0
    assert await count(database, "key_person") == 0

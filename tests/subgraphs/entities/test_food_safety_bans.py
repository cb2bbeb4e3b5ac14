"""食品安全法 Art. 135 bans on the legal representative, read live through ``MarketEntity.foodSafetyBans``: a ban
recorded after the registration counts, ¶1 ends 5 years after its decision (民法典 Art. 201–202: through the
corresponding day), ¶2 holds for life; the registration's holds stay what they were on its day."""

from __future__ import annotations

import datetime as dt

from kernel.db import Database
from subgraphs.entities.models import PersonRestrictionRow
from subgraphs.entities.vocabulary import RestrictionKind
from tests.subgraphs.entities.harness import REGISTER, Subgraph, another_uscc, application, id_number
from tests.support.clock import Clock

BANS = """
query($uscc: String!) {
  entity(uscc: $uscc) { holdReasons { reason } foodSafetyBans { kind decidedOn lastDay basis ruleVersion } }
}
"""


async def restrict(database: Database, person: str, kind: RestrictionKind, decided_on: dt.date) -> None:
    async with database.transaction() as session:
        session.add(
            PersonRestrictionRow(person_id_number=person, kind=kind, source_uscc=another_uscc(9), decided_on=decided_on)
        )


async def test_art_135_bans_recorded_after_registration_are_read_live(
    subgraph: Subgraph, database: Database, clock: Clock
) -> None:
    person = id_number()
    registered = (await subgraph.data(REGISTER, {"input": application()}))["registerEntity"]
    assert registered["outcome"] == "REGISTERED"
    uscc = registered["entity"]["uscc"]
    await restrict(database, person, RestrictionKind.FOOD_PERMIT_REVOKED, dt.date(2023, 5, 10))  # ¶1
    await restrict(database, person, RestrictionKind.FOOD_SAFETY_CRIME, dt.date(2019, 1, 15))  # ¶2
    await restrict(database, person, RestrictionKind.REVOKED_ENTITY_REPRESENTATIVE, dt.date(2024, 1, 1))  # not 135
    entity = (await subgraph.data(BANS, {"uscc": uscc}))["entity"]
    assert entity["holdReasons"] == []  # the registration-day snapshot knew of none
    bans = {ban["kind"]: ban for ban in entity["foodSafetyBans"]}
    assert set(bans) == {"FOOD_PERMIT_REVOKED", "FOOD_SAFETY_CRIME"}
    assert (bans["FOOD_PERMIT_REVOKED"]["lastDay"], bans["FOOD_SAFETY_CRIME"]["lastDay"]) == ("2028-05-10", None)
    assert "¶1" in bans["FOOD_PERMIT_REVOKED"]["basis"] and "终身" in bans["FOOD_SAFETY_CRIME"]["basis"]
    assert bans["FOOD_SAFETY_CRIME"]["ruleVersion"] == "entities.food_safety_crime_ban@2015-10-01"

    clock.on(dt.date(2028, 5, 10))  # ¶1's last day: still barred
    assert len((await subgraph.data(BANS, {"uscc": uscc}))["entity"]["foodSafetyBans"]) == 2
    clock.on(dt.date(2028, 5, 11))  # ¶1 over; ¶2 for life
    later = (await subgraph.data(BANS, {"uscc": uscc}))["entity"]["foodSafetyBans"]
    assert [ban["kind"] for ban in later] == ["FOOD_SAFETY_CRIME"]


async def test_art_135_paragraph_2_does_not_hold_a_registration(subgraph: Subgraph, database: Database) -> None:
    """¶2 bars food management work, not being registered as a legal representative."""
    await restrict(database, id_number(), RestrictionKind.FOOD_SAFETY_CRIME, dt.date(2019, 1, 15))
    registered = (await subgraph.data(REGISTER, {"input": application()}))["registerEntity"]
    assert registered["outcome"] == "REGISTERED"


async def test_art_135_bans_of_the_directors_and_senior_managers_count_not_of_other_key_persons(
    subgraph: Subgraph, database: Database
) -> None:
    """¶1–¶3: a banned person may not manage food business (an operator employing one loses its permit): the bans
    of the key persons who run the business count beside the legal representative's; a supervisor's or the
    registration liaison's do not."""
    director, manager, supervisor, liaison = (id_number(f"4403041970010{n}123") for n in range(1, 5))
    people = [
        {"role": "DIRECTOR", "name": "赵强", "idNumber": director},
        {"role": "SENIOR_MANAGER", "name": "孙丽", "idNumber": manager},
        {"role": "SUPERVISOR", "name": "钱敏", "idNumber": supervisor},
        {"role": "REGISTRATION_LIAISON", "name": "王芳", "idNumber": liaison},
    ]
    registered = (await subgraph.data(REGISTER, {"input": application(keyPersons=people)}))["registerEntity"]
    uscc = registered["entity"]["uscc"]
    await restrict(database, director, RestrictionKind.FOOD_PERMIT_REVOKED, dt.date(2024, 3, 1))
    await restrict(database, manager, RestrictionKind.FOOD_SAFETY_CRIME, dt.date(2018, 6, 1))
    await restrict(database, supervisor, RestrictionKind.FOOD_PERMIT_REVOKED, dt.date(2024, 3, 1))
    await restrict(database, liaison, RestrictionKind.FOOD_SAFETY_CRIME, dt.date(2018, 6, 1))
    query = "query($uscc: String!) { entity(uscc: $uscc) { foodSafetyBans { kind person } } }"
    bans = (await subgraph.data(query, {"uscc": uscc}))["entity"]["foodSafetyBans"]
    assert sorted((ban["person"], ban["kind"]) for ban in bans) == [
        ("DIRECTOR", "FOOD_PERMIT_REVOKED"),
        ("SENIOR_MANAGER", "FOOD_SAFETY_CRIME"),
    ]

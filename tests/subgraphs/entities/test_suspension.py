"""suspendEntity / resumeEntity (歇业): 市场主体登记管理条例 Art. 30, 实施细则 Art. 40–42, via GraphQL and the job.

Filed before it starts (Art. 41), at most 3 years in total (条例 Art. 30; 实施细则 Art. 42 累计歇业满3年), ended by the
filed last day (deemed resumed, Art. 42 ¶3) or a recorded resumption (Art. 42 ¶1).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kernel.db import Database
from subgraphs.entities.jobs import start_and_end_suspensions
from tests.subgraphs.entities.harness import REGISTER, Subgraph, application
from tests.subgraphs.entities.test_jobs import on
from tests.support.clock import Clock

SUSPEND = """
mutation($input: SuspendEntityInput!) {
  suspendEntity(input: $input) { entity { uscc status suspendedUntil } }
}"""
RESUME = """
mutation($input: ResumeEntityInput!) { resumeEntity(input: $input) { entity { status suspendedUntil } } }"""
STATE = """query($u: String!) { entity(uscc: $u) {
  status suspendedUntil suspensions { filedOn startsOn until endedOn endReason }
} }"""
USCC = "91440300MA5H7K2P12"
TODAY = "2025-09-26"
"""The test clock's day (DEFAULT_NOW)."""


def suspension(starts_on: str = TODAY, until: str = "2028-09-26", uscc: str = USCC) -> dict[str, Any]:
    return {"input": {"uscc": uscc, "startsOn": starts_on, "until": until}}


async def state(subgraph: Subgraph) -> dict[str, Any]:
    return dict((await subgraph.data(STATE, {"u": USCC}))["entity"])


@pytest.fixture
async def registered(subgraph: Subgraph) -> Subgraph:
    await subgraph.data(REGISTER, {"input": application()})
    return subgraph


async def test_art_30_three_years_to_the_day_is_allowed(registered: Subgraph) -> None:
    entity = (await registered.data(SUSPEND, suspension()))["suspendEntity"]["entity"]
    assert entity == {"uscc": USCC, "status": "SUSPENDED", "suspendedUntil": "2028-09-26"}


@pytest.mark.parametrize(
    ("variables", "code", "fragment"),
    [
        (suspension(until="2028-09-27"), "SUSPENSION_TOO_LONG", "until 2028-09-26 at most"),
        (suspension(until=TODAY), "INVALID_PERIOD", "end after it starts"),
        (suspension(starts_on="2025-09-25", until="2025-12-31"), "SUSPENSION_NOT_FILED_IN_ADVANCE", "Art. 41"),
        (suspension(uscc="91440300MA5H7K2M10"), "NOT_FOUND", "no market entity"),
    ],
)
async def test_art_41_bad_suspensions(
    registered: Subgraph, database: Database, variables: dict[str, Any], code: str, fragment: str
) -> None:
    error = await registered.error(SUSPEND, variables)
    assert error["extensions"]["code"] == code and fragment in error["message"]
    found = await state(registered)
    assert (found["status"], found["suspensions"]) == ("EXISTING", [])


async def test_a_suspended_entity_cannot_suspend_again(registered: Subgraph) -> None:
    await registered.data(SUSPEND, suspension())
    error = await registered.error(SUSPEND, suspension())
    assert error["extensions"]["code"] == "ILLEGAL_TRANSITION"


async def test_art_42_a_filed_suspension_starts_on_its_day_and_ends_after_its_last(
    registered: Subgraph, database: Database
) -> None:
    await registered.data(SUSPEND, suspension(starts_on="2025-10-08", until="2026-03-31"))
    assert (await state(registered))["status"] == "EXISTING"  # filed ahead: not yet suspended
    assert await start_and_end_suspensions(database, on(dt.date(2025, 10, 7))) == 0
    assert await start_and_end_suspensions(database, on(dt.date(2025, 10, 8))) == 1
    assert await start_and_end_suspensions(database, on(dt.date(2025, 10, 8))) == 0
    assert (await state(registered))["status"] == "SUSPENDED"
    assert await start_and_end_suspensions(database, on(dt.date(2026, 3, 31))) == 0  # its last day
    assert await start_and_end_suspensions(database, on(dt.date(2026, 4, 1))) == 1  # deemed resumed
    found = await state(registered)
    assert (found["status"], found["suspendedUntil"]) == ("EXISTING", None)
    assert found["suspensions"] == [
        {
            "filedOn": TODAY,
            "startsOn": "2025-10-08",
            "until": "2026-03-31",
            "endedOn": "2026-03-31",
            "endReason": "PERIOD_ENDED",
        }
    ]


async def test_art_42_the_3_years_count_in_total(registered: Subgraph, database: Database, clock: Clock) -> None:
    await registered.data(SUSPEND, suspension(until="2026-09-25"))  # 365 days
    error = await registered.error(RESUME, {"input": {"uscc": USCC, "resumedOn": "2025-09-27"}})
    assert error["extensions"]["code"] == "DATE_IN_FUTURE"
    await start_and_end_suspensions(database, on(dt.date(2026, 9, 26)))
    assert (await state(registered))["status"] == "EXISTING"
    # A second filing may use what is left of the 3 years: 2029-10-01 − 365 days used.
    clock.on(dt.date(2026, 10, 1))
    second = await registered.error(SUSPEND, suspension(starts_on="2026-10-01", until="2029-01-01"))
    assert second["extensions"] == {"code": "SUSPENSION_TOO_LONG", "latest": "2028-10-01", "daysUsed": 365}
    allowed = await registered.data(SUSPEND, suspension(starts_on="2026-10-01", until="2028-10-01"))
    assert allowed["suspendEntity"]["entity"]["status"] == "SUSPENDED"


async def test_art_42_resuming_early(registered: Subgraph) -> None:
    await registered.data(SUSPEND, suspension(until="2026-09-25"))
    resumed = (await registered.data(RESUME, {"input": {"uscc": USCC, "resumedOn": TODAY}}))["resumeEntity"]
    assert resumed["entity"] == {"status": "EXISTING", "suspendedUntil": None}
    assert (await state(registered))["suspensions"][0]["endReason"] == "WITHDRAWN"
    again = await registered.error(RESUME, {"input": {"uscc": USCC, "resumedOn": TODAY}})
    assert again["extensions"]["code"] == "ILLEGAL_TRANSITION"

"""suspendEntity (歇业): at most 3 years from the start, per the rule data (登记条例 Art. 30)."""

from __future__ import annotations

from typing import Any

import pytest

from kernel.db import Database
from tests.subgraphs.entities.harness import REGISTER, Subgraph, application

SUSPEND = """
mutation($input: SuspendEntityInput!) {
  suspendEntity(input: $input) { entity { uscc status suspendedUntil } }
}"""
USCC = "91440300MA5H7K2P12"


def suspension(starts_on: str = "2025-02-28", until: str = "2028-02-28", uscc: str = USCC) -> dict[str, Any]:
    return {"input": {"uscc": uscc, "startsOn": starts_on, "until": until}}


@pytest.fixture
async def registered(subgraph: Subgraph) -> Subgraph:
    await subgraph.data(REGISTER, {"input": application()})
    return subgraph


async def test_three_years_to_the_day_is_allowed(registered: Subgraph) -> None:
    entity = (await registered.data(SUSPEND, suspension()))["suspendEntity"]["entity"]
    assert entity == {"uscc": USCC, "status": "SUSPENDED", "suspendedUntil": "2028-02-28"}


@pytest.mark.parametrize(
    ("variables", "code", "fragment"),
    [
        (suspension(until="2028-02-29"), "SUSPENSION_TOO_LONG", "until 2028-02-28 at most"),
        (suspension(until="2025-02-28"), "INVALID_PERIOD", "end after it starts"),
        (suspension(starts_on="2999-01-01", until="2999-02-01"), "DATE_IN_FUTURE", "in the future"),
        (suspension(uscc="91440300MA5H7K2M10"), "NOT_FOUND", "no market entity"),
    ],
)
async def test_bad_suspensions(
    registered: Subgraph, database: Database, variables: dict[str, Any], code: str, fragment: str
) -> None:
    error = await registered.error(SUSPEND, variables)
    assert error["extensions"]["code"] == code and fragment in error["message"]
    status = await registered.data("query($u: String!) { entity(uscc: $u) { status } }", {"u": USCC})
    assert status["entity"]["status"] == "EXISTING"


async def test_a_suspended_entity_cannot_suspend_again(registered: Subgraph) -> None:
    await registered.data(SUSPEND, suspension())
    error = await registered.error(SUSPEND, suspension())
    assert error["extensions"]["code"] == "ILLEGAL_TRANSITION"

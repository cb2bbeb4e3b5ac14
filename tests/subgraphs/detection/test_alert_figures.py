"""The dashboard's kitchen-alert figures: alerts counted by state and category in the caller's jurisdiction (and one
district of it), by the subgraph, in one grouped statement."""

from __future__ import annotations

from tests.subgraphs.detection.conftest import INSPECTOR, Subgraph, an_alert
from tests.subgraphs.detection.test_alerts import START
from tests.support.identities import NANSHAN, officer

FIGURES = "query($d: String) { kitchenAlertFigures(districtCode: $d) { state category alerts } }"


async def test_alerts_are_counted_by_state_and_category_in_the_callers_jurisdiction(subgraph: Subgraph) -> None:
    first = await an_alert(subgraph, "NO_HAT", seq=1)
    await an_alert(subgraph, "NO_HAT", seq=2, at_minute=20)
    await an_alert(subgraph, "SMOKING", seq=3, at_minute=40)
    await subgraph.as_(INSPECTOR).data(START, id=first["id"])
    figures = (await subgraph.data(FIGURES))["kitchenAlertFigures"]
    assert figures == [
        {"state": "CANDIDATE", "category": "NO_HAT", "alerts": 1},
        {"state": "CANDIDATE", "category": "SMOKING", "alerts": 1},
        {"state": "IN_REVIEW", "category": "NO_HAT", "alerts": 1},
    ]
    assert (await subgraph.data(FIGURES, d="440305"))["kitchenAlertFigures"] == []  # another district of it
    nanshan = officer(NANSHAN, subject="nanshan.inspector", roles=("inspector",))
    assert (await subgraph.as_(nanshan).data(FIGURES))["kitchenAlertFigures"] == []  # outside its jurisdiction

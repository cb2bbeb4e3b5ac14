"""Every case answered through the gateway equals the monolith reference answer."""

from __future__ import annotations

import pytest

from gateway.execution import Gateway
from tests.gateway.cases import CASES, Case
from tests.gateway.differential.cases import FIXTURE_CASES, FixtureCase
from tests.gateway.differential.check import check
from tests.gateway.differential.fixtures import build_fixture
from tests.gateway.scenarios import FEDERATIONS


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
async def test_gateway_answer_equals_monolith(case: Case) -> None:
    federation = FEDERATIONS[case.federation]()
    gateway = Gateway(federation.supergraph_sdl, federation.transports())
    answer = await gateway.execute(case.query, None, case.variables)
    reference = await FEDERATIONS[case.federation]().reference(case.query, case.variables)
    if case.expect_errors:
        assert answer["errors"] and reference["errors"]
        assert answer["data"] == reference["data"]
        return
    assert "errors" not in answer, answer
    assert answer == reference


@pytest.mark.parametrize("case", FIXTURE_CASES, ids=[c.name for c in FIXTURE_CASES])
async def test_fixture_case_keeps_every_invariant(case: FixtureCase) -> None:
    """Subgraph requests valid, `__typename` an object type, data and error positions as the reference has them."""
    fixture = build_fixture(case.fixture)
    gateway = Gateway(fixture.supergraph_sdl, fixture.transports())
    violations = await check(fixture, gateway, case.query, case.variables)
    assert violations == []

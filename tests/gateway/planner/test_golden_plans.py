"""Golden plans: each case's rendered plan equals the checked-in text.

Regenerate after an intended planner change with `ZHIJIAN_UPDATE_GOLDEN=1 pytest tests/gateway/planner`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from gateway.operation import coerce_variables, condition_values, normalize, prepare_operation
from gateway.planner import build_plan, render_plan
from gateway.query_graph import QueryGraph
from gateway.supergraph import build_api_schema, parse_supergraph
from tests.gateway.cases import CASES, Case
from tests.gateway.differential.cases import FIXTURE_CASES, FixtureCase
from tests.gateway.differential.fixtures import build_fixture
from tests.gateway.scenarios import FEDERATIONS

GOLDEN = Path(__file__).parent / "golden"


def plan_text(supergraph_sdl: str, query: str, raw_variables: dict[str, Any]) -> str:
    """Render the plan of one operation."""
    supergraph = parse_supergraph(supergraph_sdl)
    api = build_api_schema(supergraph)
    prepared = prepare_operation(api, query, None)
    variables = coerce_variables(api, prepared, raw_variables)
    selections = normalize(prepared, condition_values(prepared, variables))
    return render_plan(build_plan(QueryGraph(supergraph), prepared.kind, selections, prepared.variable_types)) + "\n"


def assert_golden(name: str, text: str) -> None:
    """The rendered plan equals `golden/<name>.txt` (rewritten instead with ZHIJIAN_UPDATE_GOLDEN=1)."""
    path = GOLDEN / f"{name}.txt"
    if os.environ.get("ZHIJIAN_UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"missing golden plan {path.name}; run with ZHIJIAN_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_plan_matches_golden(case: Case) -> None:
    assert_golden(case.name, plan_text(FEDERATIONS[case.federation]().supergraph_sdl, case.query, case.variables))


@pytest.mark.parametrize("case", FIXTURE_CASES, ids=[c.name for c in FIXTURE_CASES])
def test_fixture_plan_matches_golden(case: FixtureCase) -> None:
    assert_golden(case.name, plan_text(build_fixture(case.fixture).supergraph_sdl, case.query, case.variables))

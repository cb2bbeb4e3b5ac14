"""`python -m gateway.planner` prints the same plan text the golden tests check."""

from __future__ import annotations

from pathlib import Path

import pytest

from gateway.planner.__main__ import main
from tests.gateway.cases import CASES_BY_NAME
from tests.gateway.planner.test_golden_plans import GOLDEN
from tests.gateway.scenarios import FEDERATIONS


def test_prints_the_plan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case = CASES_BY_NAME["requires_chain"]
    supergraph = tmp_path / "supergraph.graphql"
    supergraph.write_text(FEDERATIONS[case.federation]().supergraph_sdl, encoding="utf-8")
    operation = tmp_path / "operation.graphql"
    operation.write_text(case.query, encoding="utf-8")
    assert main([str(supergraph), str(operation)]) == 0
    assert capsys.readouterr().out == (GOLDEN / "requires_chain.txt").read_text(encoding="utf-8")


def test_reports_operation_errors_with_their_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    supergraph = tmp_path / "supergraph.graphql"
    supergraph.write_text(FEDERATIONS["provides"]().supergraph_sdl, encoding="utf-8")
    operation = tmp_path / "operation.graphql"
    operation.write_text("{ reviews { nope } }", encoding="utf-8")
    assert main([str(supergraph), str(operation)]) == 1
    assert capsys.readouterr().err.startswith("GRAPHQL_VALIDATION_FAILED:")

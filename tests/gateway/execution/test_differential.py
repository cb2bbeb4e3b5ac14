"""Seeded random operations over every fixture: the gateway answers what the merged reference schema answers.

Fixtures: the audit-style federations under `tests/gateway/differential/sdl`, the hand-built scenarios and
`schema/supergraph.graphql` (`tests/gateway/differential/fixtures.py`). Each operation is checked against the
invariants of `tests/gateway/differential/check.py`; a failure prints the operation cut down to a minimal one.
`ZHIJIAN_DIFFERENTIAL_OPERATIONS` sets how many per fixture (the same seed, so a failure reproduces); the
long mode is `python -m benchmarks.gateway_differential`.
"""

from __future__ import annotations

import os

import pytest

from tests.gateway.differential.fixtures import SIDE_EFFECTS, build_fixture, fixture_names
from tests.gateway.differential.runner import explore

OPERATIONS = int(os.environ.get("ZHIJIAN_DIFFERENTIAL_OPERATIONS", "15"))


@pytest.mark.parametrize("name", fixture_names())
async def test_random_operations_match_the_reference(name: str) -> None:
    fixture = build_fixture(name)
    result = await explore(fixture, OPERATIONS, mutations=name.removeprefix("kit_") not in SIDE_EFFECTS, keep=1)
    assert result.operations == OPERATIONS
    if result.findings:
        pytest.fail("\n\n".join(f.report() for f in result.findings), pytrace=False)

"""Draw seeded random operations for one fixture, check each, shrink what fails."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field

from gateway.execution import Gateway
from gateway.settings import DocumentLimits
from tests.gateway.differential.check import Fixture, Violation, check
from tests.gateway.differential.operations import Operation, OperationGenerator
from tests.gateway.differential.shrink import shrink

UNLIMITED = DocumentLimits(
    max_bytes=1 << 24,
    max_tokens=1 << 24,
    max_depth=1 << 10,
    max_aliases=1 << 20,
    max_root_fields=1 << 20,
    max_fields=1 << 24,
    max_fragments=1 << 20,
    max_cost=1 << 40,
    validation_budget_s=600.0,
)
"""The differential's gateway limits: none that a random operation reaches (it compares answers, not defences)."""


@dataclass(frozen=True)
class Finding:
    """A failing operation, cut down, with what it breaks."""

    fixture: str
    index: int
    operation: Operation
    violations: tuple[Violation, ...]

    def report(self) -> str:
        """What a failing test prints: where, the minimised operation, its variables and the violations."""
        lines = [f"{self.fixture} operation #{self.index} (minimised):", self.operation.text()]
        if self.operation.variable_values():
            lines.append(f"variables: {self.operation.variable_values()}")
        lines.extend(f"  {v.kind}: {v.detail}" for v in self.violations)
        return "\n".join(lines)


@dataclass
class Exploration:
    """What one run over a fixture found."""

    fixture: str
    operations: int = 0
    findings: list[Finding] = field(default_factory=list)
    kinds: Counter[str] = field(default_factory=Counter)


async def explore(
    fixture: Fixture, operations: int, seed: str = "zhijian", mutations: bool = True, keep: int = 3
) -> Exploration:
    """Run `operations` random operations; shrink and keep the first `keep` failures."""
    gateway = Gateway(fixture.supergraph_sdl, dict(fixture.transports()), document_limits=UNLIMITED)
    generator = OperationGenerator(
        gateway.api_schema, random.Random(f"{seed}-{fixture.name}"), fixture.argument_values, mutations=mutations
    )
    result = Exploration(fixture.name)
    try:
        for index in range(operations):
            operation = generator.operation()
            result.operations += 1
            violations = await check(fixture, gateway, operation.text(), operation.variable_values())
            if not violations:
                continue
            result.kinds.update({v.kind for v in violations})
            if len(result.findings) >= keep:
                continue
            kind = violations[0].kind

            async def still_fails(candidate: Operation, kind: str = kind) -> bool:
                found = await check(fixture, gateway, candidate.text(), candidate.variable_values())
                return any(v.kind == kind for v in found)

            smallest = await shrink(gateway.api_schema, operation, still_fails)
            if any(f.operation.text() == smallest.text() for f in result.findings):
                continue
            final = await check(fixture, gateway, smallest.text(), smallest.variable_values())
            result.findings.append(Finding(fixture.name, index, smallest, tuple(final)))
    finally:
        await gateway.aclose()
    return result

"""Every federation the differential test runs: audit-style synthetic ones (SDL under `sdl/`), the hand-built
scenarios, and the project's own `schema/supergraph.graphql`.

An `sdl/<fixture>/<subgraph>.graphql` file is one subgraph; Federation 2 files get the standard `@link`
prepended unless they carry their own (a file starting `# fed1` stays Federation 1).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gateway.execution import SubgraphClient
from tests.gateway.differential.synthetic import SyntheticFederation
from tests.gateway.kit import FEDERATION_LINK, Federation
from tests.gateway.scenarios import FEDERATIONS

SDL = Path(__file__).parent / "sdl"
SCHEMA = Path(__file__).resolve().parents[3] / "schema"

FAULTS: dict[str, tuple[str, ...]] = {
    "typename_interface_object": ("Admin.isMain", "Clerk.isMain"),
}
"""Fields that fail on every object of a fixture (besides the world's random faults)."""

KIT_ARGUMENTS: dict[tuple[str, str], list[Any]] = {
    ("Query", "entity"): ["91440300A", "91440300C", "none"],
    ("Query", "permit"): ["JY1", "SC1"],
    ("Query", "entities"): ["440304"],
    ("Product", "price"): ["CNY", "USD"],
}
"""String arguments the hand-built scenarios understand."""


def subgraph_sources(folder: Path) -> list[tuple[str, str]]:
    """(name, SDL) for every `*.graphql` in `folder`, sorted by name."""
    sources = []
    for path in sorted(folder.glob("*.graphql")):
        text = path.read_text(encoding="utf-8")
        if not text.startswith("# fed1") and "@link(" not in text:
            text = FEDERATION_LINK + text
        sources.append((path.stem, text))
    return sources


def synthetic(name: str) -> SyntheticFederation:
    """One `sdl/` fixture over a fresh world."""
    return SyntheticFederation(name, subgraph_sources(SDL / name), faults=FAULTS.get(name, ()))


def project_supergraph() -> SyntheticFederation:
    """The checked-in supergraph with its subgraphs' exported SDL."""
    sources = [(p.stem, p.read_text(encoding="utf-8")) for p in sorted(SCHEMA.glob("*.graphql"))]
    supergraph = next(text for name, text in sources if name == "supergraph")
    return SyntheticFederation(
        "supergraph", [s for s in sources if s[0] != "supergraph"], supergraph_sdl=supergraph
    )


@dataclass
class KitFixture:
    """A hand-built scenario (`tests/gateway/scenarios.py`) seen through the differential `Fixture` protocol."""

    name: str
    federation: Federation
    arguments: Mapping[tuple[str, str], list[Any]] = field(default_factory=lambda: KIT_ARGUMENTS)

    @property
    def supergraph_sdl(self) -> str:
        return self.federation.supergraph_sdl

    def transports(self) -> dict[str, SubgraphClient]:
        return self.federation.transports()

    def rejected(self) -> list[tuple[str, str, str]]:
        return [(n, q, r) for n, app in self.federation.apps.items() for q, r in app.rejected]

    def clear_logs(self) -> None:
        for app in self.federation.apps.values():
            app.requests.clear()
            app.rejected.clear()

    def argument_values(self, type_name: str, field_name: str, argument: str) -> list[Any]:
        return list(self.arguments.get((type_name, field_name), ()))

    async def reference(self, query: str, variables: Mapping[str, Any] | None = None) -> dict[str, Any]:
        return await self.federation.reference(query, variables)


SYNTHETIC = tuple(sorted(p.name for p in SDL.iterdir() if p.is_dir()))
KIT = tuple(sorted(FEDERATIONS))
SIDE_EFFECTS = frozenset({"mutation"})
"""Scenarios whose mutations change their world: fuzzed with queries only."""


def fixture_names() -> list[str]:
    """Every fixture the differential test runs."""
    return sorted([*SYNTHETIC, *(f"kit_{name}" for name in KIT), "supergraph"])


def build_fixture(name: str) -> SyntheticFederation | KitFixture:
    """A fresh fixture (its own world and request logs)."""
    if name == "supergraph":
        return project_supergraph()
    if name.startswith("kit_"):
        return KitFixture(name, FEDERATIONS[name.removeprefix("kit_")]())
    return synthetic(name)

"""Inputs and outputs of `compose`: subgraph sources in, a supergraph SDL (or errors) out."""

from __future__ import annotations

from dataclasses import dataclass

from gateway.composition.errors import CompositionError, CompositionFailed


@dataclass(frozen=True, slots=True)
class SubgraphSource:
    """One subgraph to compose: its name (becomes `join__Graph`), routing URL and exported SDL."""

    name: str
    url: str
    sdl: str


@dataclass(frozen=True, slots=True)
class CompositionHint:
    """A non-fatal observation (Apollo hint codes, e.g. `INCONSISTENT_ENUM_VALUE_FOR_INPUT_ENUM`)."""

    code: str
    message: str


@dataclass(frozen=True, slots=True)
class CompositionResult:
    """The supergraph SDL when `errors` is empty; otherwise `supergraph_sdl` is None."""

    supergraph_sdl: str | None
    errors: tuple[CompositionError, ...] = ()
    hints: tuple[CompositionHint, ...] = ()

    @property
    def ok(self) -> bool:
        """True when the subgraphs composed."""
        return not self.errors and self.supergraph_sdl is not None

    def unwrap(self) -> str:
        """The supergraph SDL, or raise `CompositionFailed` with every error."""
        if self.errors or self.supergraph_sdl is None:
            raise CompositionFailed(self.errors)
        return self.supergraph_sdl

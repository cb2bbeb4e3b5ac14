"""Composition errors: each carries an Apollo-compatible machine `code` and the subgraphs involved."""

from __future__ import annotations

from collections.abc import Sequence

from gateway.errors import GatewayError


class CompositionError(GatewayError):
    """One reason the subgraphs do not compose (codes follow Apollo's `composition-js` error codes)."""

    def __init__(
        self,
        code: str,
        message: str,
        *,
        subgraphs: Sequence[str] = (),
        coordinates: Sequence[str] = (),
    ) -> None:
        super().__init__(message)
        self.code = code
        self.subgraphs: tuple[str, ...] = tuple(subgraphs)
        self.coordinates: tuple[str, ...] = tuple(coordinates)

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"

    def __repr__(self) -> str:
        return f"CompositionError({self.code!r}, {self.message!r})"


class CompositionFailed(GatewayError):
    """Raised by `CompositionResult.unwrap()` when composition produced errors."""

    code = "COMPOSITION_FAILED"

    def __init__(self, errors: Sequence[CompositionError]) -> None:
        self.errors: tuple[CompositionError, ...] = tuple(errors)
        lines = "\n".join(f"  - {error}" for error in self.errors)
        super().__init__(f"composition failed with {len(self.errors)} error(s):\n{lines}")

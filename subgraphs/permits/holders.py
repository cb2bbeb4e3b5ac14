"""The permit holder, referenced by USCC only: checked by the entities validator, never read from its tables."""

from __future__ import annotations

from subgraphs.entities.uscc import parse_uscc


def validate_holder_uscc(uscc: str) -> str:
    """The normalised USCC of a permit holder; ``INVALID_USCC`` says what is wrong (GB 32100-2015)."""
    return parse_uscc(uscc).code

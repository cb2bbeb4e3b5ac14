"""Concurrency as input: the same change sent many times at once, and what came back."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

RACERS = 20
"""Requests sent at once in a race: enough that several overlap on any machine."""


@dataclass(frozen=True, slots=True)
class Race:
    """The answers to one race: the winners' data and the losers' codes."""

    wins: list[dict[str, Any]]
    codes: Counter[str]


async def race(send: Callable[[int], Awaitable[dict[str, Any]]], racers: int = RACERS) -> Race:
    """``send(i)`` for every racer at once; each answer is a GraphQL body with data or exactly one error."""
    bodies = await asyncio.gather(*(send(i) for i in range(racers)))
    wins = [body["data"] for body in bodies if not body.get("errors")]
    codes: Counter[str] = Counter()
    for body in bodies:
        for error in body.get("errors") or ():
            codes[error["extensions"]["code"]] += 1
    return Race(wins, codes)


def exactly_one_won(outcome: Race, *refusals: str) -> None:
    """One racer won; every other was told why with one of ``refusals`` (never an internal error)."""
    assert len(outcome.wins) == 1, outcome
    assert sum(outcome.codes.values()) == RACERS - 1, outcome
    assert set(outcome.codes) <= set(refusals), outcome

"""DataLoader answers from one batched SELECT: a row, or a list of rows, for each key in the order asked."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import TypeVar

K = TypeVar("K", bound=Hashable)
R = TypeVar("R")


def one_per_key(keys: Sequence[K], rows: Iterable[R], key_of: Callable[[R], K]) -> list[R | None]:
    """The row whose key is each of ``keys`` (None where there is none), for a unique-key lookup."""
    found = {key_of(row): row for row in rows}
    return [found.get(key) for key in keys]


def many_per_key(keys: Sequence[K], rows: Iterable[R], key_of: Callable[[R], K]) -> list[list[R]]:
    """The rows of each of ``keys``, in the order the statement returned them (empty where there are none)."""
    grouped: defaultdict[K, list[R]] = defaultdict(list)
    for row in rows:
        grouped[key_of(row)].append(row)
    return [grouped[key] for key in keys]

"""A bounded LRU cache for documents and plans, by entry count and optionally by the entries' weight in bytes."""

from __future__ import annotations

from collections import OrderedDict
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class LruCache(Generic[K, V]):
    """Least-recently-used mapping with at most `capacity` entries weighing at most `max_weight` together.

    Not thread-safe (one event loop).
    """

    def __init__(self, capacity: int, max_weight: int | None = None) -> None:
        self.capacity = max(1, capacity)
        self.max_weight = max_weight
        self.weight = 0
        self.hits = 0
        self.misses = 0
        self._items: OrderedDict[K, V] = OrderedDict()
        self._weights: dict[K, int] = {}

    def get(self, key: K) -> V | None:
        """The cached value, marked most recently used, or None."""
        value = self._items.get(key)
        if value is None:
            self.misses += 1
            return None
        self.hits += 1
        self._items.move_to_end(key)
        return value

    def put(self, key: K, value: V, weight: int = 0) -> None:
        """Store `value` (weighing `weight` bytes), evicting the least recently used entries while over a bound.

        An entry heavier than `max_weight` on its own is not stored.
        """
        if self.max_weight is not None and weight > self.max_weight:
            return
        if self._weights:
            self.weight -= self._weights.pop(key, 0)
        self._items[key] = value
        self._items.move_to_end(key)
        if weight:
            self._weights[key] = weight
            self.weight += weight
        limit = self.max_weight if self.max_weight is not None else self.weight
        while len(self._items) > self.capacity or self.weight > limit:
            old, _ = self._items.popitem(last=False)
            if self._weights:
                self.weight -= self._weights.pop(old, 0)

    def __len__(self) -> int:
        return len(self._items)

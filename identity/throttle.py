"""Per-IP throttling of login attempts: a sliding one-minute window held in memory (one process)."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable


class LoginThrottle:
    """At most ``limit`` attempts per key in any 60 seconds; a process-wide resource."""

    WINDOW = 60.0

    def __init__(self, limit: int, clock: Callable[[], float] = time.monotonic) -> None:
        self._limit = limit
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}

    def allow(self, key: str) -> bool:
        """Count one attempt for ``key``; False when it is over the limit."""
        now = self._clock()
        hits = self._hits.setdefault(key, deque())
        while hits and hits[0] <= now - self.WINDOW:
            hits.popleft()
        if len(self._hits) > 10_000:
            self._forget_idle(now)
        if len(hits) >= self._limit:
            return False
        hits.append(now)
        return True

    def _forget_idle(self, now: float) -> None:
        for key in [k for k, v in self._hits.items() if not v or v[-1] <= now - self.WINDOW]:
            del self._hits[key]

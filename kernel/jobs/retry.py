"""Which failures are worth another try, and how long to wait before it (exponential backoff with jitter)."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable
from dataclasses import dataclass

import httpx
from sqlalchemy.exc import DBAPIError, OperationalError

from kernel.db import concurrency_error
from kernel.errors import ConcurrentChangeError, ErrorCode, ZhijianError
from kernel.machine_client import GraphUnavailable


class JobCode(ErrorCode):
    UNKNOWN_JOB = "UNKNOWN_JOB", "No component registers a job of this name."
    BAD_JOB_IDS = "BAD_JOB_IDS", "A job was given other ids than the ones it declares."
    UPSTREAM_UNAVAILABLE = (
        "UPSTREAM_UNAVAILABLE",
        "A system the job depends on (a legacy service, the database, Redis) did not answer; it is tried again.",
    )
    JOB_FAILED = "JOB_FAILED", "The job raised an error that another try would not cure; see the dead letter."
    GAVE_UP = "GAVE_UP", "The job failed on every allowed try, or its worker stopped mid-job too often."
    NOT_OPEN = "NOT_OPEN", "The dead letter was already replayed or discarded."


class TransientError(ZhijianError):
    """Raise it where a failure should be tried again later (a legacy service busy, a timeout)."""

    code = JobCode.UPSTREAM_UNAVAILABLE


def is_transient(error: BaseException) -> bool:
    """True for failures another try may cure: unreachable services, timeouts, lost connections, lock conflicts."""
    if isinstance(error, TransientError | GraphUnavailable | ConcurrentChangeError):
        return True
    if isinstance(error, OSError | TimeoutError | asyncio.TimeoutError | httpx.TransportError):
        return True
    if isinstance(error, OperationalError) or (isinstance(error, DBAPIError) and error.connection_invalidated):
        return True
    if isinstance(error, DBAPIError) and isinstance(concurrency_error(error), ConcurrentChangeError):
        return True
    name = type(error).__module__.split(".")[0]
    return name == "redis" and type(error).__name__ in {"ConnectionError", "TimeoutError", "BusyLoadingError"}


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """At most ``tries`` runs; before try n+1 wait ``first_delay · 2^(n-1)``, capped, with jitter in [½, 1]."""

    tries: int = 5
    first_delay: float = 2.0
    max_delay: float = 300.0
    jitter: Callable[[], float] = random.random

    def delay(self, attempt: int) -> float:
        """Seconds to wait after failed try number ``attempt`` (1-based)."""
        base = min(self.max_delay, self.first_delay * 2.0 ** max(attempt - 1, 0))
        return float(base * (0.5 + self.jitter() / 2))

    def gives_up_after(self, attempt: int) -> bool:
        return attempt >= self.tries

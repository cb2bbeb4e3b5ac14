"""Delivering the outbox: events to the consumers the components register, once each, in order per aggregate.

The drainer claims ready events (:mod:`kernel.jobs.outbox`), hands each to every consumer of its type in a
transaction of the consumer's own that also records the consumer's receipt (so a redelivery changes nothing),
and settles the event. A transient failure postpones the event with backoff; a permanent one, or too many
tries, dead-letters the delivery as job ``outbox.deliver`` (``zhijian jobs replay`` delivers it again) and lets
the aggregate's later events proceed. The worker and the embedded hub run the same drainer.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import os
import socket
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from kernel.clock import Clock, system_clock
from kernel.db import Database
from kernel.errors import NotFoundError, ZhijianError
from kernel.jobs import outbox
from kernel.jobs.dead_letters import record
from kernel.jobs.events import Event, EventDecodeError
from kernel.jobs.receipts import first_time
from kernel.jobs.retry import JobCode, RetryPolicy, is_transient
from kernel.jobs.tables import events
from subgraphs.common.component import Consumer, Job, JobOwner, Queue, Wiring

log = logging.getLogger("zhijian.outbox")

DELIVER = "outbox.deliver"
"""The job that delivers one event to one consumer: what a dead-lettered delivery is replayed as."""


def describe(error: BaseException) -> str:
    """One line on an error for logs and dead letters: its code and message, never SQL parameters."""
    if isinstance(error, ZhijianError):
        text = f"[{error.code}] {error.message}"
    else:
        text = next(iter(str(error).strip().splitlines()), "")
    return f"{type(error).__name__}: {text}"[:2000]


@dataclass(frozen=True, slots=True)
class Deliveries:
    """Every registered consumer with the services of the component that owns it."""

    consumers: Mapping[str, tuple[Consumer[Any, Any], Any]]
    clock: Clock = system_clock

    @classmethod
    def of(cls, owners: Sequence[JobOwner], services: Mapping[str, Any], clock: Clock = system_clock) -> Deliveries:
        found: dict[str, tuple[Consumer[Any, Any], Any]] = {}
        for owner in owners:
            for consumer in owner.consumers:
                if consumer.name in found:
                    raise ValueError(f"two consumers are called {consumer.name!r}")
                found[consumer.name] = (consumer, services[owner.name])
        return cls(found, clock)

    def of_type(self, event_type: str) -> list[tuple[Consumer[Any, Any], Any]]:
        return [entry for entry in self.consumers.values() if entry[0].event_type.name == event_type]

    async def deliver(self, database: Database, event: Event, consumer: Consumer[Any, Any], services: Any) -> bool:
        """Apply ``event`` for ``consumer`` once: its effect and its receipt in one transaction; False when the
        receipt shows it was applied before."""
        payload = event.body(consumer.event_type)
        async with database.transaction() as session:
            if not await first_time(session, consumer.name, f"event:{event.id}", self.clock()):
                return False
            await consumer.handle(session, services, payload, event)
        return True


async def redeliver(database: Database, deliveries: Deliveries, *, event: str, consumer: str) -> int:
    """Job ``outbox.deliver``: deliver event ``event`` to consumer ``consumer`` (a replayed dead letter)."""
    if consumer not in deliveries.consumers:
        raise NotFoundError(f"no consumer {consumer!r} is registered", code=JobCode.UNKNOWN_JOB)
    async with database.transaction() as session:
        row = (await session.execute(select(events).where(events.c.id == int(event)))).first()
    if row is None:
        raise NotFoundError(f"no event {event} in the outbox")
    found = Event(row.id, row.event_type, row.aggregate, row.payload, row.occurred_at, row.attempts + 1)
    handler, services = deliveries.consumers[consumer]
    return int(await deliveries.deliver(database, found, handler, services))


@dataclass(frozen=True, slots=True)
class OutboxJobs:
    """The hub's own job owner: ``outbox.deliver``, run with the :class:`Deliveries` as its services."""

    name: str = "outbox"
    jobs: tuple[Job[Any], ...] = (Job(DELIVER, redeliver, daily_at=None, ids=("event", "consumer")),)
    consumers: tuple[Consumer[Any, Any], ...] = ()
    services: Callable[[Wiring], Any] = lambda _wiring: None


def drainer_name() -> str:
    """Who holds a claim: host and process, for operators reading the outbox."""
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass(slots=True)
class Drainer:
    """Claims and delivers outbox events until stopped; any number may run against one database."""

    database: Database
    deliveries: Deliveries
    clock: Clock = system_clock
    name: str = field(default_factory=drainer_name)
    batch: int = 100
    lease: dt.timedelta = dt.timedelta(seconds=60)
    poll: float = 1.0
    """Seconds between looks at an empty outbox."""
    retry: RetryPolicy = field(default_factory=lambda: RetryPolicy(tries=8, first_delay=1.0, max_delay=600.0))
    delivered: int = 0

    async def drain_once(self) -> int:
        """Claim one batch and deliver it; returns how many events were claimed (0: nothing was ready)."""
        claimed = await outbox.claim(self.database, self.name, self.clock(), self.lease, self.batch)
        for event in claimed:
            await self._deliver(event)
        return len(claimed)

    async def drain(self) -> None:
        """Deliver until nothing is ready (tests, ``zhijian sync``)."""
        while await self.drain_once():
            pass

    async def run(self, stop: asyncio.Event) -> None:
        """Drain until ``stop`` is set; a database outage is logged and waited out, not fatal."""
        log.info("outbox drainer %s started", self.name)
        while not stop.is_set():
            try:
                claimed = await self.drain_once()
            except Exception as error:  # the database went away: wait, then look again
                if not is_transient(error):
                    log.exception("outbox drainer %s: %s", self.name, describe(error))
                else:
                    log.warning("outbox drainer %s: %s; retrying", self.name, describe(error))
                claimed = 0
            if claimed < self.batch:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), self.poll)
        log.info("outbox drainer %s stopped after %d deliveries", self.name, self.delivered)

    async def _deliver(self, event: Event) -> None:
        failures: list[tuple[str, BaseException]] = []
        for consumer, services in self.deliveries.of_type(event.type):
            try:
                if await self.deliveries.deliver(self.database, event, consumer, services):
                    self.delivered += 1
            except Exception as failure:
                failures.append((consumer.name, failure))
        now = self.clock()
        if not failures:
            await outbox.settle(self.database, event.id, now)
            return
        summary = "; ".join(f"{name}: {describe(error)}" for name, error in failures)
        retryable = any(is_transient(error) and not isinstance(error, EventDecodeError) for _, error in failures)
        if retryable and not self.retry.gives_up_after(event.attempt):
            delay = self.retry.delay(event.attempt)
            log.warning(
                "event %d (%s) try %d failed, again in %.1fs: %s", event.id, event.type, event.attempt, delay, summary
            )
            await outbox.postpone(self.database, event.id, now + dt.timedelta(seconds=delay), summary)
            return
        async with self.database.transaction() as session:
            for name, error in failures:
                code = JobCode.GAVE_UP if is_transient(error) else JobCode.JOB_FAILED
                await record(
                    session,
                    job=DELIVER,
                    job_id=f"{DELIVER}:{event.id}:{name}",
                    ids={"event": str(event.id), "consumer": name},
                    queue=Queue.SHORT.value,
                    attempts=event.attempt,
                    error_code=code.value,
                    error=describe(error),
                    at=now,
                )
        log.error("event %d (%s) dead-lettered after %d tries: %s", event.id, event.type, event.attempt, summary)
        await outbox.settle(self.database, event.id, now, summary)

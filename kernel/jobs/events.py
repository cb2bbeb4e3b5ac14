"""Cross-domain events as plain data, written to the outbox in the producer's own transaction.

An :class:`EventType` names a kind of event and its payload schema (a frozen dataclass of JSON-able fields); the
catalogue of the domain's event types lives in ``subgraphs.common.events``, so a producer and a consumer share
it without importing each other. :func:`emit` adds the event to the transaction of the session it is given —
the request's session in a mutation — so the event exists exactly when the effect that caused it does.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from kernel.jobs.tables import events

P = TypeVar("P")


class EventDecodeError(ValueError):
    """A payload that does not fit its event type's schema (a producer and a consumer disagree)."""


@dataclass(frozen=True, slots=True)
class EventType(Generic[P]):
    """One kind of event: ``<producer>.<what happened>`` and its payload dataclass.

    Payload fields are ``str``, ``int``, ``float``, ``bool``, ``dt.date``, ``dt.datetime``, optionals and tuples of
    those. Evolve a payload by adding fields with defaults: consumers ignore fields they do not know.
    """

    name: str
    payload: type[P]

    def encode(self, payload: P) -> dict[str, Any]:
        if not isinstance(payload, self.payload):
            raise TypeError(f"{self.name} carries {self.payload.__name__}, not {type(payload).__name__}")
        return {key: _plain(value) for key, value in dataclasses.asdict(payload).items()}  # type: ignore[call-overload]

    def decode(self, data: Mapping[str, Any]) -> P:
        hints = typing.get_type_hints(self.payload)
        known = {f.name for f in dataclasses.fields(self.payload)}  # type: ignore[arg-type]
        try:
            values = {name: _typed(hints[name], value) for name, value in data.items() if name in known}
            return self.payload(**values)
        except (TypeError, ValueError) as error:
            raise EventDecodeError(f"{self.name}: payload does not fit {self.payload.__name__}: {error}") from error


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    return value


def _typed(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    options = [arg for arg in typing.get_args(hint) if arg is not type(None)]
    if typing.get_origin(hint) in (typing.Union, types.UnionType) and len(options) == 1:
        hint = options[0]
    if hint is dt.datetime:
        return dt.datetime.fromisoformat(value)
    if hint is dt.date:
        return dt.date.fromisoformat(value)
    if typing.get_origin(hint) is tuple:
        (item,) = typing.get_args(hint)[:1]
        return tuple(_typed(item, v) for v in value)
    return value


@dataclass(frozen=True, slots=True)
class Event:
    """An event as a consumer receives it (at least once; a consumer's receipt makes its effect happen once)."""

    id: int
    type: str
    aggregate: str
    payload: Mapping[str, Any]
    occurred_at: dt.datetime
    attempt: int = 1

    def body(self, event_type: EventType[P]) -> P:
        """The payload as ``event_type``'s dataclass (``EventDecodeError`` when it does not fit)."""
        if event_type.name != self.type:
            raise EventDecodeError(f"event {self.id} is a {self.type}, not a {event_type.name}")
        return event_type.decode(self.payload)


async def emit(session: AsyncSession, event_type: EventType[P], aggregate: str, payload: P, at: dt.datetime) -> None:
    """Record an event in ``session``'s transaction; it is delivered after the transaction commits, in order with
    the other events of ``aggregate`` (e.g. ``"MarketEntity:91440300MA5H7K2P12"``), and never if it rolls back."""
    await session.execute(
        insert(events).values(
            event_type=event_type.name,
            aggregate=aggregate,
            payload=event_type.encode(payload),
            occurred_at=at,
            available_at=at,
            attempts=0,
        )
    )

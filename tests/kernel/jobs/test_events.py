"""Event types: payloads travel as plain JSON and come back as their dataclass; a misfit is a clear error."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from kernel.jobs.events import Event, EventDecodeError, EventType


@dataclass(frozen=True, slots=True)
class InspectionFailed:
    uscc: str
    inspection_id: int
    on: dt.date
    at: dt.datetime
    items: tuple[str, ...] = ()
    note: str | None = None


FAILED = EventType("supervision.inspection_failed", InspectionFailed)
SAMPLE = InspectionFailed(
    "91440300MA5H7K2P12", 7, dt.date(2026, 5, 1), dt.datetime(2026, 5, 1, 2, tzinfo=dt.UTC), ("A1", "B2")
)


def test_a_payload_round_trips_through_plain_json() -> None:
    encoded = FAILED.encode(SAMPLE)
    assert encoded == {
        "uscc": "91440300MA5H7K2P12",
        "inspection_id": 7,
        "on": "2026-05-01",
        "at": "2026-05-01T02:00:00+00:00",
        "items": ["A1", "B2"],
        "note": None,
    }
    assert FAILED.decode(encoded) == SAMPLE


def test_fields_a_consumer_does_not_know_are_ignored_and_missing_defaults_apply() -> None:
    newer = {**FAILED.encode(SAMPLE), "severity": "HIGH"}
    del newer["items"]
    assert FAILED.decode(newer) == InspectionFailed(SAMPLE.uscc, 7, SAMPLE.on, SAMPLE.at)


def test_a_payload_that_does_not_fit_is_a_decode_error() -> None:
    with pytest.raises(EventDecodeError, match=r"supervision\.inspection_failed"):
        FAILED.decode({"uscc": "x", "on": "not a date", "at": "2026-05-01T00:00:00+00:00", "inspection_id": 1})
    with pytest.raises(EventDecodeError, match="inspection_id"):
        FAILED.decode({"uscc": "x", "on": "2026-05-01", "at": "2026-05-01T00:00:00+00:00"})


def test_an_event_of_another_type_is_refused() -> None:
    other = EventType("enforcement.case_opened", InspectionFailed)
    event = Event(1, other.name, "Case:1", FAILED.encode(SAMPLE), SAMPLE.at)
    with pytest.raises(EventDecodeError, match=r"is a enforcement\.case_opened"):
        event.body(FAILED)


def test_encoding_checks_the_payload_class() -> None:
    with pytest.raises(TypeError, match="carries InspectionFailed"):
        FAILED.encode("not a payload")  # type: ignore[arg-type]
